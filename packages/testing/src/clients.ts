import type { AnyContract } from "@roomkit/protocol";
import type { AuthPayload, ClientOptions } from "@roomkit/client";
import { connectClient } from "./client.js";
import type { TestClient } from "./client.js";
import { startLink } from "./link.js";

/** What `app.connect` takes. */
export interface ConnectOptions {
  /** The node to connect to (index into `app.nodes`). Default 0. */
  node?: number;
  /** Handshake `auth` instead of `login(userId)`'s: a forged or expired token, for a refusal. */
  auth?: AuthPayload;
  /** Options of this client (over the app's `client`). */
  client?: ClientOptions;
}

/** A node as the clients see it: a port, up or not. */
export interface ReachableNode {
  readonly port: number;
  readonly up: boolean;
  stop(): Promise<void>;
  kill(): Promise<void>;
}

export interface ClientPoolOptions {
  login: (userId: string) => AuthPayload | Promise<AuthPayload>;
  client?: ClientOptions;
  timeoutMs: number;
  settleMs: number;
}

/** The kit clients of one app, each through a link of its own that routes it to a node that is up. */
export interface ClientPool<C extends AnyContract> {
  connect(userId: string, options?: ConnectOptions): Promise<TestClient<C>>;
  /** Closes every client; `connect` refuses from then on. */
  close(): Promise<void>;
  /** Makes the node's `stop` and `kill` resolve once every client that was on it has seen its connection go. */
  watch<N extends ReachableNode>(node: N): N;
}

/** The clients of an app on `nodes` (in process or child processes). */
export function clientPool<C extends AnyContract>(nodes: readonly ReachableNode[], options: ClientPoolOptions): ClientPool<C> {
  const clients = new Set<TestClient<C>>();
  let closed = false;

  /** The preferred node while it is up, else the next one that is, as a load balancer's health check would. */
  const route = (preferred: number) => {
    for (let i = 0; i < nodes.length; i++) {
      const node = nodes[(preferred + i) % nodes.length]!;
      if (node.up) return { host: "127.0.0.1", port: node.port };
    }
    return undefined;
  };
  const check = (node: number) => {
    if (!nodes[node]) throw new RangeError(`there is no node ${node} (the app has ${nodes.length})`);
  };

  return {
    async connect(userId, connect = {}) {
      if (closed) throw new Error("the app is closed");
      let preferred = connect.node ?? 0;
      check(preferred);
      const link = await startLink(() => route(preferred));
      const auth = connect.auth;
      const client = await connectClient<C>({
        name: userId,
        url: `http://127.0.0.1:${link.port}`,
        link,
        auth: auth ? () => auth : () => options.login(userId),
        options: { ...options.client, ...connect.client },
        timeoutMs: options.timeoutMs,
        settleMs: options.settleMs,
        route: (node) => {
          check(node);
          preferred = node;
        },
      });
      clients.add(client);
      return client;
    },
    async close() {
      closed = true;
      await Promise.all([...clients].map((c) => c.close()));
    },
    watch(node) {
      const { stop, kill } = node;
      const waiting = (end: () => Promise<void>) => async () => {
        // Watched from before the end: a client told goodbye may be connected to another node again by the time it is over.
        const watched = [...clients]
          .filter((c) => c.isOn(node.port))
          .map((client) => {
            let broke = false;
            const off = client.connection.subscribe((state) => {
              if (state.status !== "connected") broke = true;
            });
            return { client, broke: () => broke, off };
          });
        try {
          await end();
          await Promise.all(watched.map((w) => (w.broke() ? undefined : w.client.disconnected())));
        } finally {
          for (const w of watched) w.off();
        }
      };
      return Object.assign(node, { stop: waiting(stop), kill: waiting(kill) });
    },
  };
}
