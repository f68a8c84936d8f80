import { describe, expect, it } from "vitest";
import {
  DM_SEPARATOR,
  SYSTEM_SENDER,
  dmChannel,
  dmPeer,
  formatChannel,
  isValidFamily,
  isValidUserId,
  parseChannel,
  parseDmName,
  userRoom,
} from "@roomkit/protocol";

describe("isValidUserId", () => {
  it.each(["alice", "a", "alice@example.com", "A-Z_0.9=+~", "x".repeat(64)])("accepts %j", (id) => {
    expect(isValidUserId(id)).toBe(true);
  });

  it.each(["", "x".repeat(65), "a|b", "a:b", "a b", "$system", "élan", "a/b", "a\nb", 42, null, undefined, {}, ["alice"]])(
    "refuses %j",
    (id) => {
      expect(isValidUserId(id)).toBe(false);
    },
  );

  it("refuses the system sender, so no user can pose as the server", () => {
    expect(isValidUserId(SYSTEM_SENDER)).toBe(false);
  });
});

describe("isValidFamily", () => {
  it.each(["dm", "room", "a", "team-7", "x_y", "a".repeat(32)])("accepts %j", (family) => {
    expect(isValidFamily(family)).toBe(true);
  });

  it.each(["", "Room", "7room", "-room", "a".repeat(33), "ro om", "ro:om", "$user", 5, null])("refuses %j", (family) => {
    expect(isValidFamily(family)).toBe(false);
  });
});

describe("parseChannel", () => {
  it("splits a channel id at its first colon", () => {
    expect(parseChannel("room:42")).toEqual({ ok: true, value: { id: "room:42", family: "room", name: "42" } });
    expect(parseChannel("public:a.b@c=d+e~f-g_h")).toMatchObject({ ok: true, value: { family: "public", name: "a.b@c=d+e~f-g_h" } });
  });

  it("accepts a canonical DM name in any family (the contract decides the kind)", () => {
    expect(parseChannel("dm:alice|bob")).toEqual({ ok: true, value: { id: "dm:alice|bob", family: "dm", name: "alice|bob" } });
    expect(parseChannel("chat:alice|bob")).toMatchObject({ ok: true });
  });

  it.each([
    ["a number", 42],
    ["null", null],
    ["undefined", undefined],
    ["an object", { family: "room", name: "1" }],
    ["an array", ["room:1"]],
  ])("refuses %s", (_what, id) => {
    expect(parseChannel(id)).toEqual({ ok: false, reason: "channel id must be a string" });
  });

  it.each([
    ["no colon", "room"],
    ["an empty string", ""],
    ["an empty family", ":42"],
    ["an empty name", "room:"],
    ["an upper-case family", "Room:42"],
    ["a family starting with a digit", "7room:1"],
    ["a family with a space", "ro om:1"],
    ["a family over 32 characters", `${"a".repeat(33)}:1`],
    ["a second colon", "room:4:2"],
    ["a space in the name", "room:4 2"],
    ["a slash in the name", "room:a/b"],
    ["a name over 128 characters", `room:${"a".repeat(129)}`],
    ["a 10k-character id", "x".repeat(10_000)],
    ["a 10k-character name", `room:${"a".repeat(10_000)}`],
    ["a non-canonical DM", "dm:bob|alice"],
    ["a DM of one user twice", "dm:alice|alice"],
    ["a DM of three users", "dm:alice|bob|carol"],
    ["a DM with an empty party", "dm:|bob"],
    ["a DM with an invalid user id", "dm:al ice|bob"],
  ])("refuses %s", (_what, id) => {
    const result = parseChannel(id);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason.length).toBeLessThan(200);
  });

  it("says which order a non-canonical DM id must use", () => {
    expect(parseChannel("dm:bob|alice")).toEqual({ ok: false, reason: 'DM ids are canonical: use "alice|bob"' });
  });
});

describe("formatChannel", () => {
  it("joins a family and a name", () => {
    expect(formatChannel("room", "42")).toBe("room:42");
  });

  it.each([
    ["Room", "42"],
    ["room", ""],
    ["room", "a:b"],
    ["room", "a b"],
    ["dm", "bob|alice"],
  ])("throws on formatChannel(%j, %j)", (family, name) => {
    expect(() => formatChannel(family, name)).toThrow(TypeError);
  });
});

describe("dmChannel", () => {
  it("is canonical: the same id whichever user comes first", () => {
    expect(dmChannel("alice", "bob")).toBe("dm:alice|bob");
    expect(dmChannel("bob", "alice")).toBe("dm:alice|bob");
    for (const [a, b] of [
      ["Zed", "abe"],
      ["user-10", "user-9"],
      ["a", "a.b"],
      ["x@y", "x"],
    ] as const) {
      expect(dmChannel(a, b)).toBe(dmChannel(b, a));
      expect(parseChannel(dmChannel(a, b)).ok).toBe(true);
    }
  });

  it("sorts by UTF-16 code units, not by locale", () => {
    expect(dmChannel("bob", "Zed")).toBe("dm:Zed|bob");
  });

  it("takes another DM family", () => {
    expect(dmChannel("bob", "alice", "chat")).toBe("chat:alice|bob");
  });

  it.each([
    ["alice", "alice"],
    ["alice", ""],
    ["a|b", "c"],
    ["alice", "bo b"],
    ["$system", "alice"],
  ])("throws on dmChannel(%j, %j)", (a, b) => {
    expect(() => dmChannel(a, b)).toThrow(TypeError);
  });

  it("throws on a bad family", () => {
    expect(() => dmChannel("alice", "bob", "DM")).toThrow(TypeError);
  });
});

describe("DM_SEPARATOR", () => {
  it("can never appear in a user id", () => {
    expect(isValidUserId(`a${DM_SEPARATOR}b`)).toBe(false);
  });
});

describe("parseDmName", () => {
  it("returns the two users in order", () => {
    expect(parseDmName("alice|bob")).toEqual({ ok: true, value: ["alice", "bob"] });
  });

  it.each(["alice", "bob|alice", "alice|alice", "alice|bob|carol", "|bob", "alice|", "alice|b b", ""])("refuses %j", (name) => {
    expect(parseDmName(name).ok).toBe(false);
  });
});

describe("dmPeer", () => {
  it("is the other party", () => {
    expect(dmPeer("alice|bob", "alice")).toBe("bob");
    expect(dmPeer("alice|bob", "bob")).toBe("alice");
  });

  it("is undefined for an outsider or a name that is no DM", () => {
    expect(dmPeer("alice|bob", "carol")).toBeUndefined();
    expect(dmPeer("bob|alice", "alice")).toBeUndefined();
    expect(dmPeer("alice", "alice")).toBeUndefined();
  });
});

describe("userRoom", () => {
  it("names a user's personal Socket.IO room", () => {
    expect(userRoom("alice")).toBe("user:alice");
  });
});
