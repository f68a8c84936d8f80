import type { RoomkitLimits } from "../options.js";
import { logger } from "../log.js";
import { forceClose } from "./engine.js";
import type { EngineConnection } from "./engine.js";

const log = logger("transport");

/** A BINARY_EVENT or BINARY_ACK whose binary frames have not all arrived. */
interface PartialPacket {
  parts: number;
  bytes: number;
  deadline: number;
}

const BINARY_EVENT = 0x35; // "5"
const BINARY_ACK = 0x36; // "6"

/**
 * The binary parts a header announces (`51-[...]`: one), read the way socket.io-parser reads
 * them, or 0 when the frame is not a binary packet's header (the parser refuses those itself).
 */
function announcedParts(frame: string): number {
  const type = frame.charCodeAt(0);
  if (type !== BINARY_EVENT && type !== BINARY_ACK) return 0;
  const dash = frame.indexOf("-", 1);
  const parts = dash < 0 ? NaN : Number(frame.slice(1, dash));
  return Number.isInteger(parts) && parts > 0 ? parts : 0;
}

/**
 * Bounds what a connection can make Socket.IO hold for a binary packet it has not finished
 * sending: socket.io-parser keeps every part until the last one arrives, however long that is.
 * More than `limits.attachmentBytes` of parts pending, or parts missing after
 * `limits.binaryPacketMs`, closes the connection. Per frame: a type check and, while a packet is
 * pending, two additions.
 */
export class PartialBinaryPackets {
  readonly #limits: RoomkitLimits;
  readonly #pending = new Map<EngineConnection, PartialPacket>();
  // One listener for every connection (`this` is the connection): a closure per connection would
  // cost heap on each of them. No `close` listener: the sweep forgets a closed connection's packet.
  readonly #onData: (this: EngineConnection, data: unknown) => void;

  constructor(limits: RoomkitLimits) {
    this.#limits = limits;
    const watcher = this;
    this.#onData = function (data) {
      watcher.#frame(this, data);
    };
  }

  /** Follows the frames of one Engine.IO connection (before or after it connects a namespace). */
  watch(conn: EngineConnection): void {
    conn.on("data", this.#onData);
  }

  /**
   * Closes the connections whose pending packet is older than `limits.binaryPacketMs`, and
   * forgets those that closed meanwhile (a pending packet holds its connection until then).
   */
  expire(now: number): void {
    for (const [conn, packet] of this.#pending) {
      if (conn.readyState === "closed") this.#pending.delete(conn);
      else if (now >= packet.deadline) this.#close(conn, `a binary packet still missing ${packet.parts} parts`);
    }
  }

  /** Runs after Socket.IO's own listener, so the parser has taken (or refused) the frame. */
  #frame(conn: EngineConnection, data: unknown): void {
    if (conn.readyState !== "open") return;
    if (typeof data === "string") {
      const parts = announcedParts(data);
      if (parts > 0) this.#pending.set(conn, { parts, bytes: 0, deadline: Date.now() + this.#limits.binaryPacketMs });
      return;
    }
    const packet = this.#pending.get(conn);
    if (!packet) return;
    if (--packet.parts === 0) return void this.#pending.delete(conn);
    packet.bytes += ArrayBuffer.isView(data) || data instanceof ArrayBuffer ? data.byteLength : 0;
    if (packet.bytes > this.#limits.attachmentBytes) this.#close(conn, `${packet.bytes} bytes of a binary packet pending`);
  }

  #close(conn: EngineConnection, why: string): void {
    log("closing a connection: %s", why);
    this.#pending.delete(conn);
    forceClose(conn);
  }

  /** Forgets every pending packet (server shutdown). */
  clear(): void {
    this.#pending.clear();
  }
}
