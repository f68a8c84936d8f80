import { describe, expect, it } from "vitest";
import { z } from "zod";
import { defineContract, resolveChannel, type, validate } from "@roomkit/protocol";
import type { ContractDefinition } from "@roomkit/protocol";

const contract = defineContract({
  user: type<{ name: string }>(),
  channels: {
    dm: { kind: "dm", body: z.object({ text: z.string() }) },
    chat: { kind: "dm" },
    room: { kind: "room" },
    news: { kind: "public" },
    team: { kind: "private" },
    lobby: { kind: "presence" },
  },
});

describe("defineContract", () => {
  it("returns the contract it was given", () => {
    const def = { channels: { room: { kind: "room" } } } as const;
    expect(defineContract(def)).toBe(def);
  });

  it.each(["Room", "7room", "ro om", "ro:om", "a".repeat(33), ""])("throws on the family name %j", (family) => {
    expect(() => defineContract({ channels: { [family]: { kind: "room" } } })).toThrow(TypeError);
  });

  it.each(["group", "", "ROOM", undefined, null, 5])("throws on the kind %j", (kind) => {
    expect(() => defineContract({ channels: { room: { kind } } } as unknown as ContractDefinition)).toThrow(/kind/);
  });

  it("throws on a family that is not an object", () => {
    expect(() => defineContract({ channels: { room: null } } as unknown as ContractDefinition)).toThrow(TypeError);
  });

  it.each([undefined, null, 5, "room", {}, { channels: null }, { channels: "room" }])("throws on the contract %j", (value) => {
    expect(() => defineContract(value as unknown as ContractDefinition)).toThrow(TypeError);
  });

  it("reserves the family `user`: its ids would be every user's personal room", () => {
    expect(() => defineContract({ channels: { user: { kind: "public" } } })).toThrow(/reserved/);
  });
});

describe("resolveChannel", () => {
  it("finds the family and its kind", () => {
    expect(resolveChannel(contract, "room:42")).toMatchObject({
      ok: true,
      value: { id: "room:42", family: "room", name: "42", kind: "room", definition: contract.channels.room },
    });
    expect(resolveChannel(contract, "lobby:main")).toMatchObject({ ok: true, value: { kind: "presence" } });
  });

  it("gives a DM its two parties, in any family of kind dm", () => {
    expect(resolveChannel(contract, "dm:alice|bob")).toMatchObject({ ok: true, value: { kind: "dm", parties: ["alice", "bob"] } });
    expect(resolveChannel(contract, "chat:alice|bob")).toMatchObject({ ok: true, value: { kind: "dm", parties: ["alice", "bob"] } });
  });

  it("gives no parties to channels of other kinds", () => {
    const result = resolveChannel(contract, "room:42");
    expect(result.ok && result.value.parties).toBeUndefined();
  });

  it("refuses an undeclared family", () => {
    expect(resolveChannel(contract, "nope:1")).toEqual({ ok: false, reason: 'unknown channel family "nope"' });
  });

  it.each(["constructor:x", "tostring:x", "hasownproperty:x", "user:alice"])("refuses %j, which is no declared family", (id) => {
    expect(resolveChannel(contract, id)).toMatchObject({ ok: false, reason: expect.stringMatching(/unknown channel family/) });
  });

  it.each(["room:alice|bob", "news:alice|bob", "lobby:alice|bob"])("refuses %j: `|` belongs to DM names", (id) => {
    expect(resolveChannel(contract, id)).toEqual({ ok: false, reason: '"|" is only allowed in DM channel names' });
  });

  it.each(["dm:alice", "dm:bob|alice", "dm:alice|alice", "dm:alice|bob|carol", "chat:room-1"])(
    "refuses %j: a DM family takes canonical pairs only",
    (id) => {
      expect(resolveChannel(contract, id).ok).toBe(false);
    },
  );

  it.each([
    ["a number", 42],
    ["null", null],
    ["undefined", undefined],
    ["an object", {}],
    ["an array", ["room:1"]],
    ["no colon", "room"],
    ["an upper-case family", "Room:1"],
    ["a 10k-character name", `room:${"a".repeat(10_000)}`],
  ])("refuses %s", (_what, id) => {
    expect(resolveChannel(contract, id).ok).toBe(false);
  });
});

describe("validate", () => {
  const message = z.object({ text: z.string().min(1), meta: z.object({ tags: z.array(z.string()) }).optional() });

  it("returns a schema's value", async () => {
    expect(await validate(message, { text: "hi" })).toEqual({ ok: true, value: { text: "hi" } });
  });

  it("returns a schema's transformed output", async () => {
    const trimmed = z.object({ text: z.string().trim() });
    expect(await validate(trimmed, { text: "  hi  " })).toEqual({ ok: true, value: { text: "hi" } });
  });

  it("lists the issues with their paths", async () => {
    const result = await validate(message, { text: "", meta: { tags: ["a", 2] } });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues.map((i) => i.path).sort()).toEqual(["meta.tags.1", "text"]);
    for (const issue of result.issues) expect(issue.message).toEqual(expect.any(String));
  });

  it("gives an issue at the root an empty path", async () => {
    const result = await validate(message, "not an object");
    expect(result).toMatchObject({ ok: false, issues: [{ path: "" }] });
  });

  it("awaits an async schema", async () => {
    const slow = z.string().refine(async (s) => s === "yes", "say yes");
    expect(await validate(slow, "yes")).toEqual({ ok: true, value: "yes" });
    expect(await validate(slow, "no")).toMatchObject({ ok: false, issues: [{ path: "", message: "say yes" }] });
  });

  it("accepts anything for a type-only shape or none", async () => {
    const anything = [undefined, null, 5, "x", { a: [1] }];
    for (const value of anything) {
      expect(await validate(type<{ text: string }>(), value)).toEqual({ ok: true, value });
      expect(await validate(undefined, value)).toEqual({ ok: true, value });
    }
  });
});
