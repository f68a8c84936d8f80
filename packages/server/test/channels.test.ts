import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { collect, next, ok, refusal, settled, startServer } from "./support/harness.js";
import type { Client, Harness } from "./support/harness.js";

let h: Harness;
beforeEach(async () => {
  h = await startServer();
});
afterEach(() => h.close());

const sub = (socket: Client, channel: string) => ok(socket, "rk:subscribe", { channel });
const send = (socket: Client, channel: string, body: unknown) => ok(socket, "rk:publish", { channel, body });
const texts = (pushes: { message: { body: { text?: string; headline?: string } } }[]) =>
  pushes.map((p) => p.message.body.text ?? p.message.body.headline);

describe("public channels", () => {
  it("delivers a subscriber's message to every other subscriber and nobody else; the sender has its ack", async () => {
    const [alice, bob, carol] = await Promise.all([h.client("alice"), h.client("bob"), h.client("carol")]);
    await Promise.all([sub(alice, "chat:general"), sub(bob, "chat:general")]);
    const [atAlice, atBob, atCarol] = [collect(alice, "rk:message"), collect(bob, "rk:message"), collect(carol, "rk:message")];
    const ack = await send(alice, "chat:general", { text: "hello" });
    expect(ack.message).toMatchObject({ channel: "chat:general", seq: 1, from: "alice", body: { text: "hello" } });
    await settled(alice, bob, carol);
    expect(atAlice).toEqual([]);
    expect(texts(atBob)).toEqual(["hello"]);
    expect(atCarol).toEqual([]);
  });

  it("refuses a publish from a user who has not subscribed", async () => {
    const carol = await h.client("carol");
    expect(await refusal(carol, "rk:publish", { channel: "chat:general", body: { text: "hi" } })).toBe("FORBIDDEN");
  });

  it("stamps the sender from the connection, ignoring a `from` in the payload", async () => {
    const alice = await h.client("alice");
    await sub(alice, "chat:general");
    const ack = await ok(alice, "rk:publish", { channel: "chat:general", body: { text: "hi" }, from: "bob" });
    expect(ack.message.from).toBe("alice");
  });

  it("one-to-many: only the announcer publishes, and reaches every subscriber", async () => {
    const [anna, bob, carol] = await Promise.all([h.client("anna"), h.client("bob"), h.client("carol")]);
    await Promise.all([sub(bob, "news:front"), sub(carol, "news:front")]);
    const [atBob, atCarol] = [next(bob, "rk:message"), next(carol, "rk:message")];
    const ack = await send(anna, "news:front", { headline: "Roomkit ships" });
    expect(ack.message.from).toBe("anna");
    expect((await atBob).message).toEqual(ack.message);
    expect((await atCarol).message).toEqual(ack.message);
    expect(await refusal(bob, "rk:publish", { channel: "news:front", body: { headline: "fake" } })).toBe("FORBIDDEN");
  });
});

describe("private channels", () => {
  it("lets authorized users subscribe and talk, and refuses everyone else", async () => {
    const [alice, bob, carol] = await Promise.all([h.client("alice"), h.client("bob"), h.client("carol")]);
    await Promise.all([sub(alice, "team:a-team"), sub(bob, "team:a-team")]);
    const atBob = next(bob, "rk:message");
    await send(alice, "team:a-team", { text: "plan" });
    expect((await atBob).message).toMatchObject({ channel: "team:a-team", from: "alice", body: { text: "plan" } });
    expect(await refusal(carol, "rk:subscribe", { channel: "team:a-team" })).toBe("FORBIDDEN");
    expect(await refusal(carol, "rk:publish", { channel: "team:a-team", body: { text: "hi" } })).toBe("FORBIDDEN");
    expect(await refusal(alice, "rk:subscribe", { channel: "team:b-team" })).toBe("FORBIDDEN");
  });
});

describe("presence channels", () => {
  it("delivers messages to subscribers and lists the members in the subscribe ack", async () => {
    const [alice, bob] = await Promise.all([h.client("alice"), h.client("bob")]);
    await sub(alice, "lobby:x");
    const ack = await sub(bob, "lobby:x");
    expect(ack.kind).toBe("presence");
    expect(ack.members.map((m: { userId: string }) => m.userId).sort()).toEqual(["alice", "bob"]);
    const atAlice = next(alice, "rk:message");
    await send(bob, "lobby:x", { text: "anyone?" });
    expect((await atAlice).message).toMatchObject({ channel: "lobby:x", from: "bob" });
  });
});

describe("rooms", () => {
  it("delivers to members and refuses non-members", async () => {
    const [alice, bob, carol] = await Promise.all([h.client("alice"), h.client("bob"), h.client("carol")]);
    await ok(alice, "rk:room:create", { channel: "room:r1", members: ["bob"] });
    const atBob = next(bob, "rk:message");
    await send(alice, "room:r1", { text: "welcome" });
    expect((await atBob).message).toMatchObject({ channel: "room:r1", from: "alice", body: { text: "welcome" } });
    expect(await refusal(carol, "rk:subscribe", { channel: "room:r1" })).toBe("FORBIDDEN");
    expect(await refusal(carol, "rk:publish", { channel: "room:r1", body: { text: "hi" } })).toBe("FORBIDDEN");
  });
});

describe("direct messages", () => {
  it("go both ways without subscribing, and nobody else may read or write them", async () => {
    const [alice, bob, carol] = await Promise.all([h.client("alice"), h.client("bob"), h.client("carol")]);
    const atCarol = collect(carol, "rk:message");
    const toBob = next(bob, "rk:message");
    await send(alice, "dm:alice|bob", { text: "hi bob" });
    expect((await toBob).message).toMatchObject({ channel: "dm:alice|bob", seq: 1, from: "alice" });
    const toAlice = next(alice, "rk:message", (p) => p.message.from === "bob");
    await send(bob, "dm:alice|bob", { text: "hi alice" });
    expect((await toAlice).message).toMatchObject({ seq: 2, body: { text: "hi alice" } });
    expect(await refusal(carol, "rk:subscribe", { channel: "dm:alice|bob" })).toBe("FORBIDDEN");
    expect(await refusal(carol, "rk:publish", { channel: "dm:alice|bob", body: { text: "x" } })).toBe("FORBIDDEN");
    expect(await refusal(carol, "rk:history", { channel: "dm:alice|bob" })).toBe("FORBIDDEN");
    await settled(carol);
    expect(atCarol).toEqual([]);
  });

  it("refuses a DM id that is not canonical", async () => {
    const alice = await h.client("alice");
    expect(await refusal(alice, "rk:publish", { channel: "dm:bob|alice", body: { text: "x" } })).toBe("INVALID");
  });
});

describe("multi-device users", () => {
  it("delivers a channel message to every subscribed tab of a user", async () => {
    const [tab1, tab2, bob] = await Promise.all([h.client("alice"), h.client("alice"), h.client("bob")]);
    await Promise.all([sub(tab1, "chat:general"), sub(tab2, "chat:general"), sub(bob, "chat:general")]);
    const [at1, at2] = [next(tab1, "rk:message"), next(tab2, "rk:message")];
    await send(bob, "chat:general", { text: "both tabs" });
    expect(texts([await at1, await at2])).toEqual(["both tabs", "both tabs"]);
  });

  it("delivers a DM to all tabs of both users, the sender's other tab included; the sending tab has its ack", async () => {
    const [a1, a2, b1, b2] = await Promise.all([h.client("alice"), h.client("alice"), h.client("bob"), h.client("bob")]);
    const [atA1, atA2, atB1, atB2] = [a1, a2, b1, b2].map((s) => collect(s, "rk:message"));
    const { message } = await send(b1, "dm:alice|bob", { text: "everywhere" });
    expect(message.body).toEqual({ text: "everywhere" });
    await settled(a1, a2, b1, b2);
    for (const pushes of [atA1, atA2, atB2]) expect(texts(pushes!)).toEqual(["everywhere"]);
    expect(atB1).toEqual([]);
  });
});

describe("signals", () => {
  it("typing reaches the peer's tabs stamped with the sender, and is not echoed to any of the sender's", async () => {
    const [a1, a2, b1, b2] = await Promise.all([h.client("alice"), h.client("alice"), h.client("bob"), h.client("bob")]);
    const [atA1, atA2] = [collect(a1, "rk:signal"), collect(a2, "rk:signal")];
    const [atB1, atB2] = [next(b1, "rk:signal"), next(b2, "rk:signal")];
    await ok(a1, "rk:signal", { channel: "dm:alice|bob", name: "typing", data: { on: true }, from: "carol" });
    for (const push of [await atB1, await atB2]) {
      expect(push).toMatchObject({ channel: "dm:alice|bob", name: "typing", from: "alice", data: { on: true } });
    }
    await settled(a1, a2);
    expect([...atA1, ...atA2]).toEqual([]);
  });

  it("reach a channel's other subscribers but not the sender's other tab", async () => {
    const [anna1, anna2, bob] = await Promise.all([h.client("anna"), h.client("anna"), h.client("bob")]);
    await Promise.all([sub(anna1, "news:front"), sub(anna2, "news:front"), sub(bob, "news:front")]);
    const atAnna2 = collect(anna2, "rk:signal");
    const atBob = next(bob, "rk:signal");
    await ok(anna1, "rk:signal", { channel: "news:front", name: "react", data: { emoji: "+1" } });
    expect(await atBob).toMatchObject({ channel: "news:front", name: "react", from: "anna", data: { emoji: "+1" } });
    await settled(anna2);
    expect(atAnna2).toEqual([]);
  });

  it("are refused on a channel the sender is not in, or under an undeclared name", async () => {
    const [alice, carol] = await Promise.all([h.client("alice"), h.client("carol")]);
    expect(await refusal(carol, "rk:signal", { channel: "dm:alice|bob", name: "typing", data: { on: true } })).toBe("FORBIDDEN");
    expect(await refusal(alice, "rk:signal", { channel: "news:front", name: "react", data: { emoji: "x" } })).toBe("FORBIDDEN");
    expect(await refusal(alice, "rk:signal", { channel: "dm:alice|bob", name: "shout" })).toBe("INVALID");
  });
});
