import type { ServerOptions } from "socket.io";
import type { AnyContract } from "@roomkit/protocol";
import type { AuthPayload, ClientOptions } from "@roomkit/client";
import type { Roomkit } from "@roomkit/server";
import type { TestClient } from "./client.js";
import { clientPool } from "./clients.js";
import type { ConnectOptions } from "./clients.js";
import { memorySource } from "./memory-source.js";
import { startNode } from "./node.js";
import type { RoomkitSetup, StoreSource, TestNode } from "./node.js";
import { redisSource } from "./redis-source.js";
import type { RedisTestOptions } from "./redis-source.js";
import { opened } from "./auto-close.js";

export interface TestAppOptions<C extends AnyContract> {
  /** The app's Roomkit configuration: its `createRoomkit` options, or a function that sets it up on a given `io`. */
  app: RoomkitSetup<C>;
  /**
   * The handshake `auth` that the app's `authenticate` accepts for a user: usually a token your
   * test signs (`signToken`). Called before every connection attempt of that user.
   *
   * @example
   * login: async (id) => ({ token: await signToken(secret, { id, profile: { name: id } }) })
   */
  login: (userId: string) => AuthPayload | Promise<AuthPayload>;
  /** Options of each node's Socket.IO server (e.g. `maxHttpBufferSize`). */
  io?: Partial<ServerOptions>;
  /** Runs the app on several nodes sharing a Redis (needs `@roomkit/redis`). Default: one node, memory stores. */
  redis?: RedisTestOptions;
  /** Default options of every client (`reconnect` defaults to 50-250 ms here; `transports` to websocket). */
  client?: ClientOptions;
  /** How long a wait (`next`, `connected`...) takes before it fails. Default 5000 ms. */
  timeoutMs?: number;
  /** The app's `presence.batchMs`, which `none` and `settle` wait out. Default: read from the options, else 50. */
  presenceBatchMs?: number;
}

/** The app running in this process, and the clients connected to it. */
export interface TestApp<C extends AnyContract> {
  /** Its nodes: one, or `redis.nodes`. */
  readonly nodes: readonly TestNode<C>[];
  /** The server API of node 0 (the current one after a restart). */
  readonly rk: Roomkit<C>;
  /** Node 0's URL. */
  readonly url: string;
  /**
   * Connects a typed SDK client as `userId` (credentials from `login`), through a network path of
   * its own that the kit can break, block or stall. Resolves once connected; rejects with the
   * server's refusal (a `RoomkitError`, e.g. `UNAUTHENTICATED`).
   *
   * @example
   * const alice = await app.connect("alice");
   * const bob = await app.connect("bob", { node: 1 });
   * await expect(app.connect("eve", { auth: { token: "forged" } })).rejects.toMatchObject({ code: "UNAUTHENTICATED" });
   */
  connect(userId: string, options?: ConnectOptions): Promise<TestClient<C>>;
  /** Closes every client, node, link and Redis key the kit made. Safe to call twice. */
  close(): Promise<void>;
}

function batchMsOf(setup: RoomkitSetup<AnyContract>): number | undefined {
  return typeof setup === "function" ? undefined : setup.presence?.batchMs;
}

/**
 * Starts the app's own Roomkit configuration in this process on port 0 (memory stores, or
 * `redis.nodes` nodes on Redis), for tests: connect typed clients as named users, wait for what
 * they receive, and break things on demand. Close it with `close()`, or have {@link autoClose} do it.
 *
 * @example
 * const app = await startApp({ app: roomkitOptions(secret), login: (id) => ({ token: tokenFor(id) }) });
 * const alice = await app.connect("alice");
 * const bob = await app.connect("bob");
 * await alice.dm("bob").send({ text: "hi" });
 * expect((await bob.next("message", { from: "alice" })).body).toEqual({ text: "hi" });
 * await app.close();
 */
export async function startApp<C extends AnyContract>(options: TestAppOptions<C>): Promise<TestApp<C>> {
  const source: StoreSource = options.redis ? await redisSource(options.redis) : memorySource();
  const count = options.redis ? (options.redis.nodes ?? 2) : 1;
  const timeoutMs = options.timeoutMs ?? 5000;
  const settleMs = options.presenceBatchMs ?? batchMsOf(options.app as RoomkitSetup<AnyContract>) ?? 50;
  const nodes: TestNode<C>[] = [];
  const clients = clientPool<C>(nodes, { login: options.login, client: options.client ?? {}, timeoutMs, settleMs });
  let closing: Promise<void> | undefined;

  const close = () =>
    (closing ??= (async () => {
      untrack();
      await clients.close();
      await Promise.all(nodes.map((n) => n.stop()));
      await source.close();
    })());
  const untrack = opened(close);
  try {
    for (let i = 0; i < count; i++)
      nodes.push(clients.watch(await startNode({ name: `n${i}`, app: options.app, io: options.io ?? {}, source })));
  } catch (err) {
    await close();
    throw err;
  }

  return {
    nodes,
    get rk() {
      return nodes[0]!.rk;
    },
    get url() {
      return nodes[0]!.url;
    },
    connect: (userId, connect) => clients.connect(userId, connect),
    close,
  };
}
