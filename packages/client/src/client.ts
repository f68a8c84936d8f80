import type {
  AnyContract,
  ChannelId,
  ChannelIdOf,
  FamilyName,
  ProfileOf,
  ServerToClientEvents,
  UnreadResult,
  User,
  WrongChannelId,
} from "@roomkit/protocol";
import { io } from "socket.io-client";
import { fromWireMessage } from "./attachments.js";
import type { ChannelHost } from "./channel.js";
import { Connection } from "./connection.js";
import type { Listenable } from "./emitter.js";
import { Emitter } from "./emitter.js";
import type { Observable } from "./observable.js";
import type { AuthPayload, ClientOptions } from "./options.js";
import { resolveOptions } from "./options.js";
import { Outbox } from "./outbox.js";
import type { PresenceDiff } from "./presence.js";
import { ChannelRegistry } from "./registry.js";
import type { RoomkitSocket } from "./request.js";
import { request } from "./request.js";
import type { Rooms } from "./rooms.js";
import { RoomDirectory } from "./rooms.js";
import type { ConnectionState } from "./state.js";
import type { FamilyOf } from "./family.js";
import type { AnyMessage, Channel, DmFamily, DmHandle } from "./types.js";

/** The events of the client itself. */
export type ClientEvents<C extends AnyContract> = {
  /**
   * A message on a channel with no open handle: a DM from someone whose conversation is not
   * open, a room the user was just added to. Open a handle to get order, recovery and history.
   */
  inbox: [message: AnyMessage<C>];
};

/** `rk.dm(peer, options)`: the family may be left out when the contract's DM family is named `dm`. */
export type DmArgs<C extends AnyContract, F extends DmFamily<C>> =
  "dm" extends DmFamily<C> ? [options?: { family?: F }] : [options: { family: F }];

/** A connected Roomkit client, typed by the app's contract. */
export interface RoomkitClient<C extends AnyContract> extends Listenable<ClientEvents<C>> {
  /**
   * The connection state, observable.
   *
   * @example
   * rk.connection.subscribe((s) => (banner.hidden = s.status === "connected"));
   * if (rk.connection.current.status === "disconnected") console.log(rk.connection.current.error);
   */
  readonly connection: Observable<ConnectionState<ProfileOf<C>>>;
  /**
   * The user the server authenticated (from the last connection), or `undefined` before.
   *
   * @example
   * const me = rk.user?.id;
   */
  readonly user: User<ProfileOf<C>> | undefined;
  /**
   * Resolves with the user once connected (at once if connected now); rejects with the
   * server's refusal (`UNAUTHENTICATED`) or when the client is closed.
   *
   * @example
   * const me = await rk.ready();
   */
  ready(): Promise<User<ProfileOf<C>>>;
  /**
   * The shared handle of a channel, subscribing. A family the contract does not declare does
   * not compile, and the error names it and the declared families.
   *
   * @example
   * const news = rk.channel("news:front-page");
   * news.on("message", (m) => show(m.body.headline));
   */
  channel<F extends string, const Id extends string = never>(
    id: ChannelIdOf<F, FamilyName<C>> | WrongChannelId<C, Id, FamilyName<C>, "channels">,
  ): Channel<C, F & FamilyName<C>>;
  /**
   * The shared handle of the one-to-one conversation with `peer`, subscribing. Works before
   * the connection is up (its `id` is known from the first connection on). Throws a
   * `TypeError` for an invalid user id or for the user themself.
   *
   * @example
   * const dm = rk.dm("bob");
   * dm.on("message", (m) => render(m));
   * await dm.send({ text: "hi" });
   */
  dm<F extends DmFamily<C> = "dm" & DmFamily<C>>(peer: string, ...options: DmArgs<C, F>): DmHandle<FamilyOf<C, F>>;
  /** Creating, joining and listing rooms, and their membership events. */
  readonly rooms: Rooms<C>;
  /**
   * Unread counts of the given channels, or of every channel the user reads.
   *
   * @example
   * const { total, channels } = await rk.unread();
   */
  unread(channels?: ChannelId<C>[]): Promise<UnreadResult>;
  /**
   * Connects again after the server refused the credentials (or after `close()`), e.g. once a
   * fresh token is at hand; while reconnecting, tries at once instead of after the backoff delay.
   *
   * @example
   * rk.connection.subscribe((s) => s.status === "disconnected" && s.reason === "refused" && refreshToken().then(() => rk.connect()));
   */
  connect(): void;
  /**
   * Disconnects for good: waiting sends and requests reject with `UNAVAILABLE` (`failure: "closed"`).
   *
   * @example
   * window.addEventListener("pagehide", () => rk.close());
   */
  close(): void;
}

type AuthCallback = (cb: (data: object) => void) => void;

/** socket.io-client calls an auth function before each attempt; a throwing one sends no credentials. */
function authenticator(auth: ClientOptions["auth"]): AuthPayload | AuthCallback | undefined {
  if (typeof auth !== "function") return auth;
  return (cb) => {
    Promise.resolve()
      .then(auth)
      .then(cb, () => cb({}));
  };
}

/**
 * Connects to a Roomkit server. The contract is a type parameter only: no server code and no
 * schema library is imported into the client.
 *
 * @example
 * import { createClient } from "@roomkit/client";
 * import type { contract } from "../shared/contract";
 *
 * const rk = createClient<typeof contract>("https://chat.example.com", { auth: { token } });
 * const dm = rk.dm("bob");
 * dm.on("message", (m) => render(m));
 * await dm.send({ text: "hi" });
 */
export function createClient<C extends AnyContract>(url: string, options: ClientOptions = {}): RoomkitClient<C> {
  const resolved = resolveOptions(options);
  const auth = authenticator(options.auth);
  const socket: RoomkitSocket = io(url, {
    reconnectionDelay: resolved.reconnect.minDelayMs,
    reconnectionDelayMax: resolved.reconnect.maxDelayMs,
    ...options.socket,
    ...(auth === undefined ? {} : { auth }),
    autoConnect: false,
  });
  const connection = new Connection(socket, resolved.reconnect);
  const outbox = new Outbox({
    limit: resolved.outboxLimit,
    retryMinMs: resolved.reconnect.minDelayMs,
    retryMaxMs: resolved.reconnect.maxDelayMs,
  });
  const host: ChannelHost = {
    connection,
    outbox,
    options: resolved,
    call: async (name, payload) => {
      await connection.whenConnected();
      return request(socket, name, payload, resolved.requestTimeoutMs);
    },
  };
  const registry = new ChannelRegistry(host);
  const rooms = new RoomDirectory(host, registry);
  const events = new Emitter<ClientEvents<C>>();

  connection.events.on("up", (generation, user) => {
    registry.identify(user.id);
    for (const handle of registry.all()) handle.connected(generation);
  });
  connection.events.on("down", () => {
    for (const handle of registry.all()) handle.disconnected();
  });
  routePushes(socket, registry, rooms, events, connection);
  connection.connect();

  return {
    connection: connection.state as Observable<ConnectionState<ProfileOf<C>>>,
    get user() {
      return connection.user as User<ProfileOf<C>> | undefined;
    },
    ready: () => connection.whenConnected() as Promise<User<ProfileOf<C>>>,
    channel: (id) => registry.open(id) as never,
    dm: (peer, ...rest) => registry.dm(peer, rest[0]?.family ?? "dm", connection.user?.id) as never,
    rooms: rooms as unknown as Rooms<C>,
    unread: (channels) => host.call("rk:unread", channels === undefined ? {} : { channels }),
    on: (event, listener) => events.on(event, listener),
    off: (event, listener) => events.off(event, listener),
    connect: () => connection.connect(),
    close: () => connection.close(),
  };
}

/** Hands each push to the handles of its channel (or to `inbox` / `rooms`). */
function routePushes<C extends AnyContract>(
  socket: RoomkitSocket,
  registry: ChannelRegistry,
  rooms: RoomDirectory,
  events: Emitter<ClientEvents<C>>,
  connection: Connection,
): void {
  const on = <E extends keyof ServerToClientEvents>(event: E, listener: ServerToClientEvents[E]) => socket.on(event, listener as never);
  const listening = (channel: unknown) => (typeof channel === "string" ? registry.handlesOf(channel).filter((h) => h.active) : []);
  on("rk:message", (push) => {
    const handles = listening(push?.message?.channel);
    if (handles.length === 0 && typeof push?.message?.channel === "string")
      events.emit("inbox", fromWireMessage(push.message) as AnyMessage<C>);
    for (const handle of handles) handle.receiveMessage(push.message);
  });
  on("rk:change", (push) => {
    const change = push?.change;
    if (typeof change?.channel !== "string" || typeof change.seq !== "number" || typeof change.target !== "number") return;
    for (const handle of listening(change.channel)) handle.receiveChange(change);
  });
  on("rk:presence", (push) => {
    const diff = presenceDiff(push);
    if (diff) for (const handle of listening(push.channel)) handle.receivePresence(diff);
  });
  on("rk:signal", (push) => {
    for (const handle of listening(push?.channel)) handle.receiveSignal(push);
  });
  on("rk:receipt", (push) => {
    for (const handle of listening(push?.channel)) handle.receiveReceipt(push);
  });
  on("rk:room", (push) => {
    if (typeof push?.channel !== "string") return;
    for (const handle of registry.handlesOf(push.channel)) handle.receiveRoom(push, connection.user?.id);
    rooms.receive(push);
  });
}

/** The batch of an `rk:presence` push, or `undefined` when it is not well formed (ignored). */
function presenceDiff(push: unknown): PresenceDiff | undefined {
  const { joins, leaves, count } = (push ?? {}) as Partial<PresenceDiff>;
  const members = (list: unknown): list is PresenceDiff["joins"] =>
    Array.isArray(list) && list.every((m) => typeof (m as { userId?: unknown } | null)?.userId === "string");
  if (!members(joins) || !members(leaves)) return undefined;
  return Number.isSafeInteger(count) && count! >= 0 ? { joins, leaves, count: count! } : { joins, leaves };
}
