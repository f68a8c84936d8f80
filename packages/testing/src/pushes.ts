import type {
  AnyContract,
  BodyOf,
  ByePush,
  ChannelId,
  FamilyName,
  Message,
  PresencePush,
  ProfileOf,
  ReceiptPush,
  RoomPush,
  WelcomePush,
} from "@roomkit/protocol";
import type { SignalEvent } from "@roomkit/client";

type Unversioned<T> = Omit<T, "v">;

/** A message of any family of the contract, its channel id and body typed together. */
export type MessageOf<C extends AnyContract> = {
  [F in FamilyName<C>]: Message<BodyOf<C, F>> & { channel: ChannelId<C, F> };
}[FamilyName<C>];

/**
 * What a test client can wait for: every push the server sends (docs/protocol.md), by its name
 * without the `rk:` prefix, as it arrived on the wire, without the envelope's `v`. A `message`
 * is the message itself: the `message` of an `rk:message` push, or one of the `messages` a
 * resubscription replayed (recovery after a reconnect, in the `rk:subscribe` reply).
 */
export type Pushes<C extends AnyContract> = {
  message: MessageOf<C>;
  signal: { [F in FamilyName<C>]: SignalEvent<C, F> }[FamilyName<C>];
  presence: Unversioned<PresencePush>;
  receipt: Unversioned<ReceiptPush>;
  room: Unversioned<RoomPush>;
  welcome: Unversioned<WelcomePush<ProfileOf<C>>>;
  bye: Unversioned<ByePush>;
};

/** The name of a push a test client records: `message`, `signal`, `presence`, `receipt`, `room`, `welcome`, `bye`. */
export type PushName = keyof Pushes<AnyContract>;

/** One recorded push. */
export interface Received {
  event: string;
  push: unknown;
}

/** The push of a decoded Socket.IO event, as the kit records it; `undefined` for events that are not pushes. */
export function pushOf(event: unknown, payload: unknown): Received | undefined {
  if (typeof event !== "string" || !event.startsWith("rk:")) return undefined;
  const name = event.slice(3);
  if (payload === null || typeof payload !== "object") return { event: name, push: payload };
  const { v: _v, ...rest } = payload as Record<string, unknown>;
  return { event: name, push: name === "message" ? rest.message : rest };
}

/** The messages a reply delivers as received: those an `rk:subscribe` with `since` replayed. */
export function replayOf(request: string, reply: unknown): Received[] {
  if (request !== "rk:subscribe" || reply === null || typeof reply !== "object") return [];
  const { ok, messages } = reply as { ok?: unknown; messages?: unknown };
  return ok === true && Array.isArray(messages) ? messages.map((message: unknown) => ({ event: "message", push: message })) : [];
}
