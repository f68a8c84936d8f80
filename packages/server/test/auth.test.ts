import { afterEach, describe, expect, it } from "vitest";
import { RoomkitError, jwtAuth, signToken } from "@roomkit/server";
import { collect, next, ok, settled, startServer } from "./support/harness.js";
import type { Harness } from "./support/harness.js";

let h: Harness;
afterEach(() => h.close());

const SECRET = "a test secret that is long enough";
const alice = { id: "alice", profile: { name: "Alice" } };

describe("jwtAuth", () => {
  const start = () => startServer({ authenticate: jwtAuth({ key: SECRET, issuer: "roomkit-tests" }) });

  it("accepts a valid token; the user id comes from `sub`, whatever else the client claims", async () => {
    h = await start();
    const token = await signToken(SECRET, alice, { expiresIn: "1h", issuer: "roomkit-tests" });
    const { socket, welcome } = await h.connect({ token, user: "mallory" });
    expect(welcome.user).toEqual(alice);
    const { message } = await ok(socket, "rk:publish", { channel: "dm:alice|bob", body: { text: "hi" } });
    expect(message.from).toBe("alice");
  });

  it("reads a bearer token from the Authorization header too", async () => {
    h = await start();
    const token = await signToken(SECRET, alice, { issuer: "roomkit-tests" });
    const { welcome } = await h.connect({}, { authorization: `Bearer ${token}` });
    expect(welcome.user.id).toBe("alice");
    const lower = await h.connect({}, { authorization: `bearer  ${token}` });
    expect(lower.welcome.user.id).toBe("alice");
  });

  it("takes a numeric expiresIn as seconds from now", async () => {
    h = await start();
    const token = await signToken(SECRET, alice, { expiresIn: 3600, issuer: "roomkit-tests" });
    const exp = JSON.parse(Buffer.from(token.split(".")[1]!, "base64url").toString()).exp as number;
    expect(exp).toBeGreaterThan(Date.now() / 1000);
    expect((await h.connect({ token })).welcome.user.id).toBe("alice");
  });

  it.each([
    ["a bad signature", () => signToken("another secret entirely", alice, { issuer: "roomkit-tests" })],
    ["an expired token", () => signToken(SECRET, alice, { expiresIn: -60, issuer: "roomkit-tests" })],
    ["the wrong issuer", () => signToken(SECRET, alice, { issuer: "someone-else" })],
    ["a malformed token", async () => "not.a.jwt"],
    ["no token", async () => undefined],
  ])("refuses %s with UNAUTHENTICATED", async (_, token) => {
    h = await start();
    const value = await token();
    const err = await h.refused(value === undefined ? {} : { token: value });
    expect(err.data).toMatchObject({ code: "UNAUTHENTICATED" });
  });
});

describe("authenticate", () => {
  it("a null answer refuses the connection with UNAUTHENTICATED", async () => {
    h = await startServer();
    expect((await h.refused({})).data).toMatchObject({ code: "UNAUTHENTICATED" });
  });

  it("a thrown RoomkitError reaches the client with its code and message", async () => {
    h = await startServer({
      authenticate: () => {
        throw new RoomkitError("FORBIDDEN", "banned");
      },
    });
    expect((await h.refused({ user: "alice" })).data).toEqual({ code: "FORBIDDEN", message: "banned" });
  });

  it("a refused client never reaches a request handler", async () => {
    h = await startServer();
    await h.refused({ user: 42 });
    expect(h.io.of("/").sockets.size).toBe(0);
  });
});

describe("personal rooms", () => {
  it("every socket of a user joins user:<id>, so a send to the user reaches all of their devices", async () => {
    h = await startServer();
    const [a1, a2, bob] = await Promise.all([h.client("alice"), h.client("alice"), h.client("bob")]);
    const atBob = collect(bob, "note");
    const got = [next(a1, "note"), next(a2, "note")];
    h.io.to("user:alice").emit("note", { hello: "alice" });
    expect(await Promise.all(got)).toEqual([{ hello: "alice" }, { hello: "alice" }]);
    await settled(bob);
    expect(atBob).toEqual([]);
    const rooms = [...(h.io.of("/").sockets.get(a2.id!)?.rooms ?? [])];
    expect(rooms).toContain("user:alice");
  });
});
