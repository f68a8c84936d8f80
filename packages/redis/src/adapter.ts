import { createAdapter, createShardedAdapter } from "@socket.io/redis-adapter";
import type { Server } from "socket.io";
import { userRoom } from "@roomkit/protocol";
import { logger } from "./log.js";
import type { RedisClient } from "./client.js";
import type { RedisClusterClient } from "./cluster-client.js";
import { isCluster } from "./cluster-client.js";
import { publishOnlyToPeers } from "./solo.js";
import type { ShardedInternals, SoloOptions } from "./solo.js";

const log = logger("adapter");

/**
 * - `sharded`: Redis 7 sharded pub/sub (`SPUBLISH`); with the `dynamic` subscription mode each
 *   room has its own channel, so a node only receives the traffic of rooms it has sockets in.
 * - `classic`: plain pub/sub; every node receives every broadcast. Works on any Redis.
 */
export type AdapterKind = "sharded" | "classic";

export interface RedisAdapterOptions {
  kind: AdapterKind;
  /** Pub/sub channel prefix, so several apps can share one Redis. */
  channelPrefix: string;
  /** Sharded only. Default "dynamic". */
  subscriptionMode?: "static" | "dynamic" | "dynamic-private";
  /** Classic only: how long cross-node requests (`fetchSockets`, `serverSideEmit` with ack) wait. Default 5000 ms. */
  requestsTimeoutMs?: number;
  /**
   * The sharded adapter delivers a broadcast on this node only after Redis took it; past this
   * (a hung Redis) it stops waiting and delivers locally. Default 2000 ms.
   */
  publishTimeoutMs?: number;
  /** Sharded, one Redis: how a node alone keeps its broadcasts local (see `publishOnlyToPeers`). */
  solo?: SoloOptions;
}

/** The adapter's view of a cluster message; only broadcasts are looked into. */
interface ClusterMessage {
  type: number;
  data?: { requestId?: string; opts?: { rooms: string[] } };
}
interface PublishingAdapter {
  doPublish(message: ClusterMessage): Promise<string>;
}
/** socket.io-adapter's `MessageType.BROADCAST`. */
const BROADCAST = 3;
const USER_ROOM = userRoom("");

/**
 * The adapter fires commands without awaiting them (subscribe, unsubscribe, classic publish);
 * on a client that fails fast, their rejections would end the process as unhandled. This facade
 * passes the adapter only what it uses and logs those failures instead, and stops waiting for a
 * publish after a deadline; `sendCommand` (server counts, awaited by the adapter) still rejects.
 */
function forAdapter(client: RedisClient | RedisClusterClient, role: string, publishTimeoutMs: number): object {
  const settle =
    (method: string) =>
    (...args: unknown[]) => {
      const call = (client as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>)[method]!(...args).catch((err: Error) => {
        log("%s %s failed: %s", role, method, err.message);
      });
      if (method !== "publish" && method !== "sPublish") return call;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const late = new Promise<void>(
        (done) => (timer = setTimeout(() => done(log("%s %s: no reply in time", role, method)), publishTimeoutMs)),
      );
      return Promise.race([call, late]).finally(() => clearTimeout(timer));
    };
  const methods = ["publish", "sPublish", "subscribe", "pSubscribe", "sSubscribe", "unsubscribe", "pUnsubscribe", "sUnsubscribe"];
  const facade: Record<string, unknown> = Object.fromEntries(methods.map((m) => [m, settle(m)]));
  if (isCluster(client)) {
    // The adapter counts a cluster's subscribers on each primary (`PUBSUB SHARDNUMSUB`).
    Object.defineProperty(facade, "masters", { get: () => client.masters });
    facade.sendCommand = (args: string[]) => client.sendCommand(undefined, false, args);
  } else {
    facade.sendCommand = (args: string[]) => (client as RedisClient).sendCommand(args);
  }
  facade.on = (event: string, fn: (...a: unknown[]) => void) => client.on(event, fn);
  facade.off = (event: string, fn: (...a: unknown[]) => void) => client.off(event, fn);
  return facade;
}

/**
 * A DM is broadcast to its two users' rooms at once, which the sharded adapter would send on
 * the namespace channel that every node hears. Split per user room instead, each broadcast
 * goes on that user's own channel and reaches only the nodes where the user is connected. No
 * socket is in two user rooms, so nobody receives it twice.
 */
function routeUserRoomsApart(adapter: PublishingAdapter): void {
  const publish = adapter.doPublish.bind(adapter);
  adapter.doPublish = (message) => {
    const rooms = message.type === BROADCAST && message.data?.requestId === undefined ? message.data?.opts?.rooms : undefined;
    if (!rooms || rooms.length < 2 || !rooms.every((room) => room.startsWith(USER_ROOM))) return publish(message);
    const data = message.data!;
    return Promise.all(rooms.map((room) => publish({ ...message, data: { ...data, opts: { ...data.opts!, rooms: [room] } } }))).then(
      () => "",
    );
  };
}

/** What `io.adapter(...)` takes. */
export type AdapterFactory = Parameters<Server["adapter"]>[0];

/**
 * The Socket.IO adapter factory for `io.adapter(...)`, on separate publisher and subscriber
 * connections (or cluster clients: the sharded adapter spreads its channels over the cluster's
 * primaries). The subscriber should queue commands while offline (`failFast: false`), so its
 * subscriptions are restored after an outage. `redisRoomkit` calls this for you.
 *
 * @example
 * const pub = await connectRedis(createRedisClient({ name: "pub" }));
 * const sub = await connectRedis(createRedisClient({ name: "sub", failFast: false }));
 * io.adapter(redisAdapter(pub, sub, { kind: "sharded", channelPrefix: "chat:io" }));
 */
export function redisAdapter(
  pub: RedisClient | RedisClusterClient,
  sub: RedisClient | RedisClusterClient,
  options: RedisAdapterOptions,
): AdapterFactory {
  const timeoutMs = options.publishTimeoutMs ?? 2000;
  const pubClient = forAdapter(pub, "publisher", timeoutMs);
  const subClient = forAdapter(sub, "subscriber", timeoutMs);
  if (options.kind === "classic") {
    return createAdapter(pubClient, subClient, {
      key: options.channelPrefix,
      requestsTimeout: options.requestsTimeoutMs ?? 5000,
      publishOnSpecificResponseChannel: true,
    });
  }
  const mode = options.subscriptionMode ?? "dynamic";
  const create = createShardedAdapter(pubClient, subClient, { channelPrefix: options.channelPrefix, subscriptionMode: mode });
  const greetings: Promise<void>[] = [];
  // Socket.IO calls the factory with `new`, so it must be a function, not an arrow.
  const factory = function shardedRedisAdapter(nsp: unknown) {
    const adapter = create(nsp);
    if (mode !== "static") routeUserRoomsApart(adapter as unknown as PublishingAdapter);
    // On one Redis, a node alone publishes nothing (see solo.ts); a cluster's nodes always publish.
    if (!isCluster(pub)) greetings.push(publishOnlyToPeers(adapter as unknown as ShardedInternals, pub, options.solo));
    return adapter;
  };
  return Object.assign(factory, { greeted: () => Promise.all(greetings).then(() => undefined) });
}

/**
 * Resolves once the adapters `factory` made have said hello to the other nodes and heard back
 * (see `publishOnlyToPeers`), or at once for a factory that does not greet.
 *
 * @example
 * io.adapter(factory);
 * await adapterGreeted(factory);
 */
export function adapterGreeted(factory: AdapterFactory): Promise<void> {
  return (factory as { greeted?: () => Promise<void> }).greeted?.() ?? Promise.resolve();
}
