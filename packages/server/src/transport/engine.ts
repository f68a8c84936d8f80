import type { Socket } from "socket.io";

/**
 * The parts of an Engine.IO connection (`socket.conn`) the transport guards read. These are
 * internals of engine.io 6 (`build/socket.js`, `build/transports/websocket.js`): Socket.IO
 * exposes no public counter of what is still waiting to be written.
 */
export interface EngineConnection {
  readonly readyState: "opening" | "open" | "closing" | "closed";
  /** Packets not yet handed to the transport; `flush()` replaces the array when it hands them over. */
  readonly writeBuffer: readonly { data?: unknown }[];
  /** The WebSocket transport holds the `ws` socket here; polling has no such socket. */
  readonly transport: { socket?: { readonly bufferedAmount?: number; terminate?: () => void } };
  close(discard?: boolean): void;
  on(event: "data", listener: (this: EngineConnection, data: unknown) => void): unknown;
}

/** The Engine.IO connection under a Socket.IO socket. */
export function engineOf(socket: Socket): EngineConnection {
  return socket.conn as unknown as EngineConnection;
}

/** Bytes of the packets in Engine.IO's write buffer (text counted by length, binary by bytes). */
export function queuedBytes(conn: EngineConnection): number {
  let bytes = 0;
  for (const { data } of conn.writeBuffer) {
    if (typeof data === "string") bytes += data.length;
    else if (ArrayBuffer.isView(data) || data instanceof ArrayBuffer) bytes += data.byteLength;
  }
  return bytes;
}

/** Bytes the WebSocket has accepted but not yet written to the network (0 on polling). */
export function socketBytes(conn: EngineConnection): number {
  return conn.transport.socket?.bufferedAmount ?? 0;
}

/**
 * Closes a connection now, whatever it still has to send: Engine.IO drops its write buffer
 * (`close(true)` skips waiting for a drain that will not come), and the WebSocket is terminated
 * rather than closed, so its queue is freed at once instead of after a 30 s close handshake.
 */
export function forceClose(conn: EngineConnection): void {
  const ws = conn.transport.socket;
  conn.close(true);
  ws?.terminate?.();
}
