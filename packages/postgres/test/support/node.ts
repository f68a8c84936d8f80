/**
 * One Roomkit node on PostgreSQL, run as a child process for the crash tests:
 * `node --import tsx node.ts` with DATABASE_URL and SCHEMA in the environment. Prints
 * `{"port":N}` on one line once it listens; SIGKILL is a crash.
 */
import { startPostgresNode } from "./roomkit-node.js";

const node = await startPostgresNode({ url: process.env.DATABASE_URL!, schema: process.env.SCHEMA! });
process.stdout.write(`${JSON.stringify({ port: Number(new URL(node.url).port) })}\n`);

process.once("SIGTERM", async () => {
  await node.close();
  process.exit(0);
});
