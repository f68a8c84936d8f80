import { expect } from "vitest";
import { RoomkitError, userRoom } from "@roomkit/protocol";
import { png } from "../../../server/test/support/png.js";
import { connect, next, state } from "./clients.js";
import type { TestClient } from "./clients.js";
import type { ScenarioNode } from "./image-recovery.js";
import { drops, gate } from "./image-recovery.js";
import { expectView, serverHistory, until } from "./views.js";

/** A change that lost a race with a delete (`CONFLICT`) is expected; anything else is not. */
function unlessDeleted(err: unknown): undefined {
  if (err instanceof RoomkitError && err.code === "CONFLICT") return undefined;
  throw err;
}

/** Closes the engine.io transport under `userId`'s sockets on `node`: "transport close", then a reconnect. */
function dropTransport(node: ScenarioNode, userId: string): void {
  for (const socket of node.io.of("/").sockets.values()) if ((socket.data.user as { id: string }).id === userId) socket.conn.close();
}

/** Proves nothing more is on its way to these clients: a request's ack comes after every push sent before it. */
async function settle(...clients: TestClient[]): Promise<void> {
  await Promise.all(clients.map((rk) => rk.unread()));
}

/**
 * Three users of one room, each on their node, each with a view open: alice edits and deletes
 * her messages, bob and carol react, unreact and reply, all at once, while every client's
 * transport is closed several times in the middle. Every client's folded view ends equal to the
 * room's history as that user reads it from a fresh client, and every client recovered (no reset).
 */
export async function changesWhileDropping(
  nodes: { alice: ScenarioNode; bob: ScenarioNode; carol: ScenarioNode },
  count = 40,
): Promise<void> {
  const users = ["alice", "bob", "carol"] as const;
  const clients = users.map((u) => connect(nodes[u].url, u, { outbox: { limit: 1000 } }));
  const allDrops = clients.map(drops);
  const room = await clients[0]!.rooms.create({ name: "changes", members: ["bob", "carol"] });
  const handles = [room, clients[1]!.channel(room.id), clients[2]!.channel(room.id)] as const;
  await Promise.all(handles.map((r) => r.subscribe()));
  const sent = await Promise.all(Array.from({ length: count }, (_, i) => room.send({ text: `m${i}` })));
  const views = handles.map((r) => r.view({ pageSize: 100 }));
  await Promise.all(views.map((v) => until(v, (s) => !s.loading && s.messages.length === count)));

  const dropAfter = (i: number, at: number[]) => {
    let seen = 0;
    handles[i]!.on("change", () => {
      if (at.includes(++seen)) dropTransport(nodes[users[i]!], users[i]!);
    });
  };
  dropAfter(0, [30, 90]);
  dropAfter(1, [20, 70]);
  dropAfter(2, [40, 100, 130]);

  const [a, b, c] = handles;
  const work = sent.flatMap((m, i) => [
    a.edit(m.seq, { text: `m${i} (edited)` }).catch(unlessDeleted),
    b.react(m.seq, "👍").catch(unlessDeleted),
    c.react(m.seq, "❤️").catch(unlessDeleted),
    c.react(m.seq, "👍").catch(unlessDeleted),
    ...(i % 2 === 0 ? [b.unreact(m.seq, "👍").catch(unlessDeleted)] : []),
    ...(i % 7 === 0 ? [c.reply(m.seq, { text: `re m${i}` }).catch(unlessDeleted)] : []),
    ...(i % 5 === 0 ? [a.delete(m.seq).catch(unlessDeleted)] : []),
  ]);
  await Promise.all(work);
  await settle(...clients);

  for (const [i, user] of users.entries()) {
    await expectView(views[i]!, await serverHistory(nodes[user].url, user, (rk) => rk.channel(room.id)));
  }
  expect(allDrops.map((d) => d.length)).toEqual([2, 2, 3]);
  expect(handles.map((r) => r.recovered)).toEqual([true, true, true]);
  for (const view of views) view.close();
}

/**
 * Bob is offline while alice sends 20 single-image DMs, edits some with new images, reacts to
 * them and to a message bob already had, and deletes some: a gap with more attachments than one
 * packet holds, so the replay is cut (`hasMore`) and the handle subscribes again from where it
 * ended. Bob's view then equals his history, with no reset.
 */
export async function offlineDuringImageChanges(nodes: { alice: ScenarioNode; bob: ScenarioNode }, count = 20): Promise<void> {
  const alice = connect(nodes.alice.url, "alice", { outbox: { limit: 1000 } });
  const bob = connect(nodes.bob.url, "bob");
  const [a, b] = [alice.dm("bob"), bob.dm("alice")];
  await Promise.all([a.subscribe(), b.subscribe()]);
  const before = await a.send({ text: "before" });
  const view = b.view({ pageSize: 100 });
  await until(view, (s) => !s.loading && s.messages.length === 1);

  let offline = true;
  gate(nodes.bob, "bob", () => offline);
  const dropped = drops(bob);
  nodes.bob.io.in(userRoom("bob")).disconnectSockets();
  await state(bob, (s) => s.status === "reconnecting" && s.reason === "unavailable");
  const sent = await Promise.all(Array.from({ length: count }, (_, i) => a.send({ image: { type: "image/png", data: png(16, i + 1) } })));
  await a.edit(before.seq, { text: "before (edited)" });
  await a.react(before.seq, "🎉");
  for (const [i, m] of sent.entries()) {
    if (i % 3 === 0) await a.edit(m.seq, { text: `edited ${i}`, image: { type: "image/png", data: png(16, 100 + i) } });
    if (i % 4 === 0) await a.react(m.seq, "👍");
    if (i % 5 === 0) await a.delete(m.seq);
  }

  let subscribes = 0;
  nodes.bob.io.on("connection", (socket) => {
    if ((socket.data.user as { id: string }).id === "bob") socket.onAny((event: string) => void (event === "rk:subscribe" && subscribes++));
  });
  const subscribed = next(b, "subscribed");
  offline = false;
  const [info] = await subscribed;
  expect(info.recovered).toBe(true);
  expect(subscribes, "the cut replay was continued by subscribing again").toBeGreaterThan(1);
  await settle(alice, bob);
  await expectView(view, await serverHistory(nodes.bob.url, "bob", (rk) => rk.dm("alice")));
  expect(view.current.messages[0]).toMatchObject({
    body: { text: "before (edited)" },
    reactions: [{ reaction: "🎉", count: 1, mine: false }],
  });
  expect(dropped).toEqual(["server-disconnect"]);
  view.close();
}
