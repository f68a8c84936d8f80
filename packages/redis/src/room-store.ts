import type { RoomInfo, RoomMember } from "@roomkit/protocol";
import type { MemberPage, PageQuery, RoomCounts, RoomMembership, RoomStore } from "@roomkit/server";
import { LUA_KEY_PART, checkPrefix, tagged } from "./keys.js";
import { cursorArgs, pageOf } from "./page.js";
import { Script } from "./script.js";
import type { CommandClient } from "./script.js";
import { guard } from "./unavailable.js";

/**
 * A room is `room/{<channel>}` (its info as JSON), `room/{<channel>}/m` (hash: user -> member
 * JSON), `room/{<channel>}/o` (zset: user by join order) and `room/{<channel>}/n` (the counter
 * that numbers its joins); `user/{<id>}/rooms` (zset: channel
 * by the user's join order, numbered from the counter `user/{<id>}/joins`, so a number is never
 * given twice) indexes `roomsOf` and the room list's pages, and `user/{<id>}/owned` (set) the
 * rooms where the user is the owner, for `countRooms`. A script given no user keys (on Redis
 * Cluster, where they are in other slots) leaves the user indexes to the caller.
 */
const INDEX_USER = `
local function indexUser(userRooms, userOwned, userJoins, channel, owner)
  if not redis.call('ZSCORE', userRooms, channel) then redis.call('ZADD', userRooms, redis.call('INCR', userJoins), channel) end
  if owner == '1' then redis.call('SADD', userOwned, channel) else redis.call('SREM', userOwned, channel) end
end
`;

const PUT = `${INDEX_USER}
local function put(info, user, member, owner, userRooms, userOwned, userJoins, channel)
  redis.call('HSET', info .. '/m', user, member)
  if not redis.call('ZSCORE', info .. '/o', user) then
    -- A counter numbers the joins, so a number is never given twice; a room stored before it existed starts it at its top.
    if redis.call('EXISTS', info .. '/n') == 0 then
      local top = redis.call('ZRANGE', info .. '/o', -1, -1, 'WITHSCORES')
      redis.call('SET', info .. '/n', tonumber(top[2]) or 0)
    end
    redis.call('ZADD', info .. '/o', redis.call('INCR', info .. '/n'), user)
  end
  if userRooms then indexUser(userRooms, userOwned, userJoins, channel, owner) end
end
`;

/** KEYS info (userRooms userOwned userJoins)...; ARGV infoJson channel (user member owner)... -> 1 created | 0 taken */
const CREATE = new Script(`${PUT}
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('SET', KEYS[1], ARGV[1])
for i = 3, #ARGV, 3 do
  local k = (i - 3) + 2
  put(KEYS[1], ARGV[i], ARGV[i + 1], ARGV[i + 2], KEYS[k], KEYS[k + 1], KEYS[k + 2], ARGV[2])
end
return 1
`);

/** KEYS info [userRooms userOwned userJoins]; ARGV channel user member owner -> 1 stored | 0 no such room */
const PUT_MEMBER = new Script(`${PUT}
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
put(KEYS[1], ARGV[2], ARGV[3], ARGV[4], KEYS[2], KEYS[3], KEYS[4], ARGV[1])
return 1
`);

/** KEYS info [userRooms userOwned userJoins]; ARGV channel user -> 1 removed | 0 */
const REMOVE_MEMBER = new Script(`
if redis.call('HDEL', KEYS[1] .. '/m', ARGV[2]) == 0 then return 0 end
redis.call('ZREM', KEYS[1] .. '/o', ARGV[2])
if KEYS[2] then
  redis.call('ZREM', KEYS[2], ARGV[1])
  redis.call('SREM', KEYS[3], ARGV[1])
end
return 1
`);

/** On a cluster, a user's indexes after the room's script. KEYS userRooms userOwned userJoins; ARGV channel owner ("1" | "0" | "" to take it out) */
const USER_INDEX = new Script(`${INDEX_USER}
if ARGV[2] == '' then
  redis.call('ZREM', KEYS[1], ARGV[1])
  redis.call('SREM', KEYS[2], ARGV[1])
else
  indexUser(KEYS[1], KEYS[2], KEYS[3], ARGV[1], ARGV[2])
end
return 1
`);

/** KEYS userRooms userOwned -> {member, owned} */
const COUNT = new Script(`
return { redis.call('ZCARD', KEYS[1]), redis.call('SCARD', KEYS[2]) }
`);

/** KEYS userRooms; ARGV after limit -> {count, next, (channel, join number)...} in the user's join order (see `cursorArgs`) */
const ROOMS_PAGE = new Script(`
local out = {redis.call('ZCARD', KEYS[1]), ''}
if ARGV[1] == '-' then return out end
local limit = tonumber(ARGV[2])
local min = ARGV[1] == '' and '-inf' or '(' .. ARGV[1]
local rows = redis.call('ZRANGEBYSCORE', KEYS[1], min, '+inf', 'WITHSCORES', 'LIMIT', 0, limit + 1)
local n = math.min(#rows / 2, limit)
if #rows / 2 > limit then out[2] = rows[limit * 2] end
for i = 1, n * 2 do out[#out + 1] = rows[i] end
return out
`);

/** KEYS info; ARGV prefix channel indexHere(1|0) -> the members' ids when the caller updates their indexes */
const DELETE = new Script(`${LUA_KEY_PART}
local users = redis.call('HKEYS', KEYS[1] .. '/m')
if ARGV[3] == '1' then
  for _, user in ipairs(users) do
    redis.call('ZREM', ARGV[1] .. 'user/{' .. part(user) .. '}/rooms', ARGV[2])
    redis.call('SREM', ARGV[1] .. 'user/{' .. part(user) .. '}/owned', ARGV[2])
  end
  users = {}
end
redis.call('DEL', KEYS[1], KEYS[1] .. '/m', KEYS[1] .. '/o', KEYS[1] .. '/n')
return users
`);

/** KEYS info -> {member JSON...} in join order */
const MEMBERS = new Script(`
local users = redis.call('ZRANGE', KEYS[1] .. '/o', 0, -1)
local out = {}
for i = 1, #users, 500 do
  local chunk = redis.call('HMGET', KEYS[1] .. '/m', unpack(users, i, math.min(i + 499, #users)))
  for _, member in ipairs(chunk) do out[#out + 1] = member end
end
return out
`);

/** KEYS info; ARGV after limit -> {count, next, (user, member JSON)...} in join order (see `cursorArgs`) */
const MEMBER_PAGE = new Script(`
local out = {redis.call('ZCARD', KEYS[1] .. '/o'), ''}
if ARGV[1] == '-' then return out end
local limit = tonumber(ARGV[2])
local min = ARGV[1] == '' and '-inf' or '(' .. ARGV[1]
local rows = redis.call('ZRANGEBYSCORE', KEYS[1] .. '/o', min, '+inf', 'WITHSCORES', 'LIMIT', 0, limit + 1)
local n = math.min(#rows / 2, limit)
if n == 0 then return out end
if #rows / 2 > limit then out[2] = rows[limit * 2] end
local users = {}
for i = 1, n do users[i] = rows[i * 2 - 1] end
local members = redis.call('HMGET', KEYS[1] .. '/m', unpack(users))
for i = 1, n do
  if members[i] then
    out[#out + 1] = users[i]
    out[#out + 1] = members[i]
  end
end
return out
`);

export const ROOM_SCRIPTS = [CREATE, PUT_MEMBER, REMOVE_MEMBER, USER_INDEX, DELETE, MEMBERS, MEMBER_PAGE, ROOMS_PAGE, COUNT];

const ownerFlag = (member: RoomMember) => (member.role === "owner" ? "1" : "0");

function assertChannel(channel: unknown): asserts channel is string {
  if (typeof channel !== "string" || channel === "") throw new TypeError("room channel must be a non-empty string");
}

function assertMember(member: RoomMember): void {
  if (typeof member?.userId !== "string" || member.userId === "") throw new TypeError("member.userId must be a non-empty string");
}

/**
 * Rooms and their members in Redis, so membership survives restarts and every node sees it.
 * On one Redis, a room and its members' indexes change in one script. On Redis Cluster
 * (`cluster: true`) the room's keys change in one script and each member's index right after
 * it, in that member's slot: a node that dies between the two leaves an index out of date.
 *
 * @example
 * const rooms = new RedisRoomStore(client, { prefix: "myapp:" });
 * await rooms.create(room, [{ userId: "alice", role: "owner", muted: false, joinedAt: Date.now() }]);
 */
export class RedisRoomStore implements RoomStore {
  readonly #client: CommandClient;
  readonly #prefix: string;
  readonly #cluster: boolean;

  constructor(client: CommandClient, options: { prefix?: string; cluster?: boolean } = {}) {
    this.#client = client;
    this.#prefix = checkPrefix(options.prefix ?? "rk:");
    this.#cluster = options.cluster ?? false;
  }

  async create(room: RoomInfo, members: RoomMember[]): Promise<boolean> {
    assertChannel(room?.channel);
    members.forEach(assertMember);
    const userKeys = this.#cluster ? [] : members.flatMap((m) => this.#userKeys(m.userId));
    const args = [JSON.stringify(room), room.channel, ...members.flatMap((m) => [m.userId, JSON.stringify(m), ownerFlag(m)])];
    const created = (await guard(CREATE.run(this.#client, [this.#info(room.channel), ...userKeys], args))) === 1;
    if (created && this.#cluster) await Promise.all(members.map((m) => this.#index(room.channel, m.userId, ownerFlag(m))));
    return created;
  }

  async get(channel: string): Promise<RoomInfo | undefined> {
    const json = (await this.#call(["GET", this.#info(channel)])) as string | null;
    return json === null ? undefined : (JSON.parse(json) as RoomInfo);
  }

  /** Replaces a stored room's info; a room that does not exist (deleted meanwhile) stays absent. */
  async update(room: RoomInfo): Promise<void> {
    assertChannel(room?.channel);
    await this.#call(["SET", this.#info(room.channel), JSON.stringify(room), "XX"]);
  }

  async delete(channel: string): Promise<void> {
    const indexHere = this.#cluster ? "0" : "1";
    const users = (await guard(DELETE.run(this.#client, [this.#info(channel)], [this.#prefix, channel, indexHere]))) as string[];
    await Promise.all(users.map((userId) => this.#index(channel, userId, undefined)));
  }

  async member(channel: string, userId: string): Promise<RoomMember | undefined> {
    const json = (await this.#call(["HGET", `${this.#info(channel)}/m`, userId])) as string | null;
    return json === null ? undefined : (JSON.parse(json) as RoomMember);
  }

  async members(channel: string): Promise<RoomMember[]> {
    const list = (await guard(MEMBERS.run(this.#client, [this.#info(channel)], []))) as string[];
    return list.map((json) => JSON.parse(json) as RoomMember);
  }

  async memberPage(channel: string, query: PageQuery): Promise<MemberPage<RoomMember>> {
    const flat = (await guard(MEMBER_PAGE.run(this.#client, [this.#info(channel)], cursorArgs(query)))) as (string | number)[];
    return pageOf(flat, (_userId, json) => JSON.parse(json) as RoomMember);
  }

  /** Adds or replaces a member (a replaced member keeps their place); ignored when the room does not exist. */
  async putMember(channel: string, member: RoomMember): Promise<void> {
    assertChannel(channel);
    assertMember(member);
    const keys = [this.#info(channel), ...(this.#cluster ? [] : this.#userKeys(member.userId))];
    const stored = await guard(PUT_MEMBER.run(this.#client, keys, [channel, member.userId, JSON.stringify(member), ownerFlag(member)]));
    if (stored === 1 && this.#cluster) await this.#index(channel, member.userId, ownerFlag(member));
  }

  async removeMember(channel: string, userId: string): Promise<boolean> {
    const keys = [this.#info(channel), ...(this.#cluster ? [] : this.#userKeys(userId))];
    const removed = (await guard(REMOVE_MEMBER.run(this.#client, keys, [channel, userId]))) === 1;
    if (removed && this.#cluster) await this.#index(channel, userId, undefined);
    return removed;
  }

  async roomsOf(userId: string): Promise<string[]> {
    return (await this.#call(["ZRANGE", this.#userKeys(userId)[0], "0", "-1"])) as string[];
  }

  /**
   * A page of the user's rooms from their index, then each room's info and the user's member
   * entry: every lookup of the second step sent at once (one pipeline), so two round trips
   * whatever the page's size, and neither reads past the page.
   */
  async membershipPage(userId: string, query: PageQuery): Promise<MemberPage<RoomMembership>> {
    const [rooms] = this.#userKeys(userId);
    const flat = (await guard(ROOMS_PAGE.run(this.#client, [rooms], cursorArgs(query)))) as (string | number)[];
    const { members: channels, ...rest } = pageOf(flat, (channel) => channel);
    const found = await Promise.all(
      channels.map(async (channel) => {
        const [room, member] = await Promise.all([this.get(channel), this.member(channel, userId)]);
        return room && member ? [{ room, member }] : [];
      }),
    );
    return { members: found.flat(), ...rest };
  }

  async countRooms(userId: string): Promise<RoomCounts> {
    const [member, owned] = (await guard(COUNT.run(this.#client, this.#userKeys(userId), []))) as [number, number];
    return { owned, member };
  }

  /** On a cluster: puts a room in a user's indexes (`owner` "1" or "0"), or takes it out of both (`undefined`), in one script. */
  async #index(channel: string, userId: string, owner: string | undefined): Promise<void> {
    await guard(USER_INDEX.run(this.#client, this.#userKeys(userId), [channel, owner ?? ""]));
  }

  #call(args: string[]): Promise<unknown> {
    return guard(this.#client.sendCommand(args));
  }

  #info(channel: string): string {
    return `${this.#prefix}room/${tagged(channel)}`;
  }

  /** `user/{<id>}/rooms`, `user/{<id>}/owned` and `user/{<id>}/joins`: one slot. */
  #userKeys(userId: string): [string, string, string] {
    const base = `${this.#prefix}user/${tagged(userId)}`;
    return [`${base}/rooms`, `${base}/owned`, `${base}/joins`];
  }
}
