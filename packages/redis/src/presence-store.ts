import { hostname } from "node:os";
import { randomBytes } from "node:crypto";
import type { PresenceMember } from "@roomkit/protocol";
import type { MemberPage, PageQuery, PresenceChange, PresenceEntry, PresenceStore } from "@roomkit/server";
import { checkPrefix } from "./keys.js";
import { logger } from "./log.js";
import { cursorArgs, pageOf } from "./page.js";
import { ADD, MEMBERS, PAGE, REMOVE, REMOVE_USER, TICK } from "./presence-scripts.js";
import { PresenceKeys, sweepNode } from "./presence-sweep.js";
import type { CommandClient } from "./script.js";
import { guard } from "./unavailable.js";

const log = logger("presence");

export interface RedisPresenceOptions {
  /** How often this node renews its heartbeat and sweeps dead nodes. Default 2000 ms. */
  heartbeatMs?: number;
  /**
   * A node whose heartbeat is older than this is dead: its connections are removed and its
   * users' departures announced. A killed node's members leave within `nodeTtlMs + heartbeatMs`.
   * Default 10 000 ms; at least twice `heartbeatMs`.
   */
  nodeTtlMs?: number;
  /** Most connections one sweep removes, so a huge dead node does not block Redis. Default 1000. */
  sweepBudget?: number;
}

interface LocalEntry {
  userId: string;
  info: string;
}

/** Info travels as JSON; `""` stands for `undefined`, which JSON cannot hold. */
const encodeInfo = (info: unknown): string => JSON.stringify(info) ?? "";
const decodeInfo = (text: string): unknown => (text === "" ? undefined : JSON.parse(text));

function assertIds(channel: string, userId: string, connId?: string): void {
  if (typeof channel !== "string" || channel === "") throw new TypeError("channel must be a non-empty string");
  if (typeof userId !== "string" || userId === "") throw new TypeError("userId must be a non-empty string");
  if (connId !== undefined && (typeof connId !== "string" || connId === "")) throw new TypeError("connId must be a non-empty string");
}

/**
 * Presence shared by every node, aggregated by user across nodes and tabs. Each node's
 * connections are recorded under its node id, which renews a heartbeat in Redis; every node
 * sweeps the nodes whose heartbeat ran out (one atomic script: each departure is reported to
 * exactly one node, which announces it). A node that finds it was swept while cut off from
 * Redis puts its own connections back and reports the users who return.
 *
 * @example
 * const presence = new RedisPresenceStore(client, { prefix: "myapp:", nodeId: "web-1" });
 * presence.onChange(({ type, channel, member }) => announce(channel, type, member));
 */
export class RedisPresenceStore implements PresenceStore {
  /** This process's id in Redis: the configured node id and a per-process suffix. */
  readonly nodeId: string;
  readonly #client: CommandClient;
  readonly #prefix: string;
  readonly #keys: PresenceKeys;
  readonly #heartbeatMs: number;
  readonly #ttlMs: number;
  readonly #budget: number;
  /** This node's connections, by channel then connection: what it puts back after being swept. */
  readonly #local = new Map<string, Map<string, LocalEntry>>();
  readonly #listeners = new Set<(change: PresenceChange) => void>();
  /**
   * Removals that failed (Redis unavailable), retried on each heartbeat: the connections of a
   * live node are never swept, so they must not stay. A removal is dropped once this node
   * counts that connection (or user) in the channel again.
   */
  readonly #failedRemovals = new Set<() => Promise<void>>();
  #timer: ReturnType<typeof setTimeout> | undefined;
  #closed = false;

  constructor(client: CommandClient, options: RedisPresenceOptions & { prefix?: string; nodeId?: string } = {}) {
    this.#client = client;
    this.#prefix = checkPrefix(options.prefix ?? "rk:");
    this.#keys = new PresenceKeys(this.#prefix);
    this.#heartbeatMs = options.heartbeatMs ?? 2000;
    this.#ttlMs = options.nodeTtlMs ?? 10_000;
    this.#budget = options.sweepBudget ?? 1000;
    if (!(Number.isInteger(this.#heartbeatMs) && this.#heartbeatMs > 0)) throw new TypeError("heartbeatMs must be a positive integer");
    if (!(Number.isInteger(this.#ttlMs) && this.#ttlMs >= 2 * this.#heartbeatMs))
      throw new TypeError("nodeTtlMs must be an integer of at least twice heartbeatMs");
    if (!(Number.isInteger(this.#budget) && this.#budget > 0)) throw new TypeError("sweepBudget must be a positive integer");
    const nodeId = options.nodeId ?? `${hostname()}-${process.pid}`;
    if (typeof nodeId !== "string" || nodeId === "") throw new TypeError("nodeId must be a non-empty string");
    this.nodeId = `${nodeId}~${randomBytes(4).toString("hex")}`;
    // Registers the node before any entry of it is written (same connection, so in order).
    void this.#tick();
  }

  async add(entry: PresenceEntry): Promise<{ first: boolean }> {
    const { channel, userId, connId, info } = entry;
    assertIds(channel, userId, connId);
    const local = { userId, info: encodeInfo(info) };
    this.#localOf(channel).set(connId, local);
    try {
      const [first, reregistered] = await this.#add(channel, connId, local);
      if (reregistered === 1) this.#restore();
      return { first: first === 1 };
    } catch (err) {
      if (this.#local.get(channel)?.get(connId) === local) this.#forget(channel, connId);
      throw err;
    }
  }

  async remove(channel: string, userId: string, connId: string): Promise<{ last: boolean; member?: PresenceMember }> {
    assertIds(channel, userId, connId);
    if (this.#local.get(channel)?.get(connId)?.userId === userId) this.#forget(channel, connId);
    const removal = async () => {
      const [last, info, nodeGone] = (await guard(
        REMOVE.run(this.#client, [this.#keys.channel(channel)], [this.#prefix, channel, userId, connId]),
      )) as [number, string, string];
      if (nodeGone !== "") await this.#unlist(nodeGone, channel);
      return last === 1 ? { userId, info: decodeInfo(info) } : undefined;
    };
    const member = await this.#retryingLater(channel, removal, () => this.#local.get(channel)?.has(connId) === true);
    return member ? { last: true, member } : { last: false };
  }

  async removeUser(channel: string, userId: string): Promise<PresenceMember | undefined> {
    assertIds(channel, userId);
    for (const [connId, entry] of this.#local.get(channel) ?? []) if (entry.userId === userId) this.#forget(channel, connId);
    const removal = async () => {
      const [found, info, ...nodesGone] = (await guard(
        REMOVE_USER.run(this.#client, [this.#keys.channel(channel)], [this.#prefix, channel, userId]),
      )) as [number, string, ...string[]];
      await Promise.all(nodesGone.map((node) => this.#unlist(node, channel)));
      return found === 1 ? { userId, info: decodeInfo(info) } : undefined;
    };
    const back = () => [...(this.#local.get(channel)?.values() ?? [])].some((entry) => entry.userId === userId);
    return this.#retryingLater(channel, removal, back);
  }

  async members(channel: string): Promise<PresenceMember[]> {
    if (typeof channel !== "string" || channel === "") throw new TypeError("channel must be a non-empty string");
    const flat = (await guard(MEMBERS.run(this.#client, [this.#keys.channel(channel)], [this.#prefix, channel]))) as string[];
    const members: PresenceMember[] = [];
    for (let i = 0; i < flat.length; i += 2) members.push({ userId: flat[i]!, info: decodeInfo(flat[i + 1]!) });
    return members;
  }

  async page(channel: string, query: PageQuery): Promise<MemberPage<PresenceMember>> {
    if (typeof channel !== "string" || channel === "") throw new TypeError("channel must be a non-empty string");
    const flat = (await guard(PAGE.run(this.#client, [this.#keys.channel(channel)], [this.#prefix, channel, ...cursorArgs(query)]))) as (
      | string
      | number
    )[];
    return pageOf(flat, (userId, info) => ({ userId, info: decodeInfo(info) }));
  }

  /**
   * Listens for the changes this store makes on its own: departures of dead nodes' users that
   * this node's sweep removed, and returns of this node's users after it was wrongly swept.
   * Sweeping runs only while someone listens, so a process that cannot announce never takes
   * a departure from the nodes that can.
   */
  onChange(listener: (change: PresenceChange) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Stops the heartbeat and removes this node's remaining connections (reported as departures). */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#timer);
    this.#local.clear();
    const departures: string[] = [];
    try {
      await sweepNode(this.#client, this.#keys, this.nodeId, Number.POSITIVE_INFINITY, departures, true);
    } catch (err) {
      log("could not retire %s (its entries expire with its heartbeat): %O", this.nodeId, err);
    } finally {
      this.#report(departures);
    }
  }

  /**
   * Runs a removal. When it fails, keeps it to retry on the next heartbeats (unless `back()`
   * says the connection returned meanwhile), announcing the departure it finds, and rethrows.
   */
  async #retryingLater(
    channel: string,
    removal: () => Promise<PresenceMember | undefined>,
    back: () => boolean,
  ): Promise<PresenceMember | undefined> {
    try {
      return await removal();
    } catch (err) {
      const retry = async () => {
        if (back()) return;
        const member = await removal();
        if (member) this.#emit({ type: "leave", channel, member });
      };
      this.#failedRemovals.add(retry);
      throw err;
    }
  }

  /** Retries the removals that failed; one that fails again waits for the next heartbeat. */
  #retryRemovals(): void {
    for (const retry of this.#failedRemovals) {
      this.#failedRemovals.delete(retry);
      retry().catch(() => this.#failedRemovals.add(retry));
    }
  }

  /**
   * Lists the channel under this node, adds the connection, and renews the heartbeat, all sent
   * at once (three slots on a cluster) -> [first, reregistered]: `reregistered` when this node
   * had been swept meanwhile, so it must put its connections back.
   */
  async #add(channel: string, connId: string, entry: LocalEntry): Promise<[number, number]> {
    const listed = guard(this.#client.sendCommand(["SADD", this.#keys.nodeChannels(this.nodeId), channel]));
    const args = [this.#prefix, channel, entry.userId, connId, this.nodeId, entry.info];
    const added = guard(ADD.run(this.#client, [this.#keys.channel(channel)], args));
    const beat = guard(TICK.run(this.#client, [this.#keys.nodes], [this.nodeId, String(this.#ttlMs), "0"]));
    const [, first, [missing]] = (await Promise.all([listed, added, beat])) as [unknown, number, [number]];
    return [first, missing];
  }

  /** Takes a channel off a node's list once the node has no connection left there. */
  #unlist(node: string, channel: string): Promise<unknown> {
    return guard(this.#client.sendCommand(["SREM", this.#keys.nodeChannels(node), channel]));
  }

  async #tick(): Promise<void> {
    try {
      const sweep = this.#listeners.size > 0 ? "1" : "0";
      const [missing, ...dead] = (await guard(TICK.run(this.#client, [this.#keys.nodes], [this.nodeId, String(this.#ttlMs), sweep]))) as [
        number,
        ...string[],
      ];
      if (missing === 1) this.#restore();
      this.#retryRemovals();
      const departures: string[] = [];
      let budget = this.#budget;
      try {
        for (const node of dead) {
          if (budget <= 0) break;
          budget = await sweepNode(this.#client, this.#keys, node, budget, departures);
        }
      } finally {
        // What a sweep removed before one of its calls failed is announced all the same.
        this.#report(departures);
      }
    } catch (err) {
      log("heartbeat of %s failed: %O", this.nodeId, err);
    } finally {
      if (!this.#closed) this.#timer = setTimeout(() => void this.#tick(), this.#heartbeatMs).unref();
    }
  }

  /**
   * Puts every connection of this node back after it was swept. All adds are sent at once,
   * before anything else can be, so a later `remove` is never overtaken by a stale add.
   */
  #restore(): void {
    if (this.#closed) return;
    for (const [channel, conns] of this.#local) {
      for (const [connId, entry] of conns) {
        this.#add(channel, connId, entry).then(
          ([first]) => first === 1 && this.#emit({ type: "join", channel, member: { userId: entry.userId, info: decodeInfo(entry.info) } }),
          (err: unknown) => log("could not restore %s in %s: %O", connId, channel, err),
        );
      }
    }
  }

  #report(departures: string[]): void {
    for (let i = 0; i < departures.length; i += 3) {
      const [channel, userId, info] = [departures[i]!, departures[i + 1]!, departures[i + 2]!];
      this.#emit({ type: "leave", channel, member: { userId, info: decodeInfo(info) } });
    }
  }

  #emit(change: PresenceChange): void {
    log("%s %s %s (by the store)", change.channel, change.type, change.member.userId);
    for (const listener of this.#listeners) {
      try {
        listener(change);
      } catch (err) {
        log("a presence listener threw: %O", err);
      }
    }
  }

  #localOf(channel: string): Map<string, LocalEntry> {
    let conns = this.#local.get(channel);
    if (!conns) {
      conns = new Map();
      this.#local.set(channel, conns);
    }
    return conns;
  }

  #forget(channel: string, connId: string): void {
    const conns = this.#local.get(channel);
    conns?.delete(connId);
    if (conns?.size === 0) this.#local.delete(channel);
  }
}
