import { afterEach, describe, expect, it } from "vitest";
import { createServer } from "node:http";
import { Server } from "socket.io";
import { createRoomkit } from "@roomkit/server";
import { contract } from "./support/contract.js";
import { collect, ok, refusal, settled, startServer } from "./support/harness.js";
import type { Harness } from "./support/harness.js";
import { refused } from "./support/refusals.js";

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe("app hooks and callbacks that fail", () => {
  it("a throwing channelOccupied / channelVacated hook neither fails the request nor the process", async () => {
    h = await startServer({
      hooks: {
        channelOccupied: () => {
          throw new Error("occupied hook bug");
        },
        channelVacated: () => {
          throw new Error("vacated hook bug");
        },
      },
    });
    const alice = await h.client("alice");
    await ok(alice, "rk:subscribe", { channel: "chat:x" });
    await h.drop(alice);
    const bob = await h.client("bob");
    await ok(bob, "rk:subscribe", { channel: "chat:x" });
  });

  it("a subscribe that fails half-way leaves the connection unsubscribed", async () => {
    h = await startServer({
      channels: {
        lobby: {
          authorize: () => true,
          memberInfo: () => {
            throw new Error("memberInfo bug");
          },
        },
      },
    });
    const [alice, bob] = [await h.client("alice"), await h.client("bob")];
    expect(await refusal(alice, "rk:subscribe", { channel: "lobby:x" })).toBe("INTERNAL");
    expect(await refusal(alice, "rk:publish", { channel: "lobby:x", body: { text: "in?" } })).toBe("FORBIDDEN");
    const seen = collect(alice, "rk:message");
    await h.rk.publish("lobby:x", { text: "to subscribers only" });
    await settled(alice, bob);
    expect(seen).toEqual([]);
  });
});

describe("rooms keep an owner and keep their ids private", () => {
  it("not even the server API kicks, demotes or mutes the owner", async () => {
    h = await startServer();
    await h.rk.rooms.create({ owner: "alice", channel: "room:r", members: ["bob"] });
    await expect(h.rk.rooms.kick("room:r", "alice")).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(h.rk.rooms.setRole("room:r", "alice", "member")).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(h.rk.rooms.mute("room:r", "alice", true)).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect(await h.rk.rooms.members("room:r")).toContainEqual(expect.objectContaining({ userId: "alice", role: "owner" }));
  });

  it("a non-member gets the same answer for a room that exists and one that does not", async () => {
    h = await startServer();
    await h.rk.rooms.create({ owner: "alice", channel: "room:real", members: ["bob"] });
    const mallory = await h.client("mallory");
    for (const [event, extra] of [
      ["rk:room:invite", { userId: "carol" }],
      ["rk:room:kick", { userId: "bob" }],
      ["rk:room:members", {}],
    ] as const) {
      expect(await refusal(mallory, event, { channel: "room:real", ...extra })).toBe("FORBIDDEN");
      expect(await refusal(mallory, event, { channel: "room:ghost", ...extra })).toBe("FORBIDDEN");
    }
  });
});

describe("limits and configuration", () => {
  it("the subscription limit says what the limit is", async () => {
    h = await startServer({ limits: { subscriptions: 1 } });
    const alice = await h.client("alice");
    await ok(alice, "rk:subscribe", { channel: "chat:a" });
    const error = await refused(alice, "rk:subscribe", { channel: "chat:b" }, "RATE_LIMITED");
    expect(error.details).toEqual({ limit: 1 });
  });

  it("createRoomkit refuses attachment types whose bytes cannot be checked", () => {
    const io = new Server(createServer());
    expect(() =>
      createRoomkit(io, { contract, authenticate: () => null, limits: { attachmentTypes: ["image/png", "text/plain"] } }),
    ).toThrow(/text\/plain/);
    io.close();
  });

  it("createRoomkit refuses limits.attachments outside 1..10 (a stock parser takes 10 binary parts) and non-positive limits", async () => {
    const io = new Server(createServer());
    const start = (limits: Record<string, unknown>) => () => createRoomkit(io, { contract, authenticate: () => null, limits });
    for (const attachments of [0, 11, 2.5, Number.NaN]) expect(start({ attachments })).toThrow(/limits\.attachments .*1 to 10/);
    for (const [name, value] of [
      ["depth", 0],
      ["nodes", -1],
      ["requestBytes", Number.NaN],
      ["bodyBytes", "16k"],
      ["signalBytes", undefined],
    ] as const) {
      expect(start({ [name]: value }), name).toThrow(new RegExp(`limits\\.${name} must be a positive number`));
    }
    expect(start({ publish: { rate: 0, burst: 5 } })).toThrow(/limits\.publish/);
    expect(start({ userSignal: { rate: 1, burst: 0.5 } })).toThrow(/limits\.userSignal/);
    for (const attachments of [1, 10]) await start({ attachments })().close();
    io.close();
  });
});

describe("unread counts follow access", () => {
  it("a private channel the user may no longer read drops out of their counts", async () => {
    let allowed = true;
    h = await startServer({ channels: { team: { authorize: () => allowed } } });
    const [alice, bob] = [await h.client("alice"), await h.client("bob")];
    await ok(alice, "rk:subscribe", { channel: "team:t" });
    await ok(bob, "rk:subscribe", { channel: "team:t" });
    await ok(bob, "rk:publish", { channel: "team:t", body: { text: "one" } });
    await ok(alice, "rk:read", { channel: "team:t", seq: 1 });
    await ok(bob, "rk:publish", { channel: "team:t", body: { text: "two" } });
    expect((await ok(alice, "rk:unread", {})).channels).toContainEqual(expect.objectContaining({ channel: "team:t", unread: 1 }));
    allowed = false;
    const after = await ok(alice, "rk:unread", {});
    expect(after.channels.map((c: { channel: string }) => c.channel)).not.toContain("team:t");
  });
});
