import type { PresenceMember } from "@roomkit/protocol";
import type { PresenceEntry, PresenceStore } from "../types.js";

interface Present {
  info: unknown;
  conns: Set<string>;
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
  readonly #channels = new Map<string, Map<string, Present>>();

  async add(entry: PresenceEntry): Promise<{ first: boolean }> {
    const { channel, userId, connId, info } = entry;
    assertIds(channel, userId, connId);
    let users = this.#channels.get(channel);
    if (!users) {
      users = new Map();
      this.#channels.set(channel, users);
    }
    const present = users.get(userId);
    if (present) {
      present.info = info;
      present.conns.add(connId);
      return { first: false };
    }
    users.set(userId, { info, conns: new Set([connId]) });
    return { first: true };
  }

  async remove(channel: string, userId: string, connId: string): Promise<{ last: boolean; member?: PresenceMember }> {
    assertIds(channel, userId, connId);
    const users = this.#channels.get(channel);
    const present = users?.get(userId);
    if (!users || !present?.conns.delete(connId)) return { last: false };
    if (present.conns.size > 0) return { last: false };
    users.delete(userId);
    if (users.size === 0) this.#channels.delete(channel);
    return { last: true, member: { userId, info: present.info } };
  }

  async removeUser(channel: string, userId: string): Promise<PresenceMember | undefined> {
    const users = this.#channels.get(channel);
    const present = users?.get(userId);
    if (!users || !present) return undefined;
    users.delete(userId);
    if (users.size === 0) this.#channels.delete(channel);
    return { userId, info: present.info };
  }

  async members(channel: string): Promise<PresenceMember[]> {
    const users = this.#channels.get(channel);
    if (!users) return [];
    return Array.from(users, ([userId, { info }]) => ({ userId, info }));
  }
}

function assertIds(channel: string, userId: string, connId: string): void {
  if (typeof channel !== "string" || channel === "") throw new TypeError("channel must be a non-empty string");
  if (typeof userId !== "string" || userId === "") throw new TypeError("userId must be a non-empty string");
  if (typeof connId !== "string" || connId === "") throw new TypeError("connId must be a non-empty string");
}
