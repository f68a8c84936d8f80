import { WebSocket } from "ws";

/** One Engine.IO frame as received: text, or the bytes of a binary frame. */
export type Frame = string | Buffer;

/**
 * A value sent as this JSON text, verbatim: nesting deeper than `JSON.stringify` can write, or
 * a huge string, with a short `label` for fast-check's counterexamples and assertion messages.
 */
export class RawJson {
  constructor(
    readonly text: string,
    readonly label: string,
  ) {}
  toJSON(): string {
    return this.label;
  }
  /** How fast-check prints it in a counterexample. */
  [Symbol.for("fast-check/toStringMethod")](): string {
    return `RawJson(${this.label})`;
  }
}

const RAW_MARK = "\u0000raw-json:";

/**
 * The frames of one EVENT `[name, ...args]` (an ack id makes it a request), as a hostile client
 * writes them: every `Uint8Array` (a `Buffer`) anywhere in it becomes a binary attachment of a
 * BINARY_EVENT (Socket.IO's placeholders), a {@link RawJson} is spliced in as its text, and own
 * `__proto__` keys stay on the wire as keys.
 */
export function eventFrames(data: unknown[], id?: number): (string | Uint8Array)[] {
  const binaries: Uint8Array[] = [];
  const raws: string[] = [];
  const json = JSON.stringify(data, function (this: Record<string, unknown>, key: string, value: unknown) {
    const original = this[key];
    if (original instanceof Uint8Array) return { _placeholder: true, num: binaries.push(original) - 1 };
    if (original instanceof RawJson) return `${RAW_MARK}${raws.push(original.text) - 1}`;
    return value;
  }).replace(/"\\u0000raw-json:(\d+)"/g, (_, i: string) => raws[Number(i)]!);
  const ack = id === undefined ? "" : String(id);
  return binaries.length === 0 ? [`42${ack}${json}`] : [`45${binaries.length}-${ack}${json}`, ...binaries];
}

/**
 * A Socket.IO client written by hand over `ws`, the way an attacker talks to a server: it
 * sends exactly the frames it is given (Engine.IO v4 / Socket.IO v5 framing, see
 * docs/protocol.md §1), answers pings only when told to, and records what arrives.
 *
 * @example
 * const raw = await RawSocket.open(h.url);
 * raw.send('40{"user":"mallory"}');
 * await raw.until((f) => f === "40" || f.startsWith('40{"sid"'));
 */
export class RawSocket {
  readonly frames: Frame[] = [];
  #waiters: { match: (frame: Frame) => boolean; done: (frame: Frame) => void }[] = [];
  #closed: Promise<void>;
  /** True once the server (or the client) closed the WebSocket. */
  closed = false;

  private constructor(
    readonly ws: WebSocket,
    autoPong: boolean,
  ) {
    ws.on("message", (data: Buffer, isBinary: boolean) => {
      const frame: Frame = isBinary ? data : data.toString();
      if (autoPong && frame === "2") ws.send("3");
      this.frames.push(frame);
      this.#waiters = this.#waiters.filter((w) => {
        if (!w.match(frame)) return true;
        w.done(frame);
        return false;
      });
    });
    this.#closed = new Promise((done) =>
      ws.once("close", () => {
        this.closed = true;
        done();
      }),
    );
  }

  /** Opens a WebSocket to the server's Engine.IO endpoint and waits for its open packet. */
  static async open(url: string, options: { autoPong?: boolean } = {}): Promise<RawSocket> {
    const ws = new WebSocket(`${url.replace(/^http/, "ws")}/socket.io/?EIO=4&transport=websocket`);
    const raw = new RawSocket(ws, options.autoPong ?? true);
    await raw.until((f) => typeof f === "string" && f.startsWith("0{"));
    return raw;
  }

  /** Opens a connection and connects to `/` with `auth`; resolves once the CONNECT is answered. */
  static async connect(url: string, auth: Record<string, unknown>, options: { autoPong?: boolean } = {}): Promise<RawSocket> {
    const raw = await RawSocket.open(url, options);
    raw.send(`40${JSON.stringify(auth)}`);
    const answer = await raw.until((f) => typeof f === "string" && (f.startsWith("40{") || f.startsWith("44")));
    if (typeof answer === "string" && answer.startsWith("44")) throw new Error(`connect refused: ${answer}`);
    return raw;
  }

  /** Sends frames as they are, each in its own WebSocket message. */
  send(...frames: (string | Uint8Array)[]): void {
    for (const frame of frames) this.ws.send(frame);
  }

  /**
   * Stops reading the TCP socket, as a client that never reads: what the server writes backs up
   * in the kernel and then in the server's buffers. Writes (pongs, requests) still go out.
   */
  pause(): void {
    this.ws.pause();
  }

  /** Reads the TCP socket again. */
  resume(): void {
    this.ws.resume();
  }

  /**
   * Sends an EVENT with ack id `id` (binary values as attachments, see {@link eventFrames}) and
   * resolves with the ACK's first argument; a binary ACK's attachments stay placeholders.
   */
  async request(id: number, event: string, payload: unknown, timeoutMs?: number): Promise<unknown> {
    this.send(...eventFrames([event, payload], id));
    const head = new RegExp(`^(?:43|46\\d+-)${id}\\[`);
    const ack = (await this.until((f) => typeof f === "string" && head.test(f), timeoutMs)) as string;
    return (JSON.parse(ack.slice(ack.indexOf("["))) as unknown[])[0];
  }

  /**
   * Sends a BINARY_EVENT with ack id `id`: `payload` marks where each of `parts` goes with
   * `{ "_placeholder": true, "num": i }`, and each part follows as its own binary frame.
   * Resolves with the ACK's first argument.
   */
  requestBinary(id: number, event: string, payload: unknown, parts: Uint8Array[]): Promise<unknown> {
    this.send(`45${parts.length}-${id}${JSON.stringify([event, payload])}`, ...parts);
    return this.ack(id);
  }

  /** Resolves with the first argument of the next (non-binary) ACK of `id`: call it right after sending. */
  async ack(id: number, timeoutMs?: number): Promise<unknown> {
    const ack = await this.until((f) => typeof f === "string" && f.startsWith(`43${id}[`), timeoutMs);
    return (JSON.parse((ack as string).slice(`43${id}`.length)) as unknown[])[0];
  }

  /** Resolves with the first frame received so far that matches, or else the next one to arrive. */
  find(match: (frame: Frame) => boolean, timeoutMs = 10_000): Promise<Frame> {
    const seen = this.frames.find(match);
    return seen === undefined ? this.until(match, timeoutMs) : Promise.resolve(seen);
  }

  /** Resolves with the first frame from now on that matches. */
  until(match: (frame: Frame) => boolean, timeoutMs = 10_000): Promise<Frame> {
    return new Promise((done, fail) => {
      const timer = setTimeout(() => fail(new Error(`no matching frame in ${timeoutMs} ms; got ${this.describe()}`)), timeoutMs);
      const settle = (f: Frame) => {
        clearTimeout(timer);
        done(f);
      };
      this.#waiters.push({ match, done: settle });
    });
  }

  /** The pushes received so far as `[event, payload]`, from EVENT frames. */
  events(name?: string): [string, unknown][] {
    return this.frames
      .filter((f): f is string => typeof f === "string" && /^42\[/.test(f))
      .map((f) => JSON.parse(f.slice(2)) as [string, unknown])
      .filter(([event]) => name === undefined || event === name);
  }

  /** Resolves once the WebSocket is closed, by either side. */
  whenClosed(): Promise<void> {
    return this.#closed;
  }

  close(): Promise<void> {
    if (!this.closed) this.ws.terminate();
    return this.#closed;
  }

  describe(): string {
    return this.frames
      .slice(-5)
      .map((f) => (typeof f === "string" ? f.slice(0, 120) : `<${f.length} bytes>`))
      .join(" | ");
  }
}
