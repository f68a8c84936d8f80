import type { PresenceMember } from "@roomkit/protocol";
import type { MemberPage, PageQuery, PresenceEntry, PresenceStore } from "../types.js";
import { JoinOrder } from "./join-order.js";
import { checkPageQuery } from "./page-query.js";
import { SmallSet } from "../../small-set.js";

/** A user in a channel: their connections there (nearly always one, so no table) and their info. */
class Present extends SmallSet<string> {
  info: unknown;

  constructor(connId: string, info: unknown) {
    super(connId);
    this.info = info;
  }
}

/** A channel's users, and the order they entered in, for paging. */
interface Channel {
  users: Map<string, Present>;
  order: JoinOrder;
}

/**
 * Presence in process memory, aggregated by user: a user with many connections is one member.
 *
 * @example
 * const presence = new MemoryPresenceStore();
 * const { first } = await presence.add({ channel: "presence:lobby", userId: "alice", connId: socket.id, info: { name: "Alice" } });
 * if (first) broadcastJoin("alice");
 */
export class MemoryPresenceStore implements PresenceStore {
  readonly #channels = new Map<string, Channel>();

  async add(entry: PresenceEntry): Promise<{ first: boolean }> {
    const { channel, userId, connId, info } = entry;
    assertIds(channel, userId, connId);
    let state = this.#channels.get(channel);
    if (!state) {
      state = { users: new Map(), order: new JoinOrder() };
      this.#channels.set(channel, state);
    }
    const present = state.users.get(userId);
    if (present) {
      present.info = info;
      present.add(connId);
      return { first: false };
    }
    state.users.set(userId, new Present(connId, info));
    state.order.add(userId);
    return { first: true };
  }

  async remove(channel: string, userId: string, connId: string): Promise<{ last: boolean; member?: PresenceMember }> {
    assertIds(channel, userId, connId);
    const present = this.#channels.get(channel)?.users.get(userId);
    if (!present?.delete(connId)) return { last: false };
    if (present.size > 0) return { last: false };
    this.#drop(channel, userId);
    return { last: true, member: { userId, info: present.info } };
  }

  async removeUser(channel: string, userId: string): Promise<PresenceMember | undefined> {
    const present = this.#channels.get(channel)?.users.get(userId);
    if (!present) return undefined;
    this.#drop(channel, userId);
    return { userId, info: present.info };
  }

  async members(channel: string): Promise<PresenceMember[]> {
    const state = this.#channels.get(channel);
    if (!state) return [];
    return Array.from(state.users, ([userId, { info }]) => ({ userId, info }));
  }

  async page(channel: string, query: PageQuery): Promise<MemberPage<PresenceMember>> {
    checkPageQuery(query);
    const state = this.#channels.get(channel);
    if (!state) return { members: [], count: 0 };
    const { keys, next } = state.order.page(query.after, query.limit);
    const members = keys.map((userId) => ({ userId, info: state.users.get(userId)?.info }));
    const count = state.users.size;
    return next === undefined ? { members, count } : { members, count, next };
  }

  #drop(channel: string, userId: string): void {
    const state = this.#channels.get(channel);
    if (!state) return;
    state.users.delete(userId);
    state.order.delete(userId);
    if (state.users.size === 0) this.#channels.delete(channel);
  }
}

function assertIds(channel: string, userId: string, connId: string): void {
  if (typeof channel !== "string" || channel === "") throw new TypeError("channel must be a non-empty string");
  if (typeof userId !== "string" || userId === "") throw new TypeError("userId must be a non-empty string");
  if (typeof connId !== "string" || connId === "") throw new TypeError("connId must be a non-empty string");
}
