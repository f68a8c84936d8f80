/**
 * The kit's child-process nodes under node's own test runner: `node --import tsx --test processes.ts`
 * (run by ../node-test.test.ts). With FAIL_ON_PURPOSE=1 its second test fails after starting nodes,
 * and the third checks, while this process still runs, that autoClose stopped them all the same; each test prints its nodes' pids as `node pids: ...`.
 */
import assert from "node:assert/strict";
import { afterEach, test } from "node:test";
import { autoClose, startAppProcesses } from "@roomkit/testing";
import { childEnv, login } from "../support/chat-app.js";
import type { ChatContract } from "../support/chat-app.js";

autoClose(afterEach);

/** Whether a process with this id runs (signal 0 checks without sending anything). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const failedTestPids: number[] = [];
const run = { module: new URL("../support/chat-app.ts", import.meta.url), export: "chatSetup" };

test("a killed node's client reconnects to the other one and gets the next DM", async () => {
  const app = await startAppProcesses<ChatContract>({ run, env: childEnv, login });
  console.log(`node pids: ${app.nodes.map((n) => n.pid).join(" ")}`);
  const alice = await app.connect("alice", { node: 0 });
  const bob = await app.connect("bob", { node: 1 });
  await app.nodes[1]!.kill();
  await bob.connected();
  await alice.dm("bob").send({ text: "after the crash" });
  assert.equal((await bob.next("message", { channel: "dm:alice|bob" })).body!.text, "after the crash");
});

test("a test that fails still has its nodes stopped", { skip: process.env.FAIL_ON_PURPOSE !== "1" }, async () => {
  const app = await startAppProcesses<ChatContract>({ run, env: childEnv, login });
  failedTestPids.push(...app.nodes.map((n) => n.pid!));
  console.log(`node pids: ${failedTestPids.join(" ")}`);
  assert.fail("failing on purpose, with two nodes running");
});

test("the failed test's nodes were stopped by autoClose, while this process still runs", {
  skip: process.env.FAIL_ON_PURPOSE !== "1",
}, () => {
  assert.equal(failedTestPids.length, 2);
  assert.deepEqual(failedTestPids.filter(alive), []);
});
