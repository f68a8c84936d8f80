import { afterEach, describe, expect, it } from "vitest";
import type { ConnectionState, DropReason } from "@roomkit/client";
import { closeClients, connect, until } from "./support/clients.js";
import type { TestClient } from "./support/clients.js";
import { killTestProcesses } from "../../server/test/support/test-processes.js";
import { startServerProcess } from "./support/processes.js";
import { closeEngine, disconnectFromServer, startTestServer } from "./support/servers.js";
import type { Harness } from "./support/servers.js";
import { expectContiguous, expectSenderOrder, messages, record, streams } from "./support/streams.js";
import type { Shown } from "./support/streams.js";

let h: Harness | undefined;
afterEach(async () => {
  closeClients();
  await h?.close();
  h = undefined;
  await killTestProcesses();
});

/** Clients for streams: the whole stream is queued in the outbox at once. */
const streaming = (url: string, user: string) => connect(url, user, { outbox: { limit: 1000 } });

/** Every reason the client's connection went down for. */
function drops(rk: TestClient): DropReason[] {
  const reasons: DropReason[] = [];
  let up = false;
  rk.connection.subscribe((s: ConnectionState) => {
    if (s.status === "connected") up = true;
    else if (up && s.status === "reconnecting") {
      up = false;
      reasons.push(s.reason);
    }
  });
  return reasons;
}

/** Calls `drop` when the handle has shown the n-th message, for each n of `at`. */
function dropAt(handle: { on(event: "message", listener: () => void): () => void }, at: number[], drop: () => void): void {
  let seen = 0;
  handle.on("message", () => {
    if (at.includes(++seen)) drop();
  });
}

/** Proves no more messages are on their way: a request's ack comes after every push sent before it. */
async function settle(...clients: TestClient[]): Promise<void> {
  await Promise.all(clients.map((rk) => rk.unread()));
}

/** Sends `count` messages `<sender>:<i>` at once (they queue in the outbox) and resolves with the stored ones. */
function stream(handle: { send(body: { text: string }): Promise<{ seq: number }> }, sender: string, count: number) {
  return Promise.all(Array.from({ length: count }, (_, i) => handle.send({ text: `${sender}:${i}` })));
}

describe("faults: the transport drops in the middle of a stream", () => {
  it("server-side disconnects: every DM arrives exactly once and in order, both ways", async () => {
    h = await startTestServer();
    const server = h;
    const alice = streaming(server.url, "alice");
    const bob = streaming(server.url, "bob");
    const [aliceDrops, bobDrops] = [drops(alice), drops(bob)];
    const a = alice.dm("bob");
    const b = bob.dm("alice");
    await Promise.all([a.subscribe(), b.subscribe()]);
    const [shownA, shownB] = [record(a), record(b)];
    dropAt(b, [100, 350], () => disconnectFromServer(server, "bob"));
    dropAt(a, [200, 500], () => disconnectFromServer(server, "alice"));

    const N = 300;
    const stored = (await Promise.all([stream(a, "alice", N), stream(b, "bob", N)])).flat();
    await until(
      () => messages(shownA).length >= 2 * N && messages(shownB).length >= 2 * N,
      [
        [a, "message"],
        [b, "message"],
      ],
    );
    await settle(alice, bob);

    expect(stored.map((m) => m.seq).sort((x, y) => x - y)).toEqual(Array.from({ length: 2 * N }, (_, i) => i + 1));
    for (const shown of [shownA, shownB]) {
      expect(streams(shown)).toHaveLength(1);
      expectContiguous(messages(shown), 1);
      expect(messages(shown)).toHaveLength(2 * N);
      expectSenderOrder(messages(shown));
    }
    expect(aliceDrops).toEqual(["server-disconnect", "server-disconnect"]);
    expect(bobDrops).toEqual(["server-disconnect", "server-disconnect"]);
    expect([a.recovered, b.recovered]).toEqual([true, true]);
  });

  it("engine closes: every room message arrives exactly once and in order, for every member", async () => {
    h = await startTestServer();
    const server = h;
    const users = ["alice", "bob", "carol"] as const;
    const clients = users.map((u) => streaming(server.url, u));
    const allDrops = clients.map(drops);
    const created = await clients[0]!.rooms.create({ name: "faults", members: ["bob", "carol"] });
    const rooms = [created, ...clients.slice(1).map((rk) => rk.channel(created.id))];
    await Promise.all(rooms.map((r) => r.subscribe()));
    const shown = rooms.map(record);
    dropAt(rooms[0]!, [150, 400], () => closeEngine(server, "alice"));
    dropAt(rooms[1]!, [250], () => closeEngine(server, "bob"));
    dropAt(rooms[2]!, [100, 300, 500], () => closeEngine(server, "carol"));

    const N = 200;
    const stored = (await Promise.all(rooms.map((room, i) => stream(room, users[i]!, N)))).flat();
    await until(
      () => shown.every((s) => messages(s).length >= 3 * N),
      rooms.map((r) => [r, "message"] as [typeof r, "message"]),
    );
    await settle(...clients);

    expect(stored.map((m) => m.seq).sort((x, y) => x - y)).toEqual(Array.from({ length: 3 * N }, (_, i) => i + 1));
    for (const s of shown) {
      expect(streams(s)).toHaveLength(1);
      expect(messages(s)).toHaveLength(3 * N);
      expectContiguous(messages(s), 1);
      expectSenderOrder(messages(s));
    }
    expect(allDrops.map((d) => d.length)).toEqual([2, 1, 3]);
    expect(allDrops.flat().every((reason) => reason === "transport-closed")).toBe(true);
    expect(rooms.map((r) => r.recovered)).toEqual([true, true, true]);
  });

  it("server process restarts: an in-memory server's lost history surfaces as recovered: false, never as a silent gap", async () => {
    let server = await startServerProcess();
    const { port, url } = server;
    const alice = streaming(url, "alice");
    const bob = streaming(url, "bob");
    const [aliceDrops, bobDrops] = [drops(alice), drops(bob)];
    const a = alice.dm("bob");
    const b = bob.dm("alice");
    await Promise.all([a.subscribe(), b.subscribe()]);
    const [shownA, shownB] = [record(a), record(b)];
    const subscribedB: (boolean | undefined)[] = [];
    b.on("subscribed", ({ recovered }) => subscribedB.push(recovered));

    const N = 300;
    const sending = Promise.all([stream(a, "alice", N), stream(b, "bob", N)]);
    const lastStream = (shown: Shown[]) => streams(shown).at(-1)!;

    await until(() => messages(shownB).length >= 100, [[b, "message"]]);
    await server.stop("SIGTERM");
    server = await startServerProcess(port);
    // Both are back (on the restarted server) and the stream is flowing again.
    await until(
      () => streams(shownA).length === 2 && streams(shownB).length === 2 && lastStream(shownB).live.length >= 50,
      [
        [a, "reset"],
        [b, "message"],
        [b, "reset"],
      ],
    );
    await server.stop("SIGKILL");
    server = await startServerProcess(port);

    await sending;
    const end = await a.send({ text: "end:0" });
    const ended = (shown: Shown[]) => [...lastStream(shown).page, ...lastStream(shown).live].some((m) => m.seq === end.seq);
    await until(
      () => ended(shownA) && ended(shownB),
      [
        [a, "message"],
        [b, "message"],
        [a, "reset"],
        [b, "reset"],
      ],
    );
    await settle(alice, bob);

    expect(aliceDrops).toEqual(["shutdown", "transport-closed"]);
    expect(bobDrops).toEqual(["shutdown", "transport-closed"]);
    expect(subscribedB).toEqual([false, false]);
    expect([a.recovered, b.recovered]).toEqual([false, false]);
    for (const shown of [shownA, shownB]) {
      const [first, ...restarted] = streams(shown);
      expect(restarted).toHaveLength(2);
      expectContiguous(first!.live, 1);
      expectSenderOrder(first!.live);
      for (const s of restarted) {
        const all = [...s.page, ...s.live];
        expectContiguous(all);
        expect(s.hasMore || all.length === 0 || all[0]!.seq === 1).toBe(true);
        expectSenderOrder(all);
      }
    }
    await server.stop("SIGTERM");
  });
});
