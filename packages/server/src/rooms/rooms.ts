import { randomBytes } from "node:crypto";
import { RoomkitError, isValidFamily } from "@roomkit/protocol";
import type { ResolvedChannel, RoomInfo, RoomListResult, RoomMember, RoomMembersResult, RoomRole, RoomSummary } from "@roomkit/protocol";
import type { Context, Session } from "../context.js";
import type { PageQuery } from "../stores/types.js";
import { assertAccess, refOf, resolve } from "../channels/access.js";
import { askHook } from "../hooks.js";
import { announceRoomChange, connectMember, disconnectMember } from "./effects.js";
import { assertCanBeAdded, assertRoomsLeft, chargeRoomCreate } from "./room-quotas.js";

/**
 * Who acts on a room: a connection (the access decision and the per-user room caps apply), a
 * user id from the app's server code (that user's role applies), or `undefined` for the app's
 * own server code (all rights).
 */
export type Actor = Session | string | undefined;

const idOf = (actor: Actor): string | undefined => (typeof actor === "object" ? actor.user.id : actor);
const byOf = (actor: Actor) => (actor === undefined ? {} : { by: idOf(actor)! });

const RANK: Record<RoomRole, number> = { member: 1, admin: 2, owner: 3 };
const SYSTEM_RANK = 4;
const MAX_INITIAL_MEMBERS = 100;

/** The most rooms one `rk:room:list` page lists (and its default), as for `rk:room:members`. */
export const ROOM_LIST_PAGE = 500;

export interface CreateRoomInput {
  owner: string;
  channel?: string;
  family?: string;
  name?: string;
  members?: string[];
  open?: boolean;
}

function roomChannel(ctx: Context, id: unknown): ResolvedChannel {
  const ch = resolve(ctx, id);
  if (ch.kind !== "room") throw new RoomkitError("INVALID", `"${ch.id}" is a ${ch.kind} channel, not a room`);
  return ch;
}

function newRoomChannel(ctx: Context, family: string | undefined): ResolvedChannel {
  const fallback =
    ctx.options.rooms?.defaultFamily ?? Object.keys(ctx.contract.channels).find((f) => ctx.contract.channels[f]?.kind === "room");
  const chosen = family ?? fallback;
  if (!chosen || !isValidFamily(chosen)) throw new RoomkitError("INVALID", "the contract declares no room family to create the room in");
  return roomChannel(ctx, `${chosen}:${randomBytes(9).toString("base64url")}`);
}

async function existing(ctx: Context, channel: string): Promise<RoomInfo> {
  const room = await ctx.stores.rooms.get(channel);
  if (!room) throw new RoomkitError("NOT_FOUND", `no room "${channel}"`);
  return room;
}

/**
 * The actor's rank in the room. A user who is not a member is refused with `FORBIDDEN` whether
 * or not the room exists, so room ids cannot be probed; the server gets `NOT_FOUND`. A
 * connection goes through the access decision (`manage`), which finds its member.
 */
async function rankOf(ctx: Context, ch: ResolvedChannel, actor: Actor): Promise<number> {
  if (actor === undefined) {
    await existing(ctx, ch.id);
    return SYSTEM_RANK;
  }
  const member =
    typeof actor === "object" ? (await assertAccess(ctx, actor, "manage", ch)).member : await ctx.stores.rooms.member(ch.id, actor);
  if (!member) throw new RoomkitError("FORBIDDEN", `not a member of room "${ch.id}"`);
  return RANK[member.role];
}

/** Asks `hooks.canAddMember` whether `userId` may be added; a refusal is `FORBIDDEN` with its reason. */
function askCanAdd(ctx: Context, ch: ResolvedChannel, userId: string, actor: Actor, via: "create" | "invite"): Promise<void> {
  return askHook(
    ctx.hooks.canAddMember,
    { channel: refOf(ch), userId, by: idOf(actor), via },
    "FORBIDDEN",
    `"${userId}" may not be added to this room`,
  );
}

async function target(ctx: Context, channel: string, userId: string): Promise<RoomMember> {
  const member = await ctx.stores.rooms.member(channel, userId);
  if (!member) throw new RoomkitError("NOT_FOUND", `"${userId}" is not a member of "${channel}"`);
  return member;
}

/**
 * The actor must outrank the member they act on (an owner over admins, an admin over members).
 * Nobody, the server included, kicks, demotes or mutes the owner: a room always has one.
 */
async function assertOutranks(ctx: Context, ch: ResolvedChannel, actor: Actor, userId: string): Promise<RoomMember> {
  if (idOf(actor) === userId) throw new RoomkitError("INVALID", "this cannot be done to yourself");
  const rank = await rankOf(ctx, ch, actor);
  const member = await target(ctx, ch.id, userId);
  if (member.role === "owner") throw new RoomkitError("FORBIDDEN", "the owner cannot be kicked, demoted or muted; they can leave");
  if (rank <= RANK[member.role]) throw new RoomkitError("FORBIDDEN", `only a higher role can do this to a ${member.role}`);
  return member;
}

const summary = (room: RoomInfo, member: RoomMember): RoomSummary => ({ ...room, role: member.role, muted: member.muted });

/**
 * Creates a room owned by `input.owner` with its first members, and connects them all. A
 * connection creating it must be under its room caps, and so must each member it adds; every
 * added member passes `hooks.canAddMember`. A taken id and one used before get the same answer.
 */
export async function createRoom(ctx: Context, input: CreateRoomInput, actor: Actor = undefined): Promise<RoomSummary> {
  const ch = input.channel === undefined ? newRoomChannel(ctx, input.family) : roomChannel(ctx, input.channel);
  const now = Date.now();
  const others = (input.members ?? []).filter((m) => m !== input.owner);
  if (others.length > MAX_INITIAL_MEMBERS) throw new RoomkitError("INVALID", `at most ${MAX_INITIAL_MEMBERS} initial members`);
  if (typeof actor === "object") {
    chargeRoomCreate(ctx, actor.user.id);
    await assertAccess(ctx, actor, "create", ch);
  }
  if (actor !== undefined) {
    await assertRoomsLeft(ctx, input.owner, true);
    await assertCanBeAdded(ctx, others);
  }
  for (const m of others) await askCanAdd(ctx, ch, m, actor, "create");
  const room: RoomInfo = { channel: ch.id, name: input.name ?? ch.name, owner: input.owner, open: input.open ?? false, createdAt: now };
  const owner: RoomMember = { userId: input.owner, role: "owner", muted: false, joinedAt: now };
  const members = [owner, ...others.map((userId): RoomMember => ({ userId, role: "member", muted: false, joinedAt: now }))];
  // A deleted room's history stays; its id is not handed to someone else with it. One answer for both, so neither is told apart.
  const unavailable = () => new RoomkitError("CONFLICT", "room id is not available");
  if ((await ctx.stores.messages.stream(ch.id)).latest > 0) throw unavailable();
  if (!(await ctx.stores.rooms.create(room, members))) throw unavailable();
  for (const m of members) await connectMember(ctx, ch, m.userId);
  announceRoomChange(ctx, ch.id, { type: "created", userId: input.owner, room });
  for (const m of others) announceRoomChange(ctx, ch.id, { type: "joined", userId: m, by: input.owner, room });
  return summary(room, owner);
}

/** Adds a member; owners and admins may invite (or every member, with `rooms.invite: "members"`). */
export async function inviteMember(ctx: Context, actor: Actor, channel: string, userId: string): Promise<RoomMember> {
  const ch = roomChannel(ctx, channel);
  const rank = await rankOf(ctx, ch, actor);
  const room = await existing(ctx, ch.id);
  const needed = ctx.options.rooms?.invite === "members" ? RANK.member : RANK.admin;
  if (rank < needed) throw new RoomkitError("FORBIDDEN", "only owners and admins may invite");
  if (await ctx.stores.rooms.member(room.channel, userId)) throw new RoomkitError("CONFLICT", `"${userId}" is already a member`);
  if (actor !== undefined) await assertCanBeAdded(ctx, [userId]);
  await askCanAdd(ctx, ch, userId, actor, "invite");
  const member: RoomMember = { userId, role: "member", muted: false, joinedAt: Date.now() };
  await ctx.stores.rooms.putMember(room.channel, member);
  await connectMember(ctx, ch, userId);
  announceRoomChange(ctx, room.channel, { type: "joined", userId, ...byOf(actor), room });
  return member;
}

/**
 * Joins an open room; joining one you are in already is a no-op. A missing room and a closed
 * one get the same answer, so room ids cannot be probed. A connection joining must be under
 * its `roomMemberships` cap.
 */
export async function joinRoom(ctx: Context, who: Exclude<Actor, undefined>, channel: string): Promise<RoomSummary> {
  const userId = idOf(who)!;
  const ch = roomChannel(ctx, channel);
  if (typeof who === "object") await assertAccess(ctx, who, "join", ch);
  const room = await ctx.stores.rooms.get(ch.id);
  const current = room && (await ctx.stores.rooms.member(room.channel, userId));
  if (room && current) return summary(room, current);
  if (!room?.open) throw new RoomkitError("FORBIDDEN", `room "${ch.id}" is invitation-only or does not exist`);
  if (typeof who === "object") await assertRoomsLeft(ctx, userId, false);
  const member: RoomMember = { userId, role: "member", muted: false, joinedAt: Date.now() };
  await ctx.stores.rooms.putMember(room.channel, member);
  await connectMember(ctx, ch, userId);
  announceRoomChange(ctx, room.channel, { type: "joined", userId, room });
  return summary(room, member);
}

/** Leaves a room. An owner who leaves hands the room to the longest-standing admin, else member; the last one out deletes it. */
export async function leaveRoom(ctx: Context, userId: string, channel: string): Promise<void> {
  const id = roomChannel(ctx, channel).id;
  const member = await ctx.stores.rooms.member(id, userId);
  if (!member) throw new RoomkitError("NOT_FOUND", `"${userId}" is not a member of "${id}"`);
  const room = await existing(ctx, id);
  announceRoomChange(ctx, room.channel, { type: "left", userId });
  await ctx.stores.rooms.removeMember(room.channel, userId);
  await disconnectMember(ctx, room.channel, userId);
  if (member.role !== "owner") return;
  const rest = await ctx.stores.rooms.members(room.channel);
  const heir = rest.find((m) => m.role === "admin") ?? rest[0];
  if (!heir) return ctx.stores.rooms.delete(room.channel);
  await ctx.stores.rooms.update({ ...room, owner: heir.userId });
  await ctx.stores.rooms.putMember(room.channel, { ...heir, role: "owner" });
  announceRoomChange(ctx, room.channel, { type: "role", userId: heir.userId, role: "owner" });
}

/** Removes a member, who loses the room on every device at once. */
export async function kickMember(ctx: Context, actor: Actor, channel: string, userId: string): Promise<void> {
  const ch = roomChannel(ctx, channel);
  const id = ch.id;
  await assertOutranks(ctx, ch, actor, userId);
  announceRoomChange(ctx, id, { type: "kicked", userId, ...byOf(actor) });
  await ctx.stores.rooms.removeMember(id, userId);
  await disconnectMember(ctx, id, userId);
}

/** Makes a member an admin or a member again; only the owner (or the server) may. */
export async function setRole(ctx: Context, actor: Actor, channel: string, userId: string, role: RoomRole): Promise<RoomMember> {
  if (role === "owner") throw new RoomkitError("INVALID", 'role must be "admin" or "member"');
  const ch = roomChannel(ctx, channel);
  const id = ch.id;
  const member = await assertOutranks(ctx, ch, actor, userId);
  if (actor !== undefined && (await rankOf(ctx, ch, actor)) < RANK.owner)
    throw new RoomkitError("FORBIDDEN", "only the owner may change roles");
  const updated = { ...member, role };
  await ctx.stores.rooms.putMember(id, updated);
  announceRoomChange(ctx, id, { type: "role", userId, role, ...byOf(actor) });
  return updated;
}

/** Mutes or unmutes a member: a muted member still reads but may not publish. */
export async function setMuted(ctx: Context, actor: Actor, channel: string, userId: string, muted: boolean): Promise<RoomMember> {
  const ch = roomChannel(ctx, channel);
  const id = ch.id;
  const member = await assertOutranks(ctx, ch, actor, userId);
  const updated = { ...member, muted };
  await ctx.stores.rooms.putMember(id, updated);
  announceRoomChange(ctx, id, { type: muted ? "muted" : "unmuted", userId, ...byOf(actor) });
  return updated;
}

/** A page of the rooms a user is in, in the order they joined them, with their role and how many rooms they are in. */
export async function roomListPage(ctx: Context, userId: string, query: PageQuery): Promise<RoomListResult> {
  const page = await ctx.stores.rooms.membershipPage(userId, query);
  const rooms = page.members.map(({ room, member }) => summary(room, member));
  return page.next === undefined ? { rooms, count: page.count } : { rooms, count: page.count, next: page.next };
}

/** Every room a user is in, with their role, read page by page (the server API; its size is capped by `limits.roomMemberships`). */
export async function listRooms(ctx: Context, userId: string): Promise<RoomSummary[]> {
  const rooms: RoomSummary[] = [];
  let after: string | undefined;
  do {
    const page = await roomListPage(ctx, userId, after === undefined ? { limit: ROOM_LIST_PAGE } : { after, limit: ROOM_LIST_PAGE });
    rooms.push(...page.rooms);
    after = page.next;
  } while (after !== undefined);
  return rooms;
}

/** The stored members of a room; only its members (or the server) may look. */
export async function roomMembers(ctx: Context, actor: Actor, channel: string): Promise<RoomMember[]> {
  const ch = roomChannel(ctx, channel);
  await rankOf(ctx, ch, actor);
  return ctx.stores.rooms.members(ch.id);
}

/** A page of a room's stored members in join order, with the count; only its members (or the server) may look. */
export async function roomMemberPage(ctx: Context, actor: Actor, channel: string, query: PageQuery): Promise<RoomMembersResult> {
  const ch = roomChannel(ctx, channel);
  await rankOf(ctx, ch, actor);
  const page = await ctx.stores.rooms.memberPage(ch.id, query);
  return page.next === undefined ? { members: page.members, count: page.count } : page;
}
