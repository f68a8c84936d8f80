import { createServer } from "node:http";
import type { Server as HttpServer } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { Server } from "socket.io";
import type { ServerOptions } from "socket.io";
import type { AnyContract } from "@roomkit/protocol";
import { createRoomkit } from "@roomkit/server";
import type { ChannelPolicies, CheckedPolicies, Roomkit, RoomkitOptions, Stores } from "@roomkit/server";

/** What the kit hands the app's setup function for one node. */
export interface SetupEnv {
  /** The stores this node must use (memory, or Redis with `redis`): pass them to `createRoomkit`. */
  stores: Partial<Stores>;
  /** The node's name: `n0`, `n1`... */
  node: string;
}

/**
 * Sets the app's Roomkit up on a Socket.IO server the kit made: what the app's own server does,
 * with the kit's stores.
 *
 * @example
 * const setup: AppSetup<typeof contract> = (io, { stores }) => createRoomkit(io, { ...myOptions(secret), stores });
 */
export type AppSetup<C extends AnyContract> = (io: Server, env: SetupEnv) => Roomkit<C> | Promise<Roomkit<C>>;

/** The app's Roomkit configuration: its `createRoomkit` options (their `stores` replaced by the kit's), or a setup function. */
export type RoomkitSetup<C extends AnyContract> = RoomkitOptions<C> | AppSetup<C>;

/** Runs the app's configuration on `io` with the kit's stores: its setup function, or `createRoomkit` with its options. */
export async function setUpRoomkit<C extends AnyContract>(app: RoomkitSetup<C>, io: Server, env: SetupEnv): Promise<Roomkit<C>> {
  if (typeof app === "function") return app(io, env);
  // Generic over the app's contract, so the literal-key check of `channels` cannot apply here.
  return createRoomkit(io, { ...app, stores: env.stores } as RoomkitOptions<C> & { channels?: CheckedPolicies<C, ChannelPolicies<C>> });
}

/** The stores of one node while it runs. */
export interface NodeStores {
  stores: Partial<Stores>;
  /** After the Roomkit server closed: release them (close connections). */
  close(): Promise<void>;
  /** Before the node's connections are cut: from now on nothing of it reaches a shared store. */
  crash(): void;
}

/** Where a node's stores come from: memory, or Redis. */
export interface StoreSource {
  open(node: string, fresh: boolean, io: Server): Promise<NodeStores>;
  /** After every node stopped: remove what the kit put in shared stores. */
  close(): Promise<void>;
}

/** One server of the app, in this process, on a port that stays its own across restarts. */
export interface TestNode<C extends AnyContract> {
  /** `n0`, `n1`, ... (its presence node id is this name with a suffix per start). */
  readonly name: string;
  readonly port: number;
  /** `http://127.0.0.1:<port>`: a client of your own may connect here directly. */
  readonly url: string;
  /** Whether it runs (not stopped or killed). */
  readonly up: boolean;
  /** The server API of the running node (a new one after each start): seed data, publish as the system, inspect. */
  readonly rk: Roomkit<C>;
  readonly io: Server;
  /**
   * Stops gracefully, as on SIGTERM (`rk:bye`, then the connections close); its clients reconnect
   * to another node when there is one, else keep retrying until it starts again.
   *
   * @example
   * await app.nodes[0]!.stop();
   */
  stop(): Promise<void>;
  /** Starts it again on the same port (after `stop` or `kill`); `fresh: true` gives it empty stores (memory only). */
  start(options?: { fresh?: boolean }): Promise<void>;
  /**
   * `stop()` then `start()`: a deploy. With `stores: "fresh"` (memory only) the restarted server
   * remembers nothing, and clients get `recovered: false` (`reset`) when they resubscribe.
   *
   * @example
   * await app.nodes[0]!.restart({ stores: "fresh" });
   */
  restart(options?: { stores?: "same" | "fresh" }): Promise<void>;
  /**
   * Crashes it: every connection is cut at once with no goodbye and, with Redis, its store and
   * adapter connections first, so its presence entries stay until the other nodes sweep them
   * (`nodeTtlMs`). Its clients reconnect to the other nodes.
   *
   * @example
   * await app.nodes[1]!.kill();
   * await bob.connected(); // now on another node
   */
  kill(): Promise<void>;
}

interface Running<C extends AnyContract> {
  http: HttpServer;
  io: Server;
  rk: Roomkit<C>;
  stores: NodeStores;
  sockets: Set<Socket>;
}

export interface NodeSetup<C extends AnyContract> {
  name: string;
  app: RoomkitSetup<C>;
  io: Partial<ServerOptions>;
  source: StoreSource;
}

/** Listens on `port` of 127.0.0.1 (0: any) and resolves with the port. */
export function listen(http: HttpServer, port: number): Promise<number> {
  return new Promise((done, fail) => {
    http.once("error", fail);
    http.listen(port, "127.0.0.1", () => {
      http.off("error", fail);
      done((http.address() as AddressInfo).port);
    });
  });
}

/** Starts one node on port 0 and keeps that port for its later starts. */
export async function startNode<C extends AnyContract>(setup: NodeSetup<C>): Promise<TestNode<C>> {
  let port = 0;
  let running: Running<C> | undefined;
  let last: Running<C> | undefined;

  const boot = async (fresh: boolean) => {
    const http = createServer();
    const sockets = new Set<Socket>();
    http.on("connection", (socket) => {
      sockets.add(socket);
      socket.once("close", () => sockets.delete(socket));
    });
    const io = new Server(http, setup.io);
    const stores = await setup.source.open(setup.name, fresh, io);
    try {
      const rk = await setUpRoomkit(setup.app, io, { stores: stores.stores, node: setup.name });
      port = await listen(http, port);
      last = running = { http, io, rk, stores, sockets };
    } catch (err) {
      io.close();
      await stores.close();
      throw err;
    }
  };
  const shut = async (node: Running<C>) => {
    await node.rk.close().catch(() => undefined);
    await node.stores.close().catch(() => undefined);
    // What was written goes out, then the connection ends; one whose client reads nothing (paused) is cut.
    for (const socket of node.sockets) socket.end();
    const linger = setTimeout(() => {
      for (const socket of node.sockets) socket.destroy();
    }, 1000);
    await new Promise((done) => node.io.close(done));
    clearTimeout(linger);
  };
  const current = () => {
    if (!last) throw new Error(`node ${setup.name} never started`);
    return last;
  };

  await boot(true);
  const node: TestNode<C> = {
    name: setup.name,
    get port() {
      return port;
    },
    get url() {
      return `http://127.0.0.1:${port}`;
    },
    get up() {
      return running !== undefined;
    },
    get rk() {
      return current().rk;
    },
    get io() {
      return current().io;
    },
    async stop() {
      const stopping = running;
      running = undefined;
      if (stopping) await shut(stopping);
    },
    async start(options) {
      if (running) throw new Error(`node ${setup.name} is already running`);
      await boot(options?.fresh ?? false);
    },
    async restart(options) {
      await node.stop();
      await node.start({ fresh: options?.stores === "fresh" });
    },
    async kill() {
      const killed = running;
      running = undefined;
      if (!killed) return;
      killed.stores.crash();
      for (const socket of killed.sockets) socket.destroy();
      await shut(killed);
    },
  };
  return node;
}
