import type { RoomkitError, User } from "@roomkit/protocol";

/**
 * Why the connection is down for now. The client is already getting it back.
 *
 * - `transport-closed`: the link broke (network change, server crash, the server closed the transport).
 * - `ping-timeout`: the server stopped answering heartbeats.
 * - `server-disconnect`: the server disconnected this client (`socket.disconnect()` on the server side).
 * - `shutdown`: the server said it is shutting down (`rk:bye`); the restarted server or another node takes over.
 * - `unavailable`: the server refused the connection for now (`UNAVAILABLE`, e.g. while it shuts down).
 * - `unreachable`: a connection attempt failed: the server or the network is down.
 */
export type DropReason = "transport-closed" | "ping-timeout" | "server-disconnect" | "shutdown" | "unavailable" | "unreachable";

/**
 * Why the client stopped for good (until `rk.connect()`).
 *
 * - `closed`: the app called `rk.close()`.
 * - `refused`: the server refused the credentials; `error.code` is `UNAUTHENTICATED` (or
 *   `FORBIDDEN` / `INVALID` from the app's `authenticate`). Call `rk.connect()` once they are fixed.
 */
export type StopReason = "closed" | "refused";

/**
 * The connection as a value. `attempt` counts the failed attempts since the last success.
 *
 * @example
 * rk.connection.subscribe((state) => {
 *   if (state.status === "connected") hideBanner();
 *   else if (state.status === "disconnected" && state.reason === "refused") goToLogin(state.error);
 *   else showBanner(`${state.status}…`);
 * });
 */
export type ConnectionState<Profile = unknown> =
  | { status: "connecting"; attempt: number; reason?: DropReason; error?: RoomkitError }
  | { status: "connected"; user: User<Profile> }
  | { status: "reconnecting"; attempt: number; reason: DropReason; error?: RoomkitError }
  | { status: "disconnected"; reason: StopReason; error?: RoomkitError };

/** The status names of {@link ConnectionState}. */
export type ConnectionStatus = ConnectionState["status"];
