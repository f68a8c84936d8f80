import { createClient } from "@roomkit/client";
import type { contract } from "./contract.js";

const server = process.env.SERVER_URL ?? "http://localhost:3000";
const [me = "alice", peer = "bob"] = process.argv.slice(2);

// Sign in through the app's login route; called again before every reconnect, for a fresh token.
async function login() {
  const res = await fetch(`${server}/login?user=${encodeURIComponent(me)}`);
  const { token } = (await res.json()) as { token: string };
  return { token };
}

const rk = createClient<typeof contract>(server, { auth: login });
const dm = rk.dm(peer);
dm.on("message", (m) => console.log(`${m.from}: ${m.deleted ? "(deleted)" : m.body.text}`)); // m.body is { text: string }
await rk.ready();
console.log(`signed in as ${me}`);
await dm.send({ text: `hi ${peer}` }); // resolves with the stored message, or rejects with a RoomkitError
