import { WebSocket } from "ws";
import type { ChatBody } from "../contract.js";
import type { ChatClient, Done, Received, SubscribeOutcome } from "./client.js";

type Reply = { op: "ack"; id: number; ok: boolean; seq?: number; error?: { code: string } };
type Push = { op: "message"; message: Received };

/** A raw `ws` client of the relay: JSON frames, replies matched by id. */
export class WsClient implements ChatClient {
  onMessage: (message: Received) => void = () => {};
  #ws: WebSocket | undefined;
  #next = 0;
  readonly #waiting = new Map<number, (reply: Reply) => void>();

  constructor(
    private readonly url: string,
    readonly user: string,
  ) {}

  connect(): Promise<void> {
    const ws = new WebSocket(`${this.url.replace(/^http/, "ws")}/?user=${encodeURIComponent(this.user)}`);
    this.#ws = ws;
    ws.on("message", (data) => {
      const frame = JSON.parse(String(data)) as Reply | Push;
      if (frame.op === "message") return this.onMessage(frame.message);
      const waiter = this.#waiting.get(frame.id);
      this.#waiting.delete(frame.id);
      waiter?.(frame);
    });
    return new Promise((done, fail) => {
      ws.once("open", () => done());
      ws.once("error", fail);
    });
  }

  disconnect(): void {
    this.#ws?.close();
  }

  sendDm(to: string, body: ChatBody, done: Done): void {
    this.#request({ op: "dm", to, body }, (r) => done(r.ok ? undefined : (r.error?.code ?? "UNKNOWN")));
  }

  sendRoom(room: string, body: ChatBody, done: Done): void {
    this.#request({ op: "room", room, body }, (r) => done(r.ok ? undefined : (r.error?.code ?? "UNKNOWN")));
  }

  subscribe(channel: string): Promise<SubscribeOutcome> {
    return new Promise((done) => {
      this.#request({ op: "sub", channel }, (r) =>
        done(r.ok ? { ok: true, seq: r.seq ?? 0, messages: [] } : { ok: false, seq: 0, messages: [], error: r.error?.code ?? "UNKNOWN" }),
      );
    });
  }

  #request(frame: object, reply: (r: Reply) => void): void {
    const id = ++this.#next;
    this.#waiting.set(id, reply);
    this.#ws!.send(JSON.stringify({ ...frame, id }));
  }
}
