import { buildExamples } from "./build.js";
import { storesLabel } from "@roomkit/example-kit/http";
import { startExamples } from "./examples.js";

// `npm start`: build the three pages, then serve them and the index page on PORT (default 3000).
// With REDIS_URL, the apps keep their state in Redis, so servers on several ports act as one;
// with DATABASE_URL, their history, rooms and read state are kept in PostgreSQL, durably.
const redisUrl = process.env.REDIS_URL;
const databaseUrl = process.env.DATABASE_URL;
await buildExamples();
const port = Number(process.env.PORT ?? 3000);
const examples = await startExamples({ port, ...(redisUrl ? { redisUrl } : {}), ...(databaseUrl ? { databaseUrl } : {}) }).catch(
  (err: NodeJS.ErrnoException) => {
    if (err.code !== "EADDRINUSE") throw err;
    console.error(`Port ${port} is in use. Pick another: PORT=${port + 1} npm start`);
    process.exit(1);
  },
);

console.log(`
Roomkit examples on ${examples.url} (${storesLabel(redisUrl, databaseUrl)})

  ${examples.url}/direct-messages/   one-to-one chat
  ${examples.url}/live-broadcast/    one-to-many: an announcer and viewers
  ${examples.url}/group-chat/        many-to-many: private rooms

Open an app in two windows (or a private window) and sign in as two people.
DEBUG=roomkit:* shows the servers' logs. Press Ctrl+C to stop.`);

const stop = async () => {
  await examples.close();
  process.exit(0);
};
process.once("SIGINT", stop);
process.once("SIGTERM", stop);
