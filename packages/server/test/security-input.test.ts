import { Server } from "socket.io";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Requests } from "@roomkit/protocol";
import { createRoomkit } from "@roomkit/server";
import { ok, settled, startServer } from "./support/harness.js";
import type { Client, Harness } from "./support/harness.js";
import { describePayload, expectNothingDelivered, expectServing, record, refused } from "./support/refusals.js";

// Bad input never crashes the server and never reaches other users: every request gets a typed error.

let h: Harness;
let alice: Client;
let bob: Client;
let pushesToBob: [string, unknown][];

beforeAll(async () => {
  // Generous limits: this file sends hundreds of requests from one connection.
  const lots = { rate: 1e6, burst: 1e6 };
  h = await startServer({ limits: { publish: lots, signal: lots, request: lots, userPublish: lots, userSignal: lots, userRequest: lots } });
  [alice, bob] = await Promise.all([h.client("alice"), h.client("bob")]);
  await ok(alice, "rk:room:create", { channel: "room:r1", members: ["bob"] });
  await ok(alice, "rk:subscribe", { channel: "news:front" });
  await ok(alice, "rk:subscribe", { channel: "chat:general" });
  await ok(bob, "rk:subscribe", { channel: "chat:general" });
  await settled(alice, bob);
  pushesToBob = record(bob);
});
afterAll(async () => {
  // Nothing alice sent in this file was valid enough to reach bob.
  await expectNothingDelivered([bob, pushesToBob]);
  await expectServing(h.client);
  await h.close();
});

const badChannelIds: [string, unknown][] = [
  ["no colon", "general"],
  ["an empty id", ""],
  ["an empty name", "chat:"],
  ["an upper-case family", "Chat:general"],
  ["a family with a bad character", "ch$at:general"],
  ["a family starting with a digit", "1chat:general"],
  ["an unknown family", "nope:general"],
  ["the personal-room prefix", "user:bob"],
  ["a prototype key as family", "constructor:x"],
  ["a second colon", "chat:a:b"],
  ["a non-canonical DM", "dm:bob|alice"],
  ["a DM of the same user twice", "dm:alice|alice"],
  ["a DM of three users", "dm:alice|bob|carol"],
  ["a DM name in a room family", "room:alice|bob"],
  ["a DM name in a public family", "chat:alice|bob"],
  ["a plain name in the DM family", "dm:alice"],
  ["a 10k-character id", "x".repeat(10_000)],
  ["a 10k-character name", `chat:${"a".repeat(10_000)}`],
  ["a number", 42],
  ["null", null],
  ["an object", { family: "chat", name: "general" }],
  ["an array", ["chat:general"]],
  ["a boolean", true],
];

describe("malformed channel ids", () => {
  const requests: [string, (channel: unknown) => Record<string, unknown>][] = [
    [Requests.subscribe, (channel) => ({ channel })],
    [Requests.unsubscribe, (channel) => ({ channel })],
    [Requests.publish, (channel) => ({ channel, body: { text: "hi" } })],
    [Requests.signal, (channel) => ({ channel, name: "typing", data: { on: true } })],
    [Requests.history, (channel) => ({ channel })],
    [Requests.presence, (channel) => ({ channel })],
    [Requests.read, (channel) => ({ channel, seq: 1 })],
    [Requests.unread, (channel) => ({ channels: [channel] })],
    [Requests.receipts, (channel) => ({ channel })],
    [Requests.roomCreate, (channel) => ({ channel })],
    [Requests.roomInvite, (channel) => ({ channel, userId: "bob" })],
    [Requests.roomJoin, (channel) => ({ channel })],
    [Requests.roomLeave, (channel) => ({ channel })],
    [Requests.roomKick, (channel) => ({ channel, userId: "bob" })],
    [Requests.roomRole, (channel) => ({ channel, userId: "bob", role: "admin" })],
    [Requests.roomMute, (channel) => ({ channel, userId: "bob", muted: true })],
    [Requests.roomMembers, (channel) => ({ channel })],
  ];

  it.each(badChannelIds)("refuses %s as INVALID in every request that takes a channel", async (_what, id) => {
    for (const [event, payload] of requests) await refused(alice, event, payload(id), "INVALID");
  });

  it("names the unknown family instead of ignoring it", async () => {
    const err = await refused(alice, Requests.subscribe, { channel: "nope:general" }, "INVALID");
    expect(err.message).toBe('unknown channel family "nope"');
  });

  it("says which DM id is the canonical one", async () => {
    const err = await refused(alice, Requests.publish, { channel: "dm:bob|alice", body: { text: "hi" } }, "INVALID");
    expect(err.message).toMatch(/alice\|bob/);
  });

  it("refuses room requests on channels of other kinds", async () => {
    for (const channel of ["dm:alice|bob", "chat:general", "news:front", "team:a-team", "lobby:main"]) {
      await refused(alice, Requests.roomCreate, { channel }, "INVALID");
      await refused(alice, Requests.roomJoin, { channel }, "INVALID");
      await refused(alice, Requests.roomMembers, { channel }, "INVALID");
      await refused(alice, Requests.roomInvite, { channel, userId: "carol" }, "INVALID");
    }
    for (const family of ["dm", "chat", "nope", "user", "Room"]) await refused(alice, Requests.roomCreate, { family }, "INVALID");
  });
});

/** Payloads that are not an object, or lack a required field. */
const notObjects: unknown[] = [42, -1.5, "rk:subscribe", "", true, false, [], [{ channel: "chat:general" }]];

/** Per request, payloads of the right shape with a missing or wrongly typed field. */
const malformed: Record<string, unknown[]> = {
  [Requests.subscribe]: [
    undefined,
    null,
    {},
    { channel: 1 },
    { channel: "chat:general", since: -1 },
    { channel: "chat:general", since: 1.5 },
    { channel: "chat:general", since: "3" },
    { channel: "chat:general", since: 2 ** 60 },
    { channel: "chat:general", since: null },
    { channel: "chat:general", since: 1e308 },
    { channel: "chat:general", epoch: 5 },
    { channel: "chat:general", epoch: "" },
    { channel: "chat:general", epoch: "e".repeat(65) },
  ],
  [Requests.unsubscribe]: [undefined, null, {}, { channel: {} }],
  [Requests.publish]: [
    undefined,
    null,
    {},
    { body: { text: "hi" } },
    { channel: "chat:general" },
    { channel: "chat:general", body: { text: "hi" }, clientId: "" },
    { channel: "chat:general", body: { text: "hi" }, clientId: "c".repeat(65) },
    { channel: "chat:general", body: { text: "hi" }, clientId: 7 },
    { channel: "chat:general", body: { text: "hi" }, clientId: "has space" },
    { channel: "chat:general", body: { text: "hi" }, clientId: "naïve" },
    { channel: "chat:general", body: { text: "hi" }, clientId: ["a"] },
    ...[0, -1, 1.5, "1", null, 2 ** 53].map((replyTo) => ({ channel: "chat:general", body: { text: "hi" }, replyTo })),
  ],
  [Requests.signal]: [
    undefined,
    null,
    {},
    { channel: "dm:alice|bob" },
    { channel: "dm:alice|bob", name: 5 },
    { channel: "dm:alice|bob", name: "" },
    { channel: "dm:alice|bob", name: "n".repeat(65) },
    { name: "typing" },
  ],
  [Requests.history]: [
    undefined,
    null,
    {},
    ...[0, -1, 1.5, 101, 1e9, "10", null, Number.MAX_SAFE_INTEGER].map((limit) => ({ channel: "chat:general", limit })),
    ...[0, -1, 2.5, "9", 2 ** 53].map((before) => ({ channel: "chat:general", before })),
    ...[-1, 0.5, "0", true].map((after) => ({ channel: "chat:general", after })),
    ...[0, -1, 1.5, "1", null].map((thread) => ({ channel: "chat:general", thread })),
  ],
  [Requests.edit]: [
    undefined,
    null,
    {},
    { channel: "chat:general", body: { text: "x" } },
    { seq: 1, body: { text: "x" } },
    { channel: "chat:general", seq: 1 },
    ...[0, -1, 1.5, "1", null, 2 ** 53].map((seq) => ({ channel: "chat:general", seq, body: { text: "x" } })),
  ],
  [Requests.delete]: [
    undefined,
    null,
    {},
    { channel: "chat:general" },
    { seq: 1 },
    ...[0, -1, 1.5, "1"].map((seq) => ({ channel: "chat:general", seq })),
  ],
  [Requests.react]: [
    undefined,
    null,
    {},
    { channel: "chat:general", seq: 1 },
    { channel: "chat:general", reaction: "👍" },
    ...["", " ", "x".repeat(33), "a\nb", "\u0000", "\u0085", "\ud800", "a\udc00", 5, null, ["👍"]].map((reaction) => ({
      channel: "chat:general",
      seq: 1,
      reaction,
    })),
  ],
  [Requests.unreact]: [undefined, null, {}, { channel: "chat:general", seq: 1 }, { channel: "chat:general", seq: 1, reaction: "" }],
  [Requests.presence]: [undefined, null, {}, { channel: 9 }],
  [Requests.read]: [
    undefined,
    null,
    {},
    { seq: 1 },
    ...[undefined, null, -1, 1.5, "1", 2 ** 53, 1e308, [1]].map((seq) => ({ channel: "chat:general", seq })),
  ],
  [Requests.unread]: [
    { channels: "chat:general" },
    { channels: [5] },
    { channels: [null] },
    { channels: {} },
    { channels: null },
    { channels: Array.from({ length: 101 }, (_, i) => `chat:c${i}`) },
  ],
  [Requests.receipts]: [undefined, null, {}, { channel: 5 }, { channel: "chat:general" }, { channel: "lobby:main" }],
  [Requests.roomCreate]: [
    { channel: 5 },
    { family: 5 },
    { name: 5 },
    { name: "" },
    { name: "n".repeat(101) },
    { channel: `room:${"a".repeat(300)}` },
    { members: "bob" },
    { members: ["a|b"] },
    { members: [5] },
    { members: Array.from({ length: 101 }, (_, i) => `u${i}`) },
    { open: "yes" },
    { open: 1 },
  ],
  [Requests.roomInvite]: [
    undefined,
    null,
    {},
    { channel: "room:r1" },
    { channel: "room:r1", userId: "a|b" },
    { channel: "room:r1", userId: 5 },
    { channel: "room:r1", userId: "" },
    { channel: "room:r1", userId: "u".repeat(65) },
    { userId: "carol" },
  ],
  [Requests.roomJoin]: [undefined, null, {}, { channel: 5 }],
  [Requests.roomLeave]: [undefined, null, {}, { channel: 5 }],
  [Requests.roomKick]: [undefined, null, {}, { channel: "room:r1" }, { channel: "room:r1", userId: "$system" }],
  [Requests.roomRole]: [
    undefined,
    null,
    {},
    { channel: "room:r1", userId: "bob" },
    { channel: "room:r1", userId: "bob", role: "owner" },
    { channel: "room:r1", userId: "bob", role: "boss" },
    { channel: "room:r1", userId: "bob", role: 1 },
  ],
  [Requests.roomMute]: [
    undefined,
    null,
    {},
    { channel: "room:r1", userId: "bob" },
    { channel: "room:r1", userId: "bob", muted: "yes" },
    { channel: "room:r1", userId: "bob", muted: 0 },
    { channel: "room:r1", userId: "bob", muted: null },
  ],
  [Requests.roomList]: [],
  [Requests.roomMembers]: [undefined, null, {}, { channel: [] }],
};

describe("malformed payloads", () => {
  it("covers every request of the wire protocol", () => {
    expect(Object.keys(malformed).sort()).toEqual(Object.values(Requests).sort());
  });

  it.each(Object.values(Requests))("refuses a %s payload that is not an object as INVALID", async (event) => {
    for (const payload of notObjects) await refused(alice, event, payload, "INVALID");
  });

  it.each(Object.entries(malformed))("refuses %s with missing or mistyped fields as INVALID", async (event, payloads) => {
    for (const payload of payloads) await refused(alice, event, payload, "INVALID");
  });

  it("changes nothing it refused", async () => {
    expect((await h.rk.rooms.members("room:r1")).map((m) => [m.userId, m.role, m.muted])).toEqual([
      ["alice", "owner", false],
      ["bob", "member", false],
    ]);
    expect((await h.rk.rooms.list("alice")).map((r) => r.channel)).toEqual(["room:r1"]);
    expect((await h.rk.history("chat:general")).messages).toEqual([]);
  });

  it("runs a request sent without an acknowledgement callback, and survives bad ones", async () => {
    for (const event of Object.values(Requests)) {
      alice.emit(event);
      for (const payload of [...notObjects, ...(malformed[event] ?? [])]) alice.emit(event, payload);
    }
    // With no ack to answer, a valid request still runs.
    alice.emit(Requests.publish, { channel: "dm:alice|carol", body: { text: "fire and forget" } });
    await settled(alice);
    expect(alice.connected).toBe(true);
    expect((await h.rk.history("dm:alice|carol")).messages.map((m) => m.body)).toEqual([{ text: "fire and forget" }]);
  });

  it("ignores extra arguments before the acknowledgement", async () => {
    const ack = await alice.timeout(5000).emitWithAck(Requests.history, { channel: "dm:alice|carol" }, "extra", 42);
    expect(ack).toMatchObject({ ok: true });
  });
});

describe("message bodies", () => {
  it("refuses a body that fails the family's schema with the issues and their paths", async () => {
    const cases: [string, unknown, string[]][] = [
      ["dm:alice|bob", { text: 5 }, ["text"]],
      ["dm:alice|bob", { image: { type: "image/png" } }, ["image.data"]],
      ["room:r1", { text: "" }, ["text"]],
      ["room:r1", "just a string", [""]],
      ["room:r1", null, [""]],
      ["room:r1", [{ text: "hi" }], [""]],
      ["news:front", {}, ["headline"]],
      ["news:front", { headline: ["a"] }, ["headline"]],
    ];
    const anna = await h.client("anna");
    for (const [channel, body, paths] of cases) {
      const publisher = channel === "news:front" ? anna : alice;
      const err = await refused(publisher, Requests.publish, { channel, body }, "INVALID");
      const issues = err.details?.issues as { path: string; message: string }[];
      expect(
        issues.map((i) => i.path),
        describePayload(body),
      ).toEqual(paths);
      for (const issue of issues) expect(issue.message).toEqual(expect.any(String));
    }
  });

  it("refuses a body over the byte limit as TOO_LARGE, before its schema", async () => {
    const err = await refused(alice, Requests.publish, { channel: "dm:alice|bob", body: { text: "x".repeat(20_000) } }, "TOO_LARGE");
    expect(err.details).toEqual({ limit: 16 * 1024 });
    await refused(alice, Requests.publish, { channel: "room:r1", body: { text: "hi", pad: "é".repeat(9000) } }, "TOO_LARGE");
  });

  it("refuses binary outside an attachment, an attachment whose bytes are another type, and deep nesting", async () => {
    const pdf = Buffer.from("%PDF-1.7\n%fake image");
    await refused(alice, Requests.publish, { channel: "dm:alice|bob", body: { text: "hi", raw: Buffer.from([1, 2, 3]) } }, "INVALID");
    await refused(alice, Requests.publish, { channel: "dm:alice|bob", body: { image: { type: "image/png", data: pdf } } }, "INVALID");
    await refused(alice, Requests.publish, { channel: "dm:alice|bob", body: { image: { type: "application/pdf", data: pdf } } }, "INVALID");
    await refused(
      alice,
      Requests.publish,
      { channel: "dm:alice|bob", body: { image: { type: "text/html", data: Buffer.from("<script>") } } },
      "INVALID",
    );
    let deep: unknown = { text: "bottom" };
    for (let i = 0; i < 40; i++) deep = { deep };
    await refused(alice, Requests.publish, { channel: "dm:alice|bob", body: deep }, "INVALID");
    expect((await h.rk.history("dm:alice|bob")).messages).toEqual([]);
  });
});

describe("signals", () => {
  it("refuses a signal name the family does not declare", async () => {
    for (const name of ["nope", "__proto__", "constructor", "toString", "hasOwnProperty", "Typing"]) {
      const err = await refused(alice, Requests.signal, { channel: "dm:alice|bob", name, data: { on: true } }, "INVALID");
      expect(err.message).toMatch(/has no signal/);
    }
    await refused(alice, Requests.signal, { channel: "chat:general", name: "typing" }, "INVALID");
  });

  it("refuses signal data over the byte limit, binary, or failing its schema", async () => {
    const dm = "dm:alice|bob";
    const err = await refused(
      alice,
      Requests.signal,
      { channel: dm, name: "typing", data: { on: true, pad: "x".repeat(2000) } },
      "TOO_LARGE",
    );
    expect(err.details).toEqual({ limit: 1024 });
    await refused(alice, Requests.signal, { channel: dm, name: "typing", data: Buffer.alloc(10) }, "INVALID");
    await refused(alice, Requests.signal, { channel: dm, name: "typing", data: { on: Buffer.alloc(1) } }, "INVALID");
    const schema = await refused(alice, Requests.signal, { channel: dm, name: "typing", data: { on: "yes" } }, "INVALID");
    expect(schema.details?.issues).toEqual([{ path: "on", message: expect.any(String) }]);
    await refused(alice, Requests.signal, { channel: "news:front", name: "react", data: { emoji: "e".repeat(9) } }, "INVALID");
  });
});

describe("the contract", () => {
  it("refuses a contract that would expose the personal rooms or leave a kind unguarded", () => {
    const io = new Server(); // attached to no HTTP server: nothing to close
    const authenticate = () => null;
    expect(() => createRoomkit(io, { contract: { channels: { user: { kind: "public" } } }, authenticate })).toThrow(/reserved/);
    const typo = { channels: { team: { kind: "privat" } } } as never;
    expect(() => createRoomkit(io, { contract: typo, authenticate })).toThrow(/kind/);
  });
});
