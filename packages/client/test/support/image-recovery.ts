import { expect } from "vitest";
import type { Server } from "socket.io";
import type { DropReason, Message } from "@roomkit/client";
import { userRoom } from "@roomkit/protocol";
import { markOf as markOfPng, png } from "../../../server/test/support/png.js";
import { connect, next, state, until } from "./clients.js";
import type { TestClient } from "./clients.js";
import { expectContiguous, messages, record, streams } from "./streams.js";

/** A server node as the scenario needs it: where clients connect, and its Socket.IO server. */
export interface ScenarioNode {
  url: string;
  io: Server;
}

type ImageBody = { text?: string; image?: { type: string; data: Uint8Array } };

/** Every reason the client's connection went down for, once it was up. */
export function drops(rk: TestClient): DropReason[] {
  const reasons: DropReason[] = [];
  let up = rk.connection.current.status === "connected";
  rk.connection.subscribe((s) => {
    if (s.status === "connected") up = true;
    else if (up && s.status === "reconnecting") {
      up = false;
      reasons.push(s.reason);
    }
  });
  return reasons;
}

/** Refuses `userId`'s handshakes on `node` (`UNAVAILABLE`) while `offline()` says so. */
export function gate(node: ScenarioNode, userId: string, offline: () => boolean): void {
  node.io.use((socket, go) => {
    const refused = offline() && (socket.handshake.auth as { user?: string }).user === userId;
    go(refused ? Object.assign(new Error("offline"), { data: { code: "UNAVAILABLE", message: "offline" } }) : undefined);
  });
}

/**
 * Finding 2b through the SDK: bob is offline while alice sends `count` single-image DMs, more
 * than one packet's 10 attachments. When bob is let back in, his handle recovers every one, in
 * order, once, with no reset and no disconnect besides the one that took him offline: the
 * subscribe ack replays the first 10 and says `hasMore`, the handle subscribes again from the
 * last seq replayed until the replay is whole, before it goes live, and a message alice sends while it pages (pushed, so held) comes once, after them.
 */
export async function offlineDuringImages(nodes: { alice: ScenarioNode; bob: ScenarioNode }, count = 50): Promise<void> {
  const alice = connect(nodes.alice.url, "alice", { outbox: { limit: 1000 } });
  const bob = connect(nodes.bob.url, "bob");
  const [a, b] = [alice.dm("bob"), bob.dm("alice")];
  await Promise.all([a.subscribe(), b.subscribe()]);
  const shown = record(b);
  await a.send({ text: "before" });
  await until(() => messages(shown).length === 1, [[b, "message"]]);

  let offline = true;
  gate(nodes.bob, "bob", () => offline);
  const dropped = drops(bob);
  nodes.bob.io.in(userRoom("bob")).disconnectSockets();
  await state(bob, (s) => s.status === "reconnecting" && s.reason === "unavailable");
  await Promise.all(Array.from({ length: count }, (_, i) => a.send({ image: { type: "image/png", data: png(16, i + 1) } })));

  // Alice sends once more while bob's handle continues the cut replay (a second rk:subscribe
  // from the last seq replayed, §6.1), so its push lands in the middle of recovery.
  let live: Promise<unknown> | undefined;
  nodes.bob.io.on("connection", (socket) => {
    if ((socket.data.user as { id: string }).id !== "bob") return;
    let subscribes = 0;
    socket.onAny((event: string) => void (event === "rk:subscribe" && ++subscribes === 2 && (live ??= a.send({ text: "live" }))));
  });
  const subscribed = next(b, "subscribed");
  offline = false;
  const [info] = await subscribed;
  expect(info.recovered).toBe(true);
  // The whole gap is shown before the handle is subscribed: it paged, rather than waiting for a push to reveal the gap.
  expect(messages(shown).length).toBeGreaterThanOrEqual(1 + count);
  expect(live, "the handle continued the replay with another rk:subscribe").toBeDefined();
  await live;
  await until(() => messages(shown).length === count + 2, [[b, "message"]]);
  await bob.unread();

  const list = messages(shown) as Message<ImageBody>[];
  expect(streams(shown)).toHaveLength(1);
  expectContiguous(list, 1);
  expect(list).toHaveLength(count + 2);
  expect(list.slice(1, -1).map((m) => m.body!.image && markOfPng(m.body!.image.data))).toEqual(
    Array.from({ length: count }, (_, i) => i + 1),
  );
  expect(list.at(-1)!.body!.text).toBe("live");
  expect(b.recovered).toBe(true);
  expect(dropped).toEqual(["server-disconnect"]);
}
