import type { ChatBody } from "../contract.js";
import type { Impl } from "../servers/types.js";
import { SocketIoClient } from "./socketio-client.js";
import { WsClient } from "./ws-client.js";

/** A message as a receiver sees it, whatever the implementation. */
export interface Received {
  channel: string;
  seq: number;
  from: string;
  body: ChatBody;
}

/** The answer to a (re)subscription: the latest seq and, with `since`, the replayed gap. */
export interface SubscribeOutcome {
  ok: boolean;
  seq: number;
  recovered?: boolean;
  messages: Received[];
  error?: string;
}

/** Called with an error code when a request is refused, or with no error (and the stored seq, where there is one) when it is acknowledged. */
export type Done = (error?: string, seq?: number) => void;

/** A change to a stored message as a receiver sees it: an edit (with the new body) or a reaction. */
export interface ReceivedChange {
  type: string;
  channel: string;
  target: number;
  by: string;
  body?: ChatBody;
  reaction?: string;
}

/** What a client that can change messages adds: the DM workload with edits and reactions uses it. */
export interface ChangingClient extends ChatClient {
  /** Edits your own message `seq` of the DM with `to`. */
  editDm(to: string, seq: number, body: ChatBody, done: Done): void;
  /** Adds `reaction` to message `seq` of the DM with `to`. */
  reactDm(to: string, seq: number, reaction: string, done: Done): void;
  /** Every change pushed to this connection. */
  onChange: (change: ReceivedChange) => void;
}

/** Whether `client` speaks edits and reactions (the raw `ws` floor does not). */
export const canChange = (client: ChatClient): client is ChangingClient => "editDm" in client;

/** One simulated user's connection, speaking the implementation's wire protocol. */
export interface ChatClient {
  readonly user: string;
  connect(): Promise<void>;
  disconnect(): void;
  sendDm(to: string, body: ChatBody, done: Done): void;
  sendRoom(room: string, body: ChatBody, done: Done): void;
  /** Subscribes to a channel (DM ids are `dm:<a>|<b>`), replaying what came after `since`. */
  subscribe(channel: string, since?: number): Promise<SubscribeOutcome>;
  /** Every message pushed to this connection. */
  onMessage: (message: Received) => void;
}

/** A client of `impl` for `user` against the server at `url` (not connected yet). */
export function createClient(impl: Impl, url: string, user: string): ChatClient {
  return impl === "ws" ? new WsClient(url, user) : new SocketIoClient(impl, url, user);
}
