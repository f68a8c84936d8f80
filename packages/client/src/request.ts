import { RoomkitError } from "@roomkit/protocol";
import type { ClientToServerEvents, ServerToClientEvents } from "@roomkit/protocol";
import type { Socket } from "socket.io-client";
import { clientError } from "./errors.js";

/** The socket.io-client socket, typed with the Roomkit wire events. */
export type RoomkitSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** Every request name (`rk:subscribe`, `rk:publish`...). */
export type RequestName = keyof ClientToServerEvents;

/** The payload of a request. */
export type RequestPayload<N extends RequestName> = Parameters<ClientToServerEvents[N]>[0];

type AckOf<N extends RequestName> = Parameters<Parameters<ClientToServerEvents[N]>[1]>[0];

/** The fields of a successful ack, without `ok`. */
export type RequestResult<N extends RequestName> = Omit<Extract<AckOf<N>, { ok: true }>, "ok">;

interface LooseEmitter {
  emit(event: string, payload: unknown, ack: (err: Error | null, reply?: unknown) => void): unknown;
}

/**
 * Emits one request and resolves with its ack's fields, or rejects with a {@link RoomkitError}:
 * the server's (from `{ ok: false, error }`), or the client's own `timeout` / `disconnected`.
 * Never lets socket.io-client buffer a request while offline: the callers decide what waits.
 */
export function request<N extends RequestName>(
  socket: RoomkitSocket,
  name: N,
  payload: RequestPayload<N>,
  timeoutMs: number,
): Promise<RequestResult<N>> {
  return new Promise((resolve, reject) => {
    if (!socket.connected) return reject(clientError("disconnected", `not connected: ${name} was not sent`));
    const timed = socket.timeout(timeoutMs) as unknown as LooseEmitter;
    timed.emit(name, payload, (err, reply) => {
      if (err) {
        return reject(
          socket.connected
            ? clientError("timeout", `no answer to ${name} within ${timeoutMs} ms`)
            : clientError("disconnected", `the connection dropped before ${name} was answered`),
        );
      }
      const ack = reply as { ok?: unknown; error?: unknown } | undefined;
      if (ack?.ok === true) {
        const { ok: _ok, ...fields } = ack;
        return resolve(fields as RequestResult<N>);
      }
      reject(RoomkitError.fromPayload(ack?.error));
    });
  });
}
