import type { Socket } from "socket.io-client";
import type { Ack } from "@roomkit/protocol";

/** Emits a request and resolves with its ack, waiting up to 30 s: the test machine may be loaded. */
export function request<T extends object = Record<string, unknown>>(socket: Socket, event: string, payload?: unknown): Promise<Ack<T>> {
  return socket.timeout(30_000).emitWithAck(event, payload) as Promise<Ack<T>>;
}

/** Like {@link request}, but throws unless the ack is `ok`. */
export async function ok<T extends object = Record<string, any>>(socket: Socket, event: string, payload?: unknown): Promise<T> {
  const ack = await request<T>(socket, event, payload);
  if (!ack.ok) throw new Error(`${event} refused: ${ack.error.code} ${ack.error.message}`);
  return ack;
}
