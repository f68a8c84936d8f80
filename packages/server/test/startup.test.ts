import { Server } from "socket.io";
import { describe, expect, it } from "vitest";
import { createRoomkit, jwtAuth, signToken } from "@roomkit/server";
import { contract } from "./support/contract.js";

// Configuration mistakes fail at startup with a sentence that says what to fix, instead of a
// server that starts and then refuses every client or silently ignores a policy.

const io = new Server(); // attached to no HTTP server: nothing to close
const authenticate = () => null;

describe("a missing or empty JWT key", () => {
  it("throws a TypeError from jwtAuth that names the configuration to set", () => {
    const unset = process.env.ROOMKIT_TEST_SECRET_THAT_IS_NEVER_SET;
    expect(() => jwtAuth({ key: unset! })).toThrow(TypeError);
    expect(() => jwtAuth({ key: unset! })).toThrow(
      /jwtAuth: the key is missing; set it from your configuration \(e\.g\. the JWT_SECRET environment variable\)/,
    );
    expect(() => jwtAuth({ key: "" as string })).toThrow(/jwtAuth: the key is empty.*JWT_SECRET/);
    expect(() => jwtAuth({ key: new Uint8Array(0) })).toThrow(/the key is empty/);
    expect(() => jwtAuth({ key: null as never })).toThrow(/the key is missing/);
  });

  it("rejects signToken with the same sentence", async () => {
    await expect(signToken("" as string, { id: "alice", profile: {} })).rejects.toThrow(/signToken: the key is empty.*JWT_SECRET/);
  });

  it("still takes any non-empty secret", () => {
    expect(typeof jwtAuth({ key: "s" })).toBe("function");
  });
});

describe("a policy for a family the contract does not declare", () => {
  it("throws a TypeError from createRoomkit naming the family and the declared ones", () => {
    const channels = { news: { publish: () => true }, nwes: { publish: () => true } } as never;
    expect(() => createRoomkit(io, { contract, authenticate, channels })).toThrow(TypeError);
    expect(() => createRoomkit(io, { contract, authenticate, channels })).toThrow(
      'createRoomkit: options.channels has a policy for "nwes", which the contract does not declare (declared: dm, room, news, chat, team, lobby)',
    );
  });

  it("treats keys as data: an inherited name is not a declared family", () => {
    const channels = JSON.parse('{"__proto__": {"publish": true}}') as never;
    expect(() => createRoomkit(io, { contract, authenticate, channels })).toThrow(/"__proto__"/);
    expect(() => createRoomkit(io, { contract, authenticate, channels: { toString: {} } as never })).toThrow(/"toString"/);
  });

  it("refuses channels that are not an object of policies", () => {
    expect(() => createRoomkit(io, { contract, authenticate, channels: "news" as never })).toThrow(/options\.channels must be an object/);
  });
});
