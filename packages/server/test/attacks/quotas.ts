import { expect, it } from "vitest";
import { Requests } from "@roomkit/protocol";
import type { AddMemberEvent } from "@roomkit/server";
import { ok, request, settled } from "../support/harness.js";
import type { Client } from "../support/harness.js";
import { expectNothingDelivered, record, refused } from "../support/refusals.js";
import { attackServers } from "./env.js";
import type { AttackEnv } from "./env.js";

const rssMb = () => Math.round(process.memoryUsage().rss / 1e6);

/** Findings 6 and 7: limits are per user, rooms cannot be forced onto anyone, and creating one reveals no other. */
export function quotaAttacks(env: AttackEnv): void {
  const servers = attackServers(env);

  it("one user's 100 connections get no more publishes through than the user bucket (burst 20); another user is unaffected; reconnecting does not refill it (RSS printed)", async () => {
    const h = await servers.start({
      limits: { connectionsPerUser: 100, publish: { rate: 1000, burst: 1000 }, userPublish: { rate: 0.001, burst: 20 } },
    });
    const before = rssMb();
    const conns = await Promise.all(Array.from({ length: 100 }, () => h.client("mallory")));
    const acks = await Promise.all(
      conns.flatMap((c) => [1, 2, 3].map(() => request(c, Requests.publish, { channel: "dm:bob|mallory", body: { text: "flood" } }))),
    );
    const through = acks.filter((a) => a.ok).length;
    const limited = acks.filter((a) => !a.ok && a.error.code === "RATE_LIMITED").length;
    console.log(`rss ${before} MB -> ${rssMb()} MB; ${through} of ${acks.length} publishes through`);
    expect([through, limited]).toEqual([20, 280]);
    expect((await h.rk.history("dm:bob|mallory", { limit: 100 })).messages).toHaveLength(20);
    const bob = await h.client("bob");
    for (let i = 0; i < 20; i++) await ok(bob, Requests.publish, { channel: "dm:alice|bob", body: { text: `${i}` } });
    await Promise.all(conns.map((c) => h.drop(c)));
    const again = await h.client("mallory");
    await refused(again, Requests.publish, { channel: "dm:bob|mallory", body: { text: "fresh start?" } }, "RATE_LIMITED");
  });

  it("540 rooms forced on a victim do not stop their own rk:subscribe of public channels (subscriptions: 3 counts only their own)", async () => {
    const h = await servers.start({ limits: { subscriptions: 3 } });
    for (let i = 0; i < 540; i += 60) {
      await Promise.all(
        Array.from({ length: 60 }, (_, j) => h.rk.rooms.create({ owner: "mallory", members: ["victim"], name: `forced ${i + j}` })),
      );
    }
    const victim = await h.client("victim");
    const list = await ok(victim, Requests.roomList, {});
    expect([list.rooms.length, list.count, typeof list.next]).toEqual([500, 540, "string"]);
    for (const channel of ["chat:a", "chat:b", "news:c"]) await ok(victim, Requests.subscribe, { channel });
    const err = await refused(victim, Requests.subscribe, { channel: "chat:d" }, "RATE_LIMITED");
    expect(err.details).toEqual({ limit: 3 });
    await ok(victim, Requests.unsubscribe, { channel: "chat:a" });
    await ok(victim, Requests.subscribe, { channel: "chat:d" });
  });

  it("rk:room:create is rate limited per user (burst 3, retryAfterMs), across connections and reconnects; another user is unaffected", async () => {
    const h = await servers.start({ limits: { roomCreate: { rate: 0.001, burst: 3 } } });
    const conns = await Promise.all(Array.from({ length: 5 }, () => h.client("mallory")));
    const acks = await Promise.all(conns.map((c, i) => request(c, Requests.roomCreate, { name: `r${i}` })));
    expect(acks.filter((a) => a.ok)).toHaveLength(3);
    const refusedAcks = acks.filter((a) => !a.ok);
    expect(refusedAcks).toHaveLength(2);
    for (const a of refusedAcks)
      expect(a).toMatchObject({ ok: false, error: { code: "RATE_LIMITED", details: { retryAfterMs: expect.any(Number) } } });
    await Promise.all(conns.map((c) => h.drop(c)));
    await refused(await h.client("mallory"), Requests.roomCreate, {}, "RATE_LIMITED");
    await ok(await h.client("bob"), Requests.roomCreate, {});
    expect(await h.rk.rooms.list("mallory")).toHaveLength(3);
  });

  it("a user owns at most roomsOwned (2) rooms and is in at most roomMemberships (3): RATE_LIMITED with details.limit", async () => {
    const h = await servers.start({ limits: { roomsOwned: 2, roomMemberships: 3 } });
    const mallory = await h.client("mallory");
    await ok(mallory, Requests.roomCreate, {});
    const { room } = await ok(mallory, Requests.roomCreate, {});
    expect((await refused(mallory, Requests.roomCreate, {}, "RATE_LIMITED")).details).toEqual({ limit: 2 });
    await h.rk.rooms.create({ owner: "alice", channel: "room:open1", open: true });
    await h.rk.rooms.create({ owner: "alice", channel: "room:open2", open: true });
    await ok(mallory, Requests.roomJoin, { channel: "room:open1" });
    expect((await refused(mallory, Requests.roomJoin, { channel: "room:open2" }, "RATE_LIMITED")).details).toEqual({ limit: 3 });
    await ok(mallory, Requests.roomLeave, { channel: room.channel });
    await ok(mallory, Requests.roomJoin, { channel: "room:open2" });
    expect(await h.rk.rooms.list("mallory")).toHaveLength(3);
  });

  it("a user in roomMemberships (2) rooms cannot be added to one more: the adder is refused, the victim keeps everything and hears nothing", async () => {
    const h = await servers.start({ limits: { roomMemberships: 2 } });
    await h.rk.rooms.create({ owner: "bob", channel: "room:b1" });
    await h.rk.rooms.create({ owner: "alice", channel: "room:b2", members: ["bob"] });
    const [mallory, bob] = await Promise.all([h.client("mallory"), h.connect({ user: "bob" }).then((c) => c.socket)]);
    await settled(bob); // his own presence in his two rooms, joined before his welcome
    const seen = record(bob);
    const err = await refused(mallory, Requests.roomCreate, { members: ["bob"] }, "FORBIDDEN");
    expect(err.message).toContain("bob");
    const { room } = await ok(mallory, Requests.roomCreate, {});
    await refused(mallory, Requests.roomInvite, { channel: room.channel, userId: "bob" }, "FORBIDDEN");
    await expectNothingDelivered([bob, seen]);
    expect((await h.rk.rooms.list("bob")).map((r) => r.channel).sort()).toEqual(["room:b1", "room:b2"]);
    expect(await h.rk.rooms.list("mallory")).toHaveLength(1);
  });

  it("hooks.canAddMember refuses an addition at create and at invite (FORBIDDEN with its reason), and is told who adds whom and how", async () => {
    const asked: AddMemberEvent[] = [];
    const h = await servers.start({
      hooks: {
        canAddMember: (event) => {
          asked.push(event);
          return event.userId !== "bob" || { reject: "bob takes invitations from contacts only" };
        },
      },
    });
    const [mallory, bob] = await Promise.all([h.client("mallory"), h.client("bob")]);
    const seen = record(bob);
    const err = await refused(mallory, Requests.roomCreate, { members: ["carol", "bob"] }, "FORBIDDEN");
    expect(err.message).toBe("bob takes invitations from contacts only");
    expect(await h.rk.rooms.list("mallory")).toEqual([]);
    expect(await h.rk.rooms.list("carol")).toEqual([]);
    const { room } = await ok(mallory, Requests.roomCreate, { members: ["carol"] });
    expect((await refused(mallory, Requests.roomInvite, { channel: room.channel, userId: "bob" }, "FORBIDDEN")).message).toBe(
      "bob takes invitations from contacts only",
    );
    await expectNothingDelivered([bob, seen]);
    expect(asked.map((e) => [e.userId, e.by, e.via])).toEqual([
      ["carol", "mallory", "create"],
      ["bob", "mallory", "create"],
      ["carol", "mallory", "create"],
      ["bob", "mallory", "invite"],
    ]);
    expect(asked[3]!.channel).toMatchObject({ id: room.channel, kind: "room" });
  });

  it("by default a client cannot choose a room id (INVALID) and gets a random one; with clientIds a taken and a used id answer one CONFLICT", async () => {
    const byDefault = await servers.start({ rooms: { clientIds: false } });
    const a = await byDefault.client("mallory");
    const err = await refused(a, Requests.roomCreate, { channel: "room:mine" }, "INVALID");
    expect(err.message).toBe("this server chooses room ids");
    const { room } = await ok(a, Requests.roomCreate, {});
    expect(room.channel).toMatch(/^room:[A-Za-z0-9_-]{12}$/);
    // The app's own code may still pick ids.
    await byDefault.rk.rooms.create({ owner: "alice", channel: "room:picked" });

    const h = await servers.start({ rooms: { clientIds: true } });
    await h.rk.rooms.create({ owner: "alice", channel: "room:taken" });
    await h.rk.rooms.create({ owner: "alice", channel: "room:used" });
    await h.rk.publish("room:used", { text: "history stays" });
    await h.rk.rooms.leave("room:used", "alice");
    const mallory: Client = await h.client("mallory");
    const taken = await refused(mallory, Requests.roomCreate, { channel: "room:taken" }, "CONFLICT");
    const used = await refused(mallory, Requests.roomCreate, { channel: "room:used" }, "CONFLICT");
    expect([taken.message, used.message]).toEqual(["room id is not available", "room id is not available"]);
    await ok(mallory, Requests.roomCreate, { channel: "room:free" });
  });
}
