import { jwtAuth, signToken } from "@roomkit/server";
import { startApp } from "@roomkit/testing";
import { contract } from "./contract.mjs";

// @roomkit/testing from its tarball: the app's configuration on port 0, typed clients as named
// users, and a wait for what one of them receives, as a user's own test would write it.
const secret = new TextEncoder().encode("an install-test secret of 32 bytes!");
const app = await startApp({
  app: { contract, authenticate: jwtAuth({ key: secret }) },
  login: async (id) => ({ token: await signToken(secret, { id, profile: { name: id } }) }),
});
try {
  const alice = await app.connect("alice");
  const bob = await app.connect("bob");
  await alice.dm("bob").send({ text: "hello from the kit" });
  const got = await bob.next("message", { channel: "dm:alice|bob" });
  // @ts-expect-error: the dm body is { text: string }: the contract's types reached the kit's clients
  void ({ txt: 1 } satisfies Parameters<ReturnType<typeof alice.dm>["send"]>[0]);
  const text = got.deleted ? "(deleted)" : got.body.text;
  if (text !== "hello from the kit") throw new Error(`bob received ${JSON.stringify(got)}`);
  console.log(`kit: bob received "${text}" from ${got.from}`);
} finally {
  await app.close();
}
