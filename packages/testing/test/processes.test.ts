import { afterEach, describe, expect, it } from "vitest";
import { autoClose, startAppProcesses } from "@roomkit/testing";
import type { ProcessAppOptions } from "@roomkit/testing";
import { needRedis } from "../../redis/test/support/services.js";
import { keysUnder, testClient } from "../../redis/test/support/redis.js";
import { childEnv, login } from "./support/chat-app.js";
import type { ChatContract } from "./support/chat-app.js";

const redis = await needRedis();

autoClose(afterEach);

const moduleRun: ProcessAppOptions["run"] = { module: new URL("./support/chat-app.ts", import.meta.url), export: "chatSetup" };
const scriptRun: ProcessAppOptions["run"] = { script: new URL("./support/chat-node.ts", import.meta.url) };

/** Whether a process with this id runs (signal 0 checks without sending anything). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe.runIf(redis)("the app on nodes in child processes, on one Redis", () => {
  it("runs a module's export on three processes; a DM crosses them; SIGKILL of one moves its clients, whose presence the others sweep", async () => {
    const app = await startAppProcesses<ChatContract>({ run: moduleRun, nodes: 3, env: childEnv, login });
    const pids = app.nodes.map((n) => n.pid!);
    expect(new Set(pids).size).toBe(3);
    expect(pids.every((pid) => pid !== process.pid && alive(pid))).toBe(true);
    const alice = await app.connect("alice", { node: 0 });
    const bob = await app.connect("bob", { node: 2 });
    // carol waits a minute before reconnecting: only the sweep of her dead node can take her out of the lobby.
    const carol = await app.connect("carol", { node: 2, client: { reconnect: { minDelayMs: 60_000, maxDelayMs: 60_000 } } });
    expect(bob.isOn(app.nodes[2]!.port)).toBe(true);
    await alice.dm("bob").send({ text: "across processes" });
    expect(await bob.next("message", { channel: "dm:alice|bob" })).toMatchObject({ from: "alice", body: { text: "across processes" } });
    await alice.channel("lobby:main").subscribe();
    await carol.channel("lobby:main").subscribe();
    await alice.next("presence", (p) => p.joins.some((m) => m.userId === "carol"));

    const port = app.nodes[2]!.port;
    await app.nodes[2]!.kill();
    expect(app.nodes[2]!.up).toBe(false);
    expect(alive(pids[2]!)).toBe(false);
    expect(carol.received("bye")).toEqual([]);
    await bob.connected();
    expect(bob.isOn(port)).toBe(false);
    await alice.dm("bob").send({ text: "still there?" });
    expect((await bob.next("message", { channel: "dm:alice|bob" })).body!.text).toBe("still there?");
    await alice.next("presence", (p) => p.leaves.some((m) => m.userId === "carol"), { timeoutMs: 15_000 });

    await app.nodes[2]!.start();
    expect(app.nodes[2]!.port).toBe(port);
    expect(app.nodes[2]!.pid).not.toBe(pids[2]);
    await bob.moveTo(2);
    expect(bob.isOn(port)).toBe(true);
    await alice.dm("bob").send({ text: "back on the restarted node" });
    expect((await bob.next("message", { channel: "dm:alice|bob" })).body!.text).toBe("back on the restarted node");
  }, 90_000);

  it("runs a script of the app's own; stop() says goodbye and restart() comes back on the port, with the history in Redis", async () => {
    const app = await startAppProcesses<ChatContract>({ run: scriptRun, env: childEnv, login });
    const anna = await app.connect("anna", { node: 0 });
    const bob = await app.connect("bob", { node: 1 });
    await anna.channel("news:today").send({ headline: "first" });
    const port = app.nodes[1]!.port;
    await app.nodes[1]!.restart();
    expect(await bob.next("bye")).toMatchObject({ reason: "shutdown" });
    expect(app.nodes[1]!.port).toBe(port);
    await bob.moveTo(1);
    const history = await bob.channel("news:today").history();
    expect(history.messages.map((m) => m.body)).toEqual([{ headline: "first" }]);
  }, 90_000);

  it("close() kills every child and deletes the app's Redis keys", async () => {
    const app = await startAppProcesses<ChatContract>({ run: moduleRun, env: childEnv, login });
    const alice = await app.connect("alice");
    await alice.dm("bob").send({ text: "a key in Redis" });
    const pids = app.nodes.map((n) => n.pid!);
    const client = await testClient();
    try {
      const keys = () => keysUnder(client, app.prefix);
      expect((await keys()).length).toBeGreaterThan(0);
      await app.close();
      expect(pids.filter(alive)).toEqual([]);
      expect(app.nodes.every((n) => !n.up)).toBe(true);
      expect(await keys()).toEqual([]);
      await app.close();
    } finally {
      await client.close();
    }
  }, 60_000);

  it("fails to start with the child's output when the module lacks the export", async () => {
    const starting = startAppProcesses<ChatContract>({ run: { module: moduleRun.module, export: "nope" }, env: childEnv, login });
    await expect(starting).rejects.toThrow(/node n\d exited \(1\) before it listened; its output:\n[\s\S]*has no export "nope"/);
  }, 60_000);
});
