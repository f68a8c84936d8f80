import { RoomkitError, SYSTEM_SENDER, dmChannel, isValidUserId } from "@roomkit/protocol";
import type {
  AnyContract, BodyInputOf, BodyOf, ChannelId, CheckedChannelId, FamilyName, FamilyOfKind, HistoryResult, Message, PresenceMember,
  ReadMark, RoomMember, RoomRole, RoomSummary, UnreadResult,
} from "@roomkit/protocol";
import type { Server } from "socket.io";
import { resolve } from "./channels/access.js";
import { storeAndBroadcast } from "./channels/publish.js";
import type { Context } from "./context.js";
import { closeGracefully } from "./lifecycle.js";
import { hasPresence, presenceMembers } from "./presence/presence.js";
import { readMarks, unreadCounts } from "./read-state/read-state.js";
import type { CreateRoomInput } from "./rooms/rooms.js";
import {
  createRoom, inviteMember, joinRoom, kickMember, leaveRoom, listRooms, roomMembers, setMuted, setRole,
} from "./rooms/rooms.js";
import type { Stores } from "./stores/types.js";

/** Acting on a room on behalf of a user (their rights apply) or, without `by`, as the server (all rights). */
export interface ActAs {
  by?: string;
}

export interface PublishOptions {
  /** Publish as this user (policy is not checked: the app's server code is trusted). Default: the system. */
  as?: string;
  clientId?: string;
}

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
  publish<F extends FamilyName<C>>(channel: ChannelId<C, F>, body: BodyInputOf<C, F>, options?: PublishOptions): Promise<Message<BodyOf<C, F>>>;
  /**
   * Sends a direct message from one user to another in the contract's DM family.
   * @example
   * await rk.sendDirect("alice", "bob", { text: "Your order shipped" });
   */
  sendDirect<F extends FamilyOfKind<C, "dm">>(from: string, to: string, body: BodyInputOf<C, F>, options?: { family?: F; clientId?: string }): Promise<Message<BodyOf<C, F>>>;
  /**
   * Who is present in a presence or room channel; a channel of another kind does not compile
   * (and is `INVALID` at run time).
   * @example
   * const members = await rk.presence("lobby:main");
   */
  presence<const Id extends string>(channel: CheckedChannelId<C, Id, FamilyOfKind<C, "presence" | "room">, "presence">): Promise<PresenceMember[]>;
  /**
   * A page of history, ascending.
   * @example
   * const { messages } = await rk.history("room:42", { before: 100, limit: 20 });
   */
  history(channel: ChannelId<C>, query?: { before?: number; after?: number; limit?: number }): Promise<HistoryResult>;
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
  /** Room management; each operation without `by` acts as the server. */
  rooms: {
    /** @example await rk.rooms.create({ owner: "alice", name: "Team", members: ["bob"] }) */
    create(input: CreateRoomInput & { channel?: ChannelId<C, FamilyOfKind<C, "room">> }): Promise<RoomSummary>;
    /** @example await rk.rooms.invite("room:42", "carol") */
    invite(channel: ChannelId<C>, userId: string, options?: ActAs): Promise<RoomMember>;
    join(channel: ChannelId<C>, userId: string): Promise<RoomSummary>;
    leave(channel: ChannelId<C>, userId: string): Promise<void>;
    kick(channel: ChannelId<C>, userId: string, options?: ActAs): Promise<void>;
    setRole(channel: ChannelId<C>, userId: string, role: Exclude<RoomRole, "owner">, options?: ActAs): Promise<RoomMember>;
    mute(channel: ChannelId<C>, userId: string, muted: boolean, options?: ActAs): Promise<RoomMember>;
    list(userId: string): Promise<RoomSummary[]>;
    members(channel: ChannelId<C>): Promise<RoomMember[]>;
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

/** Builds the server-side API over a context. */
export function createApi<C extends AnyContract>(ctx: Context): Roomkit<C> {
  const dmFamily = Object.keys(ctx.contract.channels).find((f) => ctx.contract.channels[f]?.kind === "dm");
  return {
    io: ctx.io,
    stores: ctx.stores,
    publish: async (channel, body, options = {}) => {
      const ch = resolve(ctx, channel);
      const from = options.as === undefined ? SYSTEM_SENDER : checkUser(options.as);
      const input = { from, body, ...(options.clientId === undefined ? {} : { clientId: options.clientId }) };
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
    unread: async (userId) => unreadCounts(ctx, checkUser(userId)),
    receipts: async (channel) => readMarks(ctx, channel),
    rooms: {
      create: async (input) => createRoom(ctx, { ...input, owner: checkUser(input.owner), ...(input.members && { members: input.members.map(checkUser) }) }),
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
