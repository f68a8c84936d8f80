import { userRoom } from "@roomkit/protocol";
import type { RoomkitOptions } from "@roomkit/server";
import { startServer } from "../../../server/test/support/harness.js";
import type { Harness } from "../../../server/test/support/harness.js";
import type { TestContract } from "../../../server/test/support/contract.js";

export type { Harness };

/** Rate limits high enough for streams of hundreds of messages. */
export const UNLIMITED = {
  publish: { rate: 1_000_000, burst: 1_000_000 },
  signal: { rate: 1_000_000, burst: 1_000_000 },
  request: { rate: 1_000_000, burst: 1_000_000 },
  userPublish: { rate: 1_000_000, burst: 1_000_000 },
  userSignal: { rate: 1_000_000, burst: 1_000_000 },
  userRequest: { rate: 1_000_000, burst: 1_000_000 },
};

/** The server tests' harness (a real Socket.IO + Roomkit server on port 0), with generous limits. */
export function startTestServer(options: Partial<RoomkitOptions<TestContract>> = {}): Promise<Harness> {
  return startServer({ ...options, limits: { ...UNLIMITED, ...options.limits } });
}

/** The server side of every connection of `userId`, on this node. */
export function socketsOf(h: Harness, userId: string) {
  return [...h.io.of("/").sockets.values()].filter((s) => (s.data.user as { id: string }).id === userId);
}

/** `socket.disconnect()` on the server side: "io server disconnect", after which socket.io-client does not reconnect by itself. */
export function disconnectFromServer(h: Harness, userId: string): void {
  h.io.in(userRoom(userId)).disconnectSockets();
}

/** Closes the engine.io transport under the user's sockets: "transport close" on the client. */
export function closeEngine(h: Harness, userId: string): void {
  for (const socket of socketsOf(h, userId)) socket.conn.close();
}
