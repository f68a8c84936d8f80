/**
 * One Roomkit node for the multi-node tests, run as a child process:
 * `node --import tsx node.ts` with REDIS_URL, PREFIX, NODE_ID (and optionally ADAPTER, and
 * REDIS_CLUSTER=1 for a cluster whose nodes REDIS_URL lists) in the environment. Prints `{"port":N,"nodeId":"...","adapter":"..."}` on one line once it listens;
 * SIGTERM stops it gracefully, SIGKILL is a crash.
 */
import type { AdapterKind } from "../../src/index.js";
import { startRoomkitNode } from "./roomkit-node.js";

const env = process.env;
const node = await startRoomkitNode({
  url: env.REDIS_URL!,
  prefix: env.PREFIX!,
  nodeId: env.NODE_ID!,
  cluster: env.REDIS_CLUSTER === "1",
  ...(env.ADAPTER ? { adapter: env.ADAPTER as AdapterKind } : {}),
});
process.stdout.write(
  `${JSON.stringify({ port: Number(new URL(node.url).port), nodeId: node.redis.nodeId, adapter: node.redis.adapter })}\n`,
);

process.once("SIGTERM", async () => {
  await node.close();
  process.exit(0);
});
