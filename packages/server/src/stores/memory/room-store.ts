import type { RoomInfo, RoomMember } from "@roomkit/protocol";
import type { MemberPage, PageQuery, RoomCounts, RoomMembership, RoomStore } from "../types.js";
import { JoinOrder } from "./join-order.js";
import { checkPageQuery } from "./page-query.js";

interface Room {
  info: RoomInfo;
  members: Map<string, RoomMember>;
  order: JoinOrder;
}

/**
 * Rooms and their members in process memory, with a per-user index in join order for
 * {@link roomsOf} and {@link membershipPage}.
 *
 * @example
 * const rooms = new MemoryRoomStore();
 * const room = { channel: "room:42", name: "Design", owner: "alice", open: false, createdAt: Date.now() };
 * await rooms.create(room, [{ userId: "alice", role: "owner", muted: false, joinedAt: Date.now() }]);
 * await rooms.roomsOf("alice"); // ["room:42"]
 */
export class MemoryRoomStore implements RoomStore {
  readonly #rooms = new Map<string, Room>();
  readonly #roomsByUser = new Map<string, JoinOrder>();
  readonly #ownedByUser = new Map<string, Set<string>>();

  async create(room: RoomInfo, members: RoomMember[]): Promise<boolean> {
    assertChannel(room?.channel);
    if (this.#rooms.has(room.channel)) return false;
    this.#rooms.set(room.channel, { info: { ...room }, members: new Map(), order: new JoinOrder() });
    for (const member of members) this.#put(room.channel, member);
    return true;
  }

  async get(channel: string): Promise<RoomInfo | undefined> {
    const room = this.#rooms.get(channel);
    return room && { ...room.info };
  }

  /** Replaces a stored room's info; a room that does not exist (deleted meanwhile) stays absent. */
  async update(room: RoomInfo): Promise<void> {
    assertChannel(room?.channel);
    const stored = this.#rooms.get(room.channel);
    if (stored) stored.info = { ...room };
  }

  async delete(channel: string): Promise<void> {
    const room = this.#rooms.get(channel);
    if (!room) return;
    for (const userId of room.members.keys()) this.#unindex(userId, channel);
    this.#rooms.delete(channel);
  }

  async member(channel: string, userId: string): Promise<RoomMember | undefined> {
    const member = this.#rooms.get(channel)?.members.get(userId);
    return member && { ...member };
  }

  async members(channel: string): Promise<RoomMember[]> {
    const room = this.#rooms.get(channel);
    return room ? Array.from(room.members.values(), (m) => ({ ...m })) : [];
  }

  async memberPage(channel: string, query: PageQuery): Promise<MemberPage<RoomMember>> {
    checkPageQuery(query);
    const room = this.#rooms.get(channel);
    if (!room) return { members: [], count: 0 };
    const { keys, next } = room.order.page(query.after, query.limit);
    const members = keys.flatMap((userId) => {
      const member = room.members.get(userId);
      return member ? [{ ...member }] : [];
    });
    const count = room.members.size;
    return next === undefined ? { members, count } : { members, count, next };
  }

  /** Adds or replaces a member (a replaced member keeps their place); ignored when the room does not exist. */
  async putMember(channel: string, member: RoomMember): Promise<void> {
    assertChannel(channel);
    this.#put(channel, member);
  }

  async removeMember(channel: string, userId: string): Promise<boolean> {
    const room = this.#rooms.get(channel);
    if (!room?.members.delete(userId)) return false;
    room.order.delete(userId);
    this.#unindex(userId, channel);
    return true;
  }

  async roomsOf(userId: string): Promise<string[]> {
    return this.#roomsByUser.get(userId)?.keys() ?? [];
  }

  async membershipPage(userId: string, query: PageQuery): Promise<MemberPage<RoomMembership>> {
    checkPageQuery(query);
    const order = this.#roomsByUser.get(userId);
    if (!order) return { members: [], count: 0 };
    const { keys, next } = order.page(query.after, query.limit);
    const members = keys.flatMap((channel) => {
      const room = this.#rooms.get(channel);
      const member = room?.members.get(userId);
      return room && member ? [{ room: { ...room.info }, member: { ...member } }] : [];
    });
    return next === undefined ? { members, count: order.size } : { members, count: order.size, next };
  }

  async countRooms(userId: string): Promise<RoomCounts> {
    return { owned: this.#ownedByUser.get(userId)?.size ?? 0, member: this.#roomsByUser.get(userId)?.size ?? 0 };
  }

  #put(channel: string, member: RoomMember): void {
    if (typeof member?.userId !== "string" || member.userId === "") throw new TypeError("member.userId must be a non-empty string");
    const room = this.#rooms.get(channel);
    if (!room) return;
    room.members.set(member.userId, { ...member });
    room.order.add(member.userId);
    let joined = this.#roomsByUser.get(member.userId);
    if (!joined) this.#roomsByUser.set(member.userId, (joined = new JoinOrder()));
    joined.add(channel);
    if (member.role === "owner") index(this.#ownedByUser, member.userId, channel);
    else unindex(this.#ownedByUser, member.userId, channel);
  }

  #unindex(userId: string, channel: string): void {
    const joined = this.#roomsByUser.get(userId);
    joined?.delete(channel);
    if (joined?.size === 0) this.#roomsByUser.delete(userId);
    unindex(this.#ownedByUser, userId, channel);
  }
}

function index(byUser: Map<string, Set<string>>, userId: string, channel: string): void {
  let channels = byUser.get(userId);
  if (!channels) byUser.set(userId, (channels = new Set()));
  channels.add(channel);
}

function unindex(byUser: Map<string, Set<string>>, userId: string, channel: string): void {
  const channels = byUser.get(userId);
  channels?.delete(channel);
  if (channels?.size === 0) byUser.delete(userId);
}

function assertChannel(channel: unknown): asserts channel is string {
  if (typeof channel !== "string" || channel === "") throw new TypeError("room channel must be a non-empty string");
}
