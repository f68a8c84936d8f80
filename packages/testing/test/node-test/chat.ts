/**
 * The kit under node's own test runner, as an app's tests would use it there:
 * `node --import tsx --test chat.ts` (run by ../node-test.test.ts).
 */
import assert from "node:assert/strict";
import { afterEach, test } from "node:test";
import { autoClose, startApp } from "@roomkit/testing";
import { chatOptions, login } from "../support/chat-app.js";

autoClose(afterEach);

test("a DM reaches its peer, and only its peer", async () => {
  const app = await startApp({ app: chatOptions(), login });
  const alice = await app.connect("alice");
  const bob = await app.connect("bob");
  const carol = await app.connect("carol");
  await alice.dm("bob").send({ text: "hi" });
  const message = await bob.next("message", { channel: "dm:alice|bob" });
  assert.equal(message.from, "alice");
  assert.deepEqual(message.body, { text: "hi" });
  await carol.none("message");
});

test("a member who was offline gets what was sent meanwhile once back", async () => {
  const app = await startApp({ app: chatOptions(), login });
  await app.rk.rooms.create({ owner: "alice", channel: "room:team", members: ["bob"] });
  const alice = await app.connect("alice");
  const bob = await app.connect("bob");
  await bob.channel("room:team").subscribe();
  await bob.offline();
  await alice.channel("room:team").send({ text: "while you were away" });
  await bob.online();
  assert.equal((await bob.next("message", { channel: "room:team" })).body!.text, "while you were away");
});
