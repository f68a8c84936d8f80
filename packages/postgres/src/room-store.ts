import type { RoomInfo, RoomMember, RoomRole } from "@roomkit/protocol";
import type { MemberPage, PageQuery, RoomCounts, RoomMembership, RoomStore } from "@roomkit/server";
import { checkSchema, run, statements } from "./sql.js";
import type { Queryable } from "./sql.js";

const MEMBER_COLUMNS = "m.user_id, m.role, m.muted, m.joined_at";

/** Every statement of the room store; `{s}` is the schema. */
const SQL = {
  create: `WITH room AS (
  INSERT INTO {s}.rooms (channel, name, owner, open, created_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (channel) DO NOTHING RETURNING channel
), added AS (
  INSERT INTO {s}.room_members (channel, user_id, role, muted, joined_at)
  SELECT room.channel, x.m ->> 'userId', x.m ->> 'role', (x.m ->> 'muted')::boolean, (x.m ->> 'joinedAt')::float8
  FROM room, json_array_elements($6::json) WITH ORDINALITY AS x (m, ord) ORDER BY x.ord RETURNING 1
)
SELECT count(*) AS created FROM room`,
  get: "SELECT channel, name, owner, open, created_at FROM {s}.rooms WHERE channel = $1",
  update: "UPDATE {s}.rooms SET name = $2, owner = $3, open = $4, created_at = $5 WHERE channel = $1",
  delete: "DELETE FROM {s}.rooms WHERE channel = $1",
  member: `SELECT ${MEMBER_COLUMNS} FROM {s}.room_members m WHERE m.channel = $1 AND m.user_id = $2`,
  members: `SELECT ${MEMBER_COLUMNS} FROM {s}.room_members m WHERE m.channel = $1 ORDER BY m.position`,
  // Ignored when the room does not exist; a replaced member keeps their place.
  putMember: `INSERT INTO {s}.room_members (channel, user_id, role, muted, joined_at)
SELECT r.channel, $2, $3, $4, $5 FROM {s}.rooms r WHERE r.channel = $1
ON CONFLICT (channel, user_id) DO UPDATE SET role = EXCLUDED.role, muted = EXCLUDED.muted, joined_at = EXCLUDED.joined_at`,
  removeMember: "DELETE FROM {s}.room_members WHERE channel = $1 AND user_id = $2 RETURNING 1",
  // The room's size, and one page after a join position, from the (channel, position) index: one statement.
  memberPage: `SELECT c.total, p.user_id, p.role, p.muted, p.joined_at, p.position
FROM (SELECT count(*) AS total FROM {s}.room_members WHERE channel = $1) c
LEFT JOIN LATERAL (
  SELECT ${MEMBER_COLUMNS}, m.position FROM {s}.room_members m
  WHERE m.channel = $1 AND m.position > $2 ORDER BY m.position LIMIT $3
) p ON $4
ORDER BY p.position`,
  roomsOf: "SELECT channel FROM {s}.room_members WHERE user_id = $1 ORDER BY position",
  // The user's room count, and one page of their rooms after a join position, from the (user_id, position) index: one statement.
  membershipPage: `SELECT c.total, p.channel, p.name, p.owner, p.open, p.created_at, p.user_id, p.role, p.muted, p.joined_at, p.position
FROM (SELECT count(*) AS total FROM {s}.room_members WHERE user_id = $1) c
LEFT JOIN LATERAL (
  SELECT r.channel, r.name, r.owner, r.open, r.created_at, ${MEMBER_COLUMNS}, m.position
  FROM {s}.room_members m JOIN {s}.rooms r ON r.channel = m.channel
  WHERE m.user_id = $1 AND m.position > $2 ORDER BY m.position LIMIT $3
) p ON $4
ORDER BY p.position`,
  countRooms: "SELECT count(*) FILTER (WHERE role = 'owner') AS owned, count(*) AS member FROM {s}.room_members WHERE user_id = $1",
};

interface RoomRow {
  channel: string;
  name: string;
  owner: string;
  open: boolean;
  created_at: number;
}

interface MemberRow {
  user_id: string;
  role: RoomRole;
  muted: boolean;
  joined_at: number;
}

/** A page cursor is a join position this store gave out; anything else gives an empty page. */
const CURSOR = /^\d{1,18}$/;

const memberOf = (row: MemberRow): RoomMember => ({ userId: row.user_id, role: row.role, muted: row.muted, joinedAt: row.joined_at });
const roomOf = (row: RoomRow): RoomInfo => ({
  channel: row.channel,
  name: row.name,
  owner: row.owner,
  open: row.open,
  createdAt: row.created_at,
});

function checkLimit(query: PageQuery): void {
  if (!Number.isInteger(query?.limit) || query.limit < 1) throw new TypeError("limit must be an integer of at least 1");
}

/**
 * Rooms and their members in PostgreSQL (`rooms`, `room_members`), each operation one statement;
 * deleting a room deletes its members with it.
 *
 * @example
 * const rooms = new PostgresRoomStore(pool);
 * await rooms.create({ channel: "room:42", name: "Design", owner: "alice", open: false, createdAt: Date.now() }, [
 *   { userId: "alice", role: "owner", muted: false, joinedAt: Date.now() },
 * ]);
 */
export class PostgresRoomStore implements RoomStore {
  readonly #db: Queryable;
  readonly #sql: ReturnType<typeof statements<keyof typeof SQL>>;

  constructor(db: Queryable, options: { schema?: string } = {}) {
    this.#db = db;
    this.#sql = statements(checkSchema(options.schema ?? "roomkit"), "rooms", SQL);
  }

  async create(room: RoomInfo, members: RoomMember[]): Promise<boolean> {
    assertChannel(room?.channel);
    for (const member of members) assertMember(member);
    // A member listed twice is stored once, as listed last, in the place of the first.
    const unique = [...new Map(members.map((m) => [m.userId, m])).values()];
    const [row] = await run<{ created: string }>(this.#db, this.#sql.create, [...roomValues(room), JSON.stringify(unique)]);
    return Number(row?.created) === 1;
  }

  async get(channel: string): Promise<RoomInfo | undefined> {
    const [row] = await run<RoomRow>(this.#db, this.#sql.get, [channel]);
    return row && roomOf(row);
  }

  async update(room: RoomInfo): Promise<void> {
    assertChannel(room?.channel);
    await run(this.#db, this.#sql.update, roomValues(room));
  }

  async delete(channel: string): Promise<void> {
    await run(this.#db, this.#sql.delete, [channel]);
  }

  async member(channel: string, userId: string): Promise<RoomMember | undefined> {
    const [row] = await run<MemberRow>(this.#db, this.#sql.member, [channel, userId]);
    return row && memberOf(row);
  }

  async members(channel: string): Promise<RoomMember[]> {
    return (await run<MemberRow>(this.#db, this.#sql.members, [channel])).map(memberOf);
  }

  async memberPage(channel: string, query: PageQuery): Promise<MemberPage<RoomMember>> {
    checkLimit(query);
    const known = query.after === undefined || CURSOR.test(query.after);
    // One row more than the page tells whether another page follows.
    const rows = await run<Partial<MemberRow> & { total: string; position: string | null }>(this.#db, this.#sql.memberPage, [
      channel,
      known ? (query.after ?? "0") : "0",
      query.limit + 1,
      known,
    ]);
    const found = rows.filter((row) => row.position !== null) as (MemberRow & { position: string })[];
    const page = found.slice(0, query.limit);
    const count = Number(rows[0]?.total ?? 0);
    const members = page.map(memberOf);
    return found.length > query.limit ? { members, count, next: page[page.length - 1]!.position } : { members, count };
  }

  async putMember(channel: string, member: RoomMember): Promise<void> {
    assertChannel(channel);
    assertMember(member);
    try {
      await run(this.#db, this.#sql.putMember, [channel, member.userId, member.role, member.muted, member.joinedAt]);
    } catch (err) {
      // The room was deleted between the insert's check and its write: as if it had never existed.
      if ((err as { code?: string }).code !== "23503") throw err;
    }
  }

  async removeMember(channel: string, userId: string): Promise<boolean> {
    return (await run(this.#db, this.#sql.removeMember, [channel, userId])).length > 0;
  }

  async roomsOf(userId: string): Promise<string[]> {
    return (await run<{ channel: string }>(this.#db, this.#sql.roomsOf, [userId])).map((row) => row.channel);
  }

  async membershipPage(userId: string, query: PageQuery): Promise<MemberPage<RoomMembership>> {
    checkLimit(query);
    const known = query.after === undefined || CURSOR.test(query.after);
    // One row more than the page tells whether another page follows.
    const rows = await run<Partial<RoomRow & MemberRow> & { total: string; position: string | null }>(this.#db, this.#sql.membershipPage, [
      userId,
      known ? (query.after ?? "0") : "0",
      query.limit + 1,
      known,
    ]);
    const found = rows.filter((row) => row.position !== null) as (RoomRow & MemberRow & { position: string })[];
    const page = found.slice(0, query.limit);
    const count = Number(rows[0]?.total ?? 0);
    const members = page.map((row) => ({ room: roomOf(row), member: memberOf(row) }));
    return found.length > query.limit ? { members, count, next: page[page.length - 1]!.position } : { members, count };
  }

  async countRooms(userId: string): Promise<RoomCounts> {
    const [row] = await run<{ owned: string; member: string }>(this.#db, this.#sql.countRooms, [userId]);
    return { owned: Number(row?.owned ?? 0), member: Number(row?.member ?? 0) };
  }
}

const roomValues = (room: RoomInfo) => [room.channel, room.name, room.owner, room.open, room.createdAt];

function assertChannel(channel: unknown): asserts channel is string {
  if (typeof channel !== "string" || channel === "") throw new TypeError("room channel must be a non-empty string");
}

function assertMember(member: RoomMember): void {
  if (typeof member?.userId !== "string" || member.userId === "") throw new TypeError("member.userId must be a non-empty string");
}
