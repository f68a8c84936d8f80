import { io } from "socket.io-client";
import type { Socket } from "socket.io-client";
import { dmChannel } from "@roomkit/protocol";
import type { ChatBody } from "../contract.js";
import type { ChangingClient, Done, Received, ReceivedChange, SubscribeOutcome } from "./client.js";

type Ack = {
  ok: boolean;
  error?: { code: string };
  message?: { seq: number };
  seq?: number;
  epoch?: string;
  recovered?: boolean;
  messages?: Received[];
};
const ACK_TIMEOUT_MS = 15_000;

/**
 * A raw socket.io-client speaking either Roomkit's wire protocol (`rk:publish`, `rk:subscribe`,
 * `rk:message`) or the baseline's (`dm`, `group`, `sync`, `message`): the same client code and cost on both sides.
 */
export class SocketIoClient implements ChangingClient {
  onMessage: (message: Received) => void = () => {};
  onChange: (change: ReceivedChange) => void = () => {};
  /** Roomkit only: every `rk:presence` push (bench/src/workloads/capacity-windows.ts counts them). */
  onPresence: (channel: string) => void = () => {};
  #socket: Socket | undefined;
  readonly #dms = new Map<string, string>();
  readonly #epochs = new Map<string, string>();

  constructor(
    private readonly dialect: "roomkit" | "baseline",
    private readonly url: string,
    readonly user: string,
  ) {}

  connect(): Promise<void> {
    if (!this.#socket) {
      this.#socket = io(this.url, { auth: { user: this.user }, transports: ["websocket"], forceNew: true, reconnection: false });
      if (this.dialect === "roomkit") {
        this.#socket.on("rk:message", (push: { message: Received }) => this.onMessage(push.message));
        this.#socket.on("rk:change", (push: { change: ReceivedChange }) => this.onChange(push.change));
        this.#socket.on("rk:presence", (push: { channel: string }) => this.onPresence(push.channel));
      } else {
        this.#socket.on("message", (message: Received) => this.onMessage(message));
        this.#socket.on("change", (change: ReceivedChange) => this.onChange(change));
      }
    } else {
      this.#socket.connect();
    }
    const socket = this.#socket;
    return new Promise((done, fail) => {
      const ok = () => {
        socket.off("connect_error", no);
        done();
      };
      const no = (err: Error) => {
        socket.off("connect", ok);
        fail(err);
      };
      socket.once("connect", ok);
      socket.once("connect_error", no);
    });
  }

  disconnect(): void {
    this.#socket?.disconnect();
  }

  sendDm(to: string, body: ChatBody, done: Done): void {
    if (this.dialect === "baseline") return this.#request("dm", { to, body }, done);
    this.#request("rk:publish", { channel: this.#dm(to), body }, done);
  }

  editDm(to: string, seq: number, body: ChatBody, done: Done): void {
    if (this.dialect === "baseline") return this.#request("edit", { to, seq, body }, done);
    this.#request("rk:edit", { channel: this.#dm(to), seq, body }, done);
  }

  reactDm(to: string, seq: number, reaction: string, done: Done): void {
    if (this.dialect === "baseline") return this.#request("react", { to, seq, reaction }, done);
    this.#request("rk:react", { channel: this.#dm(to), seq, reaction }, done);
  }

  #dm(to: string): string {
    let channel = this.#dms.get(to);
    if (!channel) this.#dms.set(to, (channel = dmChannel(this.user, to)));
    return channel;
  }

  sendRoom(room: string, body: ChatBody, done: Done): void {
    if (this.dialect === "baseline") return this.#request("group", { room, body }, done);
    this.#request("rk:publish", { channel: room, body }, done);
  }

  async subscribe(channel: string, since?: number): Promise<SubscribeOutcome> {
    const socket = this.#socket;
    if (!socket) throw new Error("connect first");
    const epoch = this.#epochs.get(channel);
    const payload =
      this.dialect === "roomkit"
        ? { channel, ...(since === undefined ? {} : { since, ...(epoch ? { epoch } : {}) }) }
        : { channel, ...(since === undefined ? {} : { since }) };
    const ack = await new Promise<Ack>((done) => {
      socket.timeout(ACK_TIMEOUT_MS).emit(this.dialect === "roomkit" ? "rk:subscribe" : "sync", payload, (err: Error | null, a: Ack) => {
        done(err ? { ok: false, error: { code: "TIMEOUT" } } : a);
      });
    });
    if (!ack.ok) return { ok: false, seq: 0, messages: [], error: ack.error?.code ?? "UNKNOWN" };
    if (ack.epoch) this.#epochs.set(channel, ack.epoch);
    return {
      ok: true,
      seq: ack.seq ?? 0,
      ...(ack.recovered === undefined ? {} : { recovered: ack.recovered }),
      messages: ack.messages ?? [],
    };
  }

  /** Roomkit only: `rk:unsubscribe`, which takes the connection out of the channel's presence at once. */
  unsubscribe(channel: string, done: Done): void {
    this.#request("rk:unsubscribe", { channel }, done);
  }

  #request(event: string, payload: object, done: Done): void {
    this.#socket!.emit(event, payload, (ack: Ack) => (ack.ok ? done(undefined, ack.message?.seq) : done(ack.error?.code ?? "UNKNOWN")));
  }
}
