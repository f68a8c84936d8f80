import client = require("@roomkit/client");
import roomkit = require("@roomkit/server");
import type shared = require("./contract.cjs");

// Two CommonJS clients: bob subscribes to his DM with alice, alice sends, bob must receive it.
const secret = process.env.JWT_SECRET ?? "";
const url = `http://127.0.0.1:${process.env.PORT ?? ""}`;
const connect = async (id: string) =>
  client.createClient<typeof shared.contract>(url, {
    auth: { token: await roomkit.signToken(secret, { id, profile: { name: id } }) },
  });

async function main(): Promise<void> {
  const alice = await connect("alice");
  const bob = await connect("bob");
  try {
    await Promise.all([alice.ready(), bob.ready()]);
    const inbox = bob.dm("alice");
    const received = new Promise<string>((resolve) => inbox.on("message", (m) => resolve(m.deleted ? "(deleted)" : m.body.text)));
    await inbox.subscribe();
    // @ts-expect-error: the dm body is { text: string }: the contract's types reached this app
    void ({ txt: 1 } satisfies Parameters<typeof inbox.send>[0]);
    const sent = await alice.dm("bob").send({ text: "hello from CommonJS" });
    const text = await received;
    const sentText = sent.deleted ? "(deleted)" : sent.body.text;
    if (text !== sentText) throw new Error(`bob received "${text}", alice sent "${sentText}"`);
    console.log(`CommonJS: bob received "${text}" from ${sent.from} on ${sent.channel}`);
  } finally {
    alice.close();
    bob.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
