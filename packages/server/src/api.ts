import { RoomkitError, SYSTEM_SENDER, dmChannel, isValidReaction, isValidUserId } from "@roomkit/protocol";
import type {
  AnyContract,
  BodyInputOf,
  BodyOf,
  ChangeResult,
  ChannelId,
  ChannelIdOf,
  CheckedChannelId,
  DeleteChange,
  EditChange,
  FamilyName,
  FamilyOfChannel,
  FamilyOfKind,
  HistoryResult,
  Message,
  PresenceMember,
  ReactionChange,
  ReactionOf,
  ReadMark,
  RoomMember,
  RoomRole,
  RoomSummary,
  UnreadResult,
  WrongChannelId,
} from "@roomkit/protocol";
import type { Server } from "socket.io";
import { resolve } from "./channels/access.js";
import { storeAndBroadcast } from "./channels/publish.js";
import type { ChangeActor } from "./channels/changes.js";
import { deleteMessage, editMessage, setReaction } from "./channels/changes.js";
import type { Context } from "./context.js";
import { closeGracefully } from "./lifecycle.js";
import { hasPresence, presenceMembers } from "./presence/presence.js";
import { readMarks, unreadCounts } from "./read-state/read-state.js";
import type { CreateRoomInput } from "./rooms/rooms.js";
import { createRoom, inviteMember, joinRoom, kickMember, leaveRoom, listRooms, roomMembers, setMuted, setRole } from "./rooms/rooms.js";
import type { Stores } from "./stores/types.js";

/** Acting on a room on behalf of a user (their rights apply) or, without `by`, as the server (all rights). */
export interface ActAs {
  by?: string;
}

export interface PublishOptions {
  /** Publish as this user (policy is not checked: the app's server code is trusted). Default: the system. */
  as?: string;
  clientId?: string;
  /** A reply in the thread of this message (a reply's seq means its root's thread). */
  replyTo?: number;
}

/**
 * Changing a message as a user (the message rules apply: only the author edits, within the edit
 * window; the author or a room's owner or admins delete) or, without `as`, as the system (any
 * message). Channel policy is not checked: the app's server code is trusted.
 */
export interface ChangeOptions {
  as?: string;
}

/** A history page as one user sees it (their reactions are `mine`), or one thread of it. */
export interface HistoryQuery {
  before?: number;
  after?: number;
  limit?: number;
  /** Only the replies of this thread root. */
  thread?: number;
  /** The user whose reactions are marked `mine`. */
  reader?: string;
}

/** A reaction change as the server API returns it: the entry, or `changed: false` when there was nothing to do. */
export type ReactionResult<R extends string> = { changed: true; change: ReactionChange<R> } | { changed: false };

/** An edit or a delete is always stored (a refusal throws). */
type Applied = Extract<ChangeResult, { changed: true }>;

/** The family of a channel id type, for the server API's typed changes. */
type Family<C extends AnyContract, Id extends string> = FamilyOfChannel<C, Id>;

/** A room's channel id argument: one of a room family (`F`, inferred), or a message naming `Id`'s family and the room families. */
type RoomId<C extends AnyContract, F extends string, Id extends string> =
  | ChannelIdOf<F, FamilyOfKind<C, "room">>
  | WrongChannelId<C, Id, FamilyOfKind<C, "room">, "rooms">;

/** The server-side API for the app's own code: HTTP handlers, jobs, webhooks. */
export interface Roomkit<C extends AnyContract> {
  readonly io: Server;
  readonly stores: Stores;
  /**
   * Publishes to any channel as the system (`from: "$system"`) or as a user. The body is
   * validated like a client's; the message is stored and broadcast.
   * @example
   * await rk.publish("news:front-page", { headline: "Roomkit 1.0" });
   */
  publish<F extends string, const Id extends string = never>(
    channel: ChannelIdOf<F, FamilyName<C>> | WrongChannelId<C, Id, FamilyName<C>, "messages">,
    body: BodyInputOf<C, F & FamilyName<C>>,
    options?: PublishOptions,
  ): Promise<Message<BodyOf<C, F & FamilyName<C>>>>;
  /**
   * Sends a direct message from one user to another in the contract's DM family.
   * @example
   * await rk.sendDirect("alice", "bob", { text: "Your order shipped" });
   */
  sendDirect<F extends FamilyOfKind<C, "dm">>(
    from: string,
    to: string,
    body: BodyInputOf<C, F>,
    options?: { family?: F; clientId?: string },
  ): Promise<Message<BodyOf<C, F>>>;
  /**
   * Who is present in a presence or room channel; a channel of another kind does not compile
   * (and is `INVALID` at run time).
   * @example
   * const members = await rk.presence("lobby:main");
   */
  presence<const Id extends string>(
    channel: CheckedChannelId<C, Id, FamilyOfKind<C, "presence" | "room">, "presence">,
  ): Promise<PresenceMember[]>;
  /**
   * A page of history, ascending.
   * @example
   * const { messages } = await rk.history("room:42", { before: 100, limit: 20 });
   */
  history(channel: ChannelId<C>, query?: HistoryQuery): Promise<HistoryResult>;
  /**
   * Edits a message: a body of the family's input type, checked like a new message's. Stored as a
   * change entry and pushed as `rk:change`. `NOT_FOUND` when no message is kept at `seq`,
   * `CONFLICT` when it was deleted.
   * @example
   * await rk.edit("room:42", 17, { text: "fixed typo" }, { as: "alice" });
   */
  edit<Id extends ChannelId<C>>(
    channel: Id,
    seq: number,
    body: BodyInputOf<C, Family<C, Id>>,
    options?: ChangeOptions,
  ): Promise<EditChange<BodyOf<C, Family<C, Id>>>>;
  /**
   * Deletes a message for good: its body leaves every store.
   * @example
   * await rk.delete("room:42", 17); // moderation, as the system
   */
  delete(channel: ChannelId<C>, seq: number, options?: ChangeOptions): Promise<DeleteChange>;
  /**
   * Adds a reaction (one of the family's list, when it declares one); adding it twice is one.
   * @example
   * await rk.react("room:42", 17, "👍", { as: "bob" });
   */
  react<Id extends ChannelId<C>>(
    channel: Id,
    seq: number,
    reaction: ReactionOf<C, Family<C, Id>>,
    options?: ChangeOptions,
  ): Promise<ReactionResult<ReactionOf<C, Family<C, Id>>>>;
  /**
   * Removes a reaction; removing one not given is nothing.
   * @example
   * await rk.unreact("room:42", 17, "👍", { as: "bob" });
   */
  unreact<Id extends ChannelId<C>>(
    channel: Id,
    seq: number,
    reaction: ReactionOf<C, Family<C, Id>>,
    options?: ChangeOptions,
  ): Promise<ReactionResult<ReactionOf<C, Family<C, Id>>>>;
  /**
   * A user's unread counts.
   * @example
   * const { total } = await rk.unread("alice");
   */
  unread(userId: string): Promise<UnreadResult>;
  /**
   * Where each member of a room or DM has read to (`INVALID` for other kinds): a DM's two users,
   * a room's stored members in join order (the first 500); `seq: 0` for who has read nothing.
   * @example
   * const seenBy = (await rk.receipts("room:42")).filter((r) => r.seq >= 17).length;
   */
  receipts(channel: ChannelId<C, FamilyOfKind<C, "room" | "dm">>): Promise<ReadMark[]>;
  /**
   * Room management; each operation without `by` acts as the server. A channel id of a family
   * that is not a room does not compile.
   */
  rooms: {
    /** @example await rk.rooms.create({ owner: "alice", name: "Team", members: ["bob"] }) */
    create(input: CreateRoomInput & { channel?: ChannelId<C, FamilyOfKind<C, "room">> }): Promise<RoomSummary>;
    /** @example await rk.rooms.invite("room:42", "carol") */
    invite<F extends string, const Id extends string = never>(
      channel: RoomId<C, F, Id>,
      userId: string,
      options?: ActAs,
    ): Promise<RoomMember>;
    join<F extends string, const Id extends string = never>(channel: RoomId<C, F, Id>, userId: string): Promise<RoomSummary>;
    leave<F extends string, const Id extends string = never>(channel: RoomId<C, F, Id>, userId: string): Promise<void>;
    kick<F extends string, const Id extends string = never>(channel: RoomId<C, F, Id>, userId: string, options?: ActAs): Promise<void>;
    setRole<F extends string, const Id extends string = never>(
      channel: RoomId<C, F, Id>,
      userId: string,
      role: Exclude<RoomRole, "owner">,
      options?: ActAs,
    ): Promise<RoomMember>;
    mute<F extends string, const Id extends string = never>(
      channel: RoomId<C, F, Id>,
      userId: string,
      muted: boolean,
      options?: ActAs,
    ): Promise<RoomMember>;
    list(userId: string): Promise<RoomSummary[]>;
    members<F extends string, const Id extends string = never>(channel: RoomId<C, F, Id>): Promise<RoomMember[]>;
  };
  /**
   * Stops gracefully: new connections and requests are refused, requests in flight finish,
   * clients receive `rk:bye` and are disconnected. The Socket.IO server and stores stay the app's to close.
   * @example
   * process.on("SIGTERM", async () => { await rk.close(); io.close(); });
   */
  close(): Promise<void>;
}

function checkUser(id: string): string {
  if (!isValidUserId(id)) throw new RoomkitError("INVALID", `"${String(id)}" is not a valid user id`);
  return id;
}

/** The actor of a change from the server API: a user with their room role, or the system. */
async function changeActor(ctx: Context, channel: string, options: ChangeOptions): Promise<ChangeActor> {
  if (options.as === undefined) return { by: SYSTEM_SENDER };
  const by = checkUser(options.as);
  const ch = resolve(ctx, channel);
  return { by, role: ch.kind === "room" ? (await ctx.stores.rooms.member(ch.id, by))?.role : undefined };
}

function checkSeq(seq: number): number {
  if (!Number.isSafeInteger(seq) || seq < 1) throw new RoomkitError("INVALID", "seq must be a positive integer");
  return seq;
}

/** A reaction from the app's code: checked like a client's. */
function checkReaction(reaction: string): string {
  if (!isValidReaction(reaction)) throw new RoomkitError("INVALID", `"${String(reaction).slice(0, 40)}" is not a valid reaction`);
  return reaction;
}

/** Builds the server-side API over a context. */
export function createApi<C extends AnyContract>(ctx: Context): Roomkit<C> {
  /** `react` and `unreact`: one reaction of the system or a user, checked like a client's. */
  const reactAs = async (op: "react" | "unreact", channel: string, seq: number, reaction: string, options: ChangeOptions) => {
    const actor = await changeActor(ctx, channel, options);
    return (await setReaction(ctx, resolve(ctx, channel), checkSeq(seq), checkReaction(reaction), op, actor)) as ReactionResult<never>;
  };
  const dmFamily = Object.keys(ctx.contract.channels).find((f) => ctx.contract.channels[f]?.kind === "dm");
  return {
    io: ctx.io,
    stores: ctx.stores,
    publish: async (channel, body, options = {}) => {
      const ch = resolve(ctx, channel);
      const from = options.as === undefined ? SYSTEM_SENDER : checkUser(options.as);
      const input = {
        from,
        body,
        ...(options.clientId === undefined ? {} : { clientId: options.clientId }),
        ...(options.replyTo === undefined ? {} : { replyTo: checkSeq(options.replyTo) }),
      };
      return (await storeAndBroadcast(ctx, ch, input)) as Message<never>;
    },
    sendDirect: async (from, to, body, options = {}) => {
      const family = options.family ?? dmFamily;
      if (!family) throw new RoomkitError("INVALID", "the contract declares no dm family");
      if (checkUser(from) === checkUser(to)) throw new RoomkitError("INVALID", "a DM needs two different users");
      const ch = resolve(ctx, dmChannel(from, to, family));
      const input = { from, body, ...(options.clientId === undefined ? {} : { clientId: options.clientId }) };
      return (await storeAndBroadcast(ctx, ch, input)) as Message<never>;
    },
    presence: async (channel) => {
      const ch = resolve(ctx, channel);
      if (!hasPresence(ch)) throw new RoomkitError("INVALID", `"${ch.id}" has no presence`);
      return presenceMembers(ctx, ch.id);
    },
    history: async (channel, query = {}) => {
      const ch = resolve(ctx, channel);
      return ctx.stores.messages.range(ch.id, { ...query, limit: Math.min(query.limit ?? 50, ctx.maxPage) });
    },
    edit: async (channel, seq, body, options = {}) => {
      const result = await editMessage(ctx, resolve(ctx, channel), checkSeq(seq), body, await changeActor(ctx, channel, options));
      return (result as Applied).change as EditChange<never>;
    },
    delete: async (channel, seq, options = {}) => {
      const result = await deleteMessage(ctx, resolve(ctx, channel), checkSeq(seq), await changeActor(ctx, channel, options));
      return (result as Applied).change as DeleteChange;
    },
    react: (channel, seq, reaction, options = {}) => reactAs("react", channel, seq, reaction, options),
    unreact: (channel, seq, reaction, options = {}) => reactAs("unreact", channel, seq, reaction, options),
    unread: async (userId) => unreadCounts(ctx, checkUser(userId)),
    receipts: async (channel) => readMarks(ctx, channel),
    rooms: {
      create: async (input) =>
        createRoom(ctx, { ...input, owner: checkUser(input.owner), ...(input.members && { members: input.members.map(checkUser) }) }),
      invite: async (channel, userId, options = {}) => inviteMember(ctx, options.by, channel, checkUser(userId)),
      join: async (channel, userId) => joinRoom(ctx, checkUser(userId), channel),
      leave: async (channel, userId) => leaveRoom(ctx, checkUser(userId), channel),
      kick: async (channel, userId, options = {}) => kickMember(ctx, options.by, channel, checkUser(userId)),
      setRole: async (channel, userId, role, options = {}) => setRole(ctx, options.by, channel, checkUser(userId), role),
      mute: async (channel, userId, muted, options = {}) => setMuted(ctx, options.by, channel, checkUser(userId), muted),
      list: async (userId) => listRooms(ctx, checkUser(userId)),
      members: async (channel) => roomMembers(ctx, undefined, channel),
    },
    close: () => closeGracefully(ctx),
  };
}
