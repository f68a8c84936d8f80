import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { Server } from "socket.io";
import { io as connect } from "socket.io-client";
import type { Socket as ClientSocket } from "socket.io-client";
import type { PresenceMember, PresencePush } from "@roomkit/protocol";
import { PresenceBatcher } from "../src/presence/batch.js";

// The batcher on its own, on a real Socket.IO server: each client is put in the rooms of its `auth.rooms`.

const member = (userId: string): PresenceMember => ({ userId, info: { name: userId } });
const ids = (members: PresenceMember[]) => members.map((m) => m.userId);

let stop: (() => Promise<void>) | undefined;
afterEach(async () => {
  await stop?.();
  stop = undefined;
});

async function serve(): Promise<{ io: Server; client(rooms: string[]): Promise<ClientSocket> }> {
  const http = createServer();
  const io = new Server(http);
  io.on("connection", (socket) => {
    socket.join((socket.handshake.auth as { rooms: string[] }).rooms);
    socket.emit("ready");
  });
  await new Promise<void>((done) => http.listen(0, "127.0.0.1", done));
  const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  const clients: ClientSocket[] = [];
  stop = async () => {
    for (const c of clients) c.disconnect();
    io.close();
    await new Promise((done) => http.close(done));
  };
  return {
    io,
    async client(rooms) {
      const socket = connect(url, { auth: { rooms }, transports: ["websocket"], reconnection: false, forceNew: true });
      clients.push(socket);
      await new Promise((done) => socket.once("ready", done));
      return socket;
    },
  };
}

/** Collects a socket's presence pushes; `drained()` resolves once everything emitted to it so far has arrived. */
function listen(io: Server, socket: ClientSocket, room: string) {
  const pushes: PresencePush[] = [];
  socket.on("rk:presence", (push: PresencePush) => pushes.push(push));
  const drained = () => {
    const marker = new Promise((done) => socket.once("marker", done));
    io.to(room).emit("marker");
    return marker;
  };
  return { pushes, drained };
}

const nextPush = (socket: ClientSocket) => new Promise<PresencePush>((done) => socket.once("rk:presence", done));

describe("PresenceBatcher", () => {
  it("sends changes added together as one push per channel, to that channel only, in the order of the changes", async () => {
    const { io, client } = await serve();
    const [inA, inB] = await Promise.all([client(["a"]), client(["b"])]);
    const [atA, atB] = [listen(io, inA, "a"), listen(io, inB, "b")];
    const batcher = new PresenceBatcher(io, 20);
    const first = nextPush(inA);
    for (const id of ["u1", "u2", "u3", "u4", "u5"]) batcher.add("a", "join", member(id));
    batcher.add("a", "leave", member("u0"));
    batcher.add("b", "join", member("v1"));
    await first;
    await Promise.all([atA.drained(), atB.drained()]);
    expect(atA.pushes).toEqual([{ v: 1, channel: "a", joins: ["u1", "u2", "u3", "u4", "u5"].map(member), leaves: [member("u0")] }]);
    expect(atB.pushes).toEqual([{ v: 1, channel: "b", joins: [member("v1")], leaves: [] }]);
  });

  it("keeps the last change of each user: a join then a leave is one leave, a leave then a join one join", async () => {
    const { io, client } = await serve();
    const socket = await client(["a"]);
    const at = listen(io, socket, "a");
    const batcher = new PresenceBatcher(io, 0);
    const pushed = nextPush(socket);
    batcher.add("a", "join", member("bob"));
    batcher.add("a", "leave", member("bob"));
    batcher.add("a", "leave", member("carol"));
    batcher.add("a", "join", { userId: "carol", info: { name: "Carol, back" } });
    await pushed;
    await at.drained();
    expect(at.pushes).toEqual([
      { v: 1, channel: "a", joins: [{ userId: "carol", info: { name: "Carol, back" } }], leaves: [member("bob")] },
    ]);
  });

  it("flush() sends at once and disarms the timer; the next change arms a new one", async () => {
    const { io, client } = await serve();
    const socket = await client(["a"]);
    const at = listen(io, socket, "a");
    const batcher = new PresenceBatcher(io, 30);
    batcher.add("a", "join", member("u1"));
    batcher.add("a", "join", member("u2"));
    batcher.flush();
    batcher.flush(); // nothing pending: no push
    // The marker is emitted right after flush(): the push arrived before it, so it did not wait for the timer.
    await at.drained();
    expect(at.pushes.map((p) => ids(p.joins))).toEqual([["u1", "u2"]]);
    const later = nextPush(socket);
    batcher.add("a", "leave", member("u1"));
    expect(await later).toEqual({ v: 1, channel: "a", joins: [], leaves: [member("u1")] });
    await at.drained();
    expect(at.pushes).toHaveLength(2);
  });
});
