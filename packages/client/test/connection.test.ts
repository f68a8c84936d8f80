import { afterEach, describe, expect, it } from "vitest";
import { RoomkitError, failureOf } from "@roomkit/client";
import type { ConnectionState } from "@roomkit/client";
import { closeClients, connect, next, state } from "./support/clients.js";
import { disconnectFromServer, startTestServer } from "./support/servers.js";
import type { Harness } from "./support/servers.js";

let h: Harness;
afterEach(async () => {
  closeClients();
  await h?.close();
});

/** Every state the client goes through from now on. */
function states(rk: ReturnType<typeof connect>): ConnectionState[] {
  const seen: ConnectionState[] = [];
  rk.connection.subscribe((s) => seen.push(s));
  return seen;
}

describe("connection state", () => {
  it("goes from connecting to connected, with the authenticated user", async () => {
    h = await startTestServer();
    const rk = connect(h.url, "alice");
    expect(rk.connection.current).toEqual({ status: "connecting", attempt: 0 });
    expect(rk.user).toBeUndefined();
    const user = await rk.ready();
    expect(user).toEqual({ id: "alice", profile: { name: "Alice", role: "viewer" } });
    expect(rk.connection.current).toEqual({ status: "connected", user });
    expect(rk.user).toEqual(user);
  });

  it("surfaces a refused token as a terminal state with the server's error, and connects once the token is fixed", async () => {
    h = await startTestServer();
    let token: string | undefined;
    const rk = connect(h.url, "ignored", { auth: () => (token ? { user: token } : {}) });
    const dm = rk.dm("bob");
    const sending = dm.send({ text: "queued while refused" });

    const refused = await state(rk, (s) => s.status === "disconnected");
    expect(refused).toMatchObject({ status: "disconnected", reason: "refused" });
    expect(refused.status === "disconnected" && refused.error).toBeInstanceOf(RoomkitError);
    expect(refused.status === "disconnected" && refused.error?.code).toBe("UNAUTHENTICATED");
    await expect(rk.ready()).rejects.toMatchObject({ code: "UNAUTHENTICATED" });
    await expect(sending).rejects.toMatchObject({ code: "UNAUTHENTICATED" });

    token = "alice";
    rk.connect();
    expect((await rk.ready()).id).toBe("alice");
    expect(dm.id).toBe("dm:alice|bob");
    expect((await dm.send({ text: "after the fix" })).seq).toBe(1);
  });

  it("retries a handshake refused with UNAVAILABLE (socket.io-client would not) until the server accepts", async () => {
    let available = false;
    h = await startTestServer({
      authenticate: (hs) => {
        if (!available) throw new RoomkitError("UNAVAILABLE", "starting up");
        return { id: (hs.auth as { user: string }).user, profile: { name: "A" } };
      },
    });
    const rk = connect(h.url, "alice");
    const retrying = await state(rk, (s) => s.status === "connecting" && s.attempt >= 2);
    expect(retrying).toMatchObject({ status: "connecting", reason: "unavailable", error: { code: "UNAVAILABLE" } });
    available = true;
    expect((await rk.ready()).id).toBe("alice");
  });

  it("works over HTTP long-polling upgraded to websocket, the browsers' default", async () => {
    h = await startTestServer();
    const transports = { socket: { transports: ["polling", "websocket"] } };
    const alice = connect(h.url, "alice", transports);
    const bob = connect(h.url, "bob", transports);
    const b = bob.dm("alice");
    await b.subscribe();
    const got = next(b, "message");
    await alice.dm("bob").send({ text: "polled" });
    expect((await got)[0].body!.text).toBe("polled");
  });

  it("comes back after a server-side disconnect (which socket.io-client does not retry by itself)", async () => {
    h = await startTestServer();
    const rk = connect(h.url, "alice");
    await rk.ready();
    const seen = states(rk);
    disconnectFromServer(h, "alice");
    await state(rk, (s) => s.status === "reconnecting");
    await state(rk, (s) => s.status === "connected");
    expect(seen.map((s) => s.status)).toEqual(["reconnecting", "connected"]);
    expect(seen[0]).toEqual({ status: "reconnecting", attempt: 0, reason: "server-disconnect" });
  });

  it("says shutdown when the server said rk:bye, and keeps trying while the server refuses new connections", async () => {
    h = await startTestServer();
    const rk = connect(h.url, "alice");
    await rk.ready();
    await h.rk.close();
    expect(await state(rk, (s) => s.status === "reconnecting")).toEqual({ status: "reconnecting", attempt: 0, reason: "shutdown" });
    const refused = await state(rk, (s) => s.status === "reconnecting" && s.attempt >= 2);
    expect(refused).toMatchObject({ reason: "unavailable", error: { code: "UNAVAILABLE" } });
  });

  it("close() is final: disconnected/closed, and waiting sends and requests reject", async () => {
    h = await startTestServer();
    const rk = connect(h.url, "alice");
    await rk.ready();
    let available = true;
    h.io.use((_socket, next) =>
      next(available ? undefined : Object.assign(new Error("down"), { data: { code: "UNAVAILABLE", message: "down" } })),
    );
    available = false;
    disconnectFromServer(h, "alice");
    await state(rk, (s) => s.status === "reconnecting");
    const dm = rk.dm("bob");
    const sends = [dm.send({ text: "a" }), dm.send({ text: "b" })];
    const history = dm.history();
    rk.close();
    expect(rk.connection.current).toEqual({ status: "disconnected", reason: "closed" });
    for (const sent of [...sends, history]) {
      const err = await sent.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(failureOf(err)).toBe("closed");
    }
  });
});
