import { Buffer } from "node:buffer";
import { afterEach, describe, expect, it } from "vitest";
import { RoomkitError, failureOf } from "@roomkit/client";
import type { Message } from "@roomkit/client";
import { MemoryMessageStore } from "@roomkit/server";
import type { AppendInput, AppendResult } from "@roomkit/server";
import { fromWireBody, toWireBody } from "../src/attachments.js";
import { closeClients, collect, connect, next, state, until } from "./support/clients.js";
import type { TestClient } from "./support/clients.js";
import { disconnectFromServer, socketsOf, startTestServer } from "./support/servers.js";
import type { Harness } from "./support/servers.js";
import { png as genuinePng } from "../../protocol/test/support/images.js";

let h: Harness;
afterEach(async () => {
  closeClients();
  await h?.close();
});

/** A message store whose appends wait at a gate the test opens, and which tells each append. */
class GatedStore extends MemoryMessageStore {
  readonly appends: AppendInput[] = [];
  #open!: () => void;
  #gate = new Promise<void>((open) => (this.#open = open));
  #onAppend: (() => void) | undefined;

  override async append(input: AppendInput): Promise<AppendResult> {
    this.appends.push(input);
    this.#onAppend?.();
    await this.#gate;
    return super.append(input);
  }

  /** Resolves once `count` appends have arrived. */
  appended(count: number): Promise<void> {
    return new Promise((done) => {
      const check = () => this.appends.length >= count && done();
      this.#onAppend = check;
      check();
    });
  }

  open(): void {
    this.#open();
  }
}

/** A server whose handshake can be refused with `UNAVAILABLE`, to keep clients offline. */
async function serverWithGate(): Promise<{ h: Harness; setOnline(online: boolean): void }> {
  let online = true;
  const server = await startTestServer();
  server.io.use((_socket, next) =>
    next(online ? undefined : Object.assign(new Error("offline"), { data: { code: "UNAVAILABLE", message: "offline" } })),
  );
  return { h: server, setOnline: (value) => void (online = value) };
}

/** Takes the client offline: the server disconnects it and refuses it until `setOnline(true)`. */
async function goOffline(server: Harness, setOnline: (online: boolean) => void, rk: TestClient, userId: string): Promise<void> {
  setOnline(false);
  disconnectFromServer(server, userId);
  await state(rk, (s) => s.status === "reconnecting" && s.reason === "unavailable");
}

describe("sends", () => {
  it("reject with the server's typed error, and the sends behind them still go out in order", async () => {
    h = await startTestServer();
    const alice = connect(h.url, "alice");
    const dm = alice.dm("bob");
    const results = await Promise.allSettled([dm.send({ text: "first" }), dm.send({ text: "x".repeat(5000) }), dm.send({ text: "third" })]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    const error = (results[1] as PromiseRejectedResult).reason as RoomkitError;
    expect(error).toBeInstanceOf(RoomkitError);
    expect(error.code).toBe("INVALID");
    expect(failureOf(error)).toBeUndefined();
    expect(results.flatMap((r) => (r.status === "fulfilled" ? [r.value.seq] : []))).toEqual([1, 2]);
  });

  it("retry after a timeout with the same clientId, so the message is stored once", async () => {
    const store = new GatedStore();
    h = await startTestServer({ stores: { messages: store } });
    const alice = connect(h.url, "alice", { send: { timeoutMs: 50, retries: 5 } });
    const dm = alice.dm("bob");
    await dm.subscribe();
    const sent = dm.send({ text: "only once" });
    await store.appended(2);
    store.open();
    const message = await sent;
    const [first, retry] = store.appends;
    expect(retry!.clientId).toBe(first!.clientId);
    expect(message.clientId).toBe(first!.clientId);
    const { messages } = await dm.history();
    expect(messages.map((m) => m.body!.text)).toEqual(["only once"]);
  });

  it("reject with failure 'timeout' once every retry timed out", async () => {
    const store = new GatedStore();
    h = await startTestServer({ stores: { messages: store } });
    const alice = connect(h.url, "alice", { send: { timeoutMs: 20, retries: 2 } });
    const dm = alice.dm("bob");
    await dm.subscribe();
    const error = await dm.send({ text: "lost" }).catch((e: unknown) => e);
    expect(failureOf(error)).toBe("timeout");
    expect(error).toMatchObject({ code: "UNAVAILABLE" });
    expect(store.appends).toHaveLength(3);
    expect(new Set(store.appends.map((a) => a.clientId)).size).toBe(1);
    store.open();
  });

  it("wait for the server when it is rate limited, then go out in order", async () => {
    h = await startTestServer({ limits: { publish: { rate: 200, burst: 2 } } });
    const alice = connect(h.url, "alice");
    const dm = alice.dm("bob");
    const sent = await Promise.all(Array.from({ length: 6 }, (_, i) => dm.send({ text: `${i}` })));
    expect(sent.map((m) => [m.seq, m.body!.text])).toEqual([
      [1, "0"],
      [2, "1"],
      [3, "2"],
      [4, "3"],
      [5, "4"],
      [6, "5"],
    ]);
  });
});

describe("the offline outbox", () => {
  it("queues sends made offline and flushes them in order on reconnect; each resolves", async () => {
    const server = await serverWithGate();
    h = server.h;
    const alice = connect(h.url, "alice");
    const bob = connect(h.url, "bob");
    const b = bob.dm("alice");
    const a = alice.dm("bob");
    await Promise.all([a.subscribe(), b.subscribe()]);
    const received = collect(b, "message");
    await goOffline(h, server.setOnline, alice, "alice");

    const settled: number[] = [];
    const sends = ["1", "2", "3", "4", "5"].map((text, i) =>
      a.send({ text }).then((m) => {
        settled.push(i);
        return m;
      }),
    );
    await bob.unread();
    expect(settled).toEqual([]);
    expect(received).toEqual([]);

    server.setOnline(true);
    const stored = await Promise.all(sends);
    expect(stored.map((m) => [m.seq, m.body!.text])).toEqual([
      [1, "1"],
      [2, "2"],
      [3, "3"],
      [4, "4"],
      [5, "5"],
    ]);
    expect(settled).toEqual([0, 1, 2, 3, 4]);
    await until(() => received.length === 5, [[b, "message"]]);
    expect(received.map((m: Message<{ text?: string }>) => m.body!.text)).toEqual(["1", "2", "3", "4", "5"]);
  });

  it("is bounded: a send over the limit is refused at once, the others still go out", async () => {
    const server = await serverWithGate();
    h = server.h;
    const alice = connect(h.url, "alice", { outbox: { limit: 3 } });
    const a = alice.dm("bob");
    await a.subscribe();
    await goOffline(h, server.setOnline, alice, "alice");
    const queued = [a.send({ text: "1" }), a.send({ text: "2" }), a.send({ text: "3" })];
    const refused = await a.send({ text: "4" }).catch((e: unknown) => e);
    expect(failureOf(refused)).toBe("outbox-full");
    server.setOnline(true);
    expect((await Promise.all(queued)).map((m) => m.body!.text)).toEqual(["1", "2", "3"]);
  });

  it("rejects what is still queued when the client is closed", async () => {
    const server = await serverWithGate();
    h = server.h;
    const alice = connect(h.url, "alice");
    const a = alice.dm("bob");
    await a.subscribe();
    await goOffline(h, server.setOnline, alice, "alice");
    const queued = [a.send({ text: "1" }), a.send({ text: "2" })];
    alice.close();
    for (const send of queued) expect(failureOf(await send.catch((e: unknown) => e))).toBe("closed");
  });
});

describe("binary attachments", () => {
  const png = new Uint8Array(genuinePng());
  const inputs: [string, () => unknown][] = [
    ["Uint8Array", () => png],
    ["Buffer", () => Buffer.from(png)],
    ["ArrayBuffer", () => png.slice().buffer],
    ["DataView", () => new DataView(png.slice().buffer)],
    ["Blob", () => new Blob([png], { type: "image/png" })],
  ];

  it.each(inputs)("sends a %s as binary, and the peer receives a Uint8Array", async (_name, make) => {
    h = await startTestServer();
    const alice = connect(h.url, "alice");
    const bob = connect(h.url, "bob");
    const b = bob.dm("alice");
    await b.subscribe();
    const got = next(b, "message");
    const stored = await alice.dm("bob").send({ text: "look", image: { type: "image/png", data: make() as Blob, name: "dot.png" } });
    const [message] = await got;
    expect(message.body!.image!.data).toBeInstanceOf(Uint8Array);
    expect([...message.body!.image!.data]).toEqual([...png]);
    expect(message.body!.image!.name).toBe("dot.png");
    expect(stored.body!.image!.data).toBeInstanceOf(Uint8Array);
  });

  it("refuses bytes that are not what the attachment claims, with the server's INVALID", async () => {
    h = await startTestServer();
    const alice = connect(h.url, "alice");
    const error = await alice
      .dm("bob")
      .send({ image: { type: "image/png", data: new Uint8Array([1, 2, 3]) } })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "INVALID" });
  });

  it("refuses a message with 11 attachments locally (TOO_LARGE) before sending it; 10 go through and the connection stays up", async () => {
    h = await startTestServer();
    const alice = connect(h.url, "alice");
    const dm = alice.dm("bob");
    await dm.subscribe();
    const received: string[] = [];
    for (const socket of socketsOf(h, "alice")) socket.onAny((event: string) => received.push(event));
    const gallery = (n: number) => Array.from({ length: n }, () => ({ type: "image/png", data: png }));
    const error = await dm.send({ text: "eleven", gallery: gallery(11) } as never).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RoomkitError);
    expect(error).toMatchObject({ code: "TOO_LARGE", details: { limit: 10 } });
    const stored = await dm.send({ text: "ten", gallery: gallery(10) } as never);
    expect(stored.body!.text).toBe("ten");
    expect(received.filter((event) => event === "rk:publish")).toHaveLength(1);
    expect(alice.connection.current.status).toBe("connected");
  });

  it("reads Blobs and narrows other views on the way out, and turns ArrayBuffers into Uint8Arrays on the way in", async () => {
    const wire = (await toWireBody({ a: [new Blob([new Uint8Array([7])])], b: new Uint16Array([1]), c: "same" })) as Record<
      string,
      unknown
    >;
    expect(wire.a).toEqual([new Uint8Array([7])]);
    expect(wire.b).toBeInstanceOf(Uint8Array);
    expect(wire.c).toBe("same");
    const plain = { text: "no binary" };
    expect(fromWireBody(plain)).toBe(plain);
    const received = fromWireBody({ image: { data: new Uint8Array([1, 2]).buffer } });
    expect(received.image.data).toEqual(new Uint8Array([1, 2]));
  });
});
