import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Server } from "socket.io";
import { io as connect } from "socket.io-client";
import type { Socket as ClientSocket } from "socket.io-client";
import type { Ack, ErrorCode, ErrorPayload, WelcomePush } from "@roomkit/protocol";
import { createRoomkit } from "@roomkit/server";
import type { Roomkit, RoomkitOptions } from "@roomkit/server";
import { contract } from "./contract.js";
import type { TestContract } from "./contract.js";

export type Client = ClientSocket;

/** A refused handshake as the client sees it: `connect_error` with the server's `{ code, message }`. */
export type ConnectError = Error & { data?: ErrorPayload };

export interface Harness {
  url: string;
  io: Server;
  rk: Roomkit<TestContract>;
  /** Connects a raw socket.io client as `userId` (the test server trusts `auth.user`). */
  client(userId: string, profile?: Record<string, unknown>): Promise<Client>;
  /** Connects with any handshake `auth` (and headers); resolves once the server's `rk:welcome` arrives. */
  connect(auth: Record<string, unknown>, headers?: Record<string, string>): Promise<{ socket: Client; welcome: WelcomePush }>;
  /** Connects with any handshake `auth`, expecting a refusal; resolves with the `connect_error`. */
  refused(auth: Record<string, unknown>, headers?: Record<string, string>): Promise<ConnectError>;
  /** Disconnects a client and resolves once the server has seen it go. */
  drop(socket: Client): Promise<void>;
  close(): Promise<void>;
}

/** The demo profile of a test user: their name, and announcer rights for "anna". */
export const profileOf = (id: string) => ({ name: id[0]!.toUpperCase() + id.slice(1), role: id === "anna" ? "announcer" : "viewer" });

/** How long the last server started gathers presence changes before pushing them (see {@link settled}). */
let presenceBatchMs = 50;

/** Starts a real Socket.IO + Roomkit server on port 0. `auth.user` is trusted as the user id. */
export async function startServer(options: Partial<RoomkitOptions<TestContract>> = {}): Promise<Harness> {
  presenceBatchMs = options.presence?.batchMs ?? 50;
  const http = createServer();
  const io = new Server(http, { maxHttpBufferSize: 2e6 });
  const rk = createRoomkit(io, {
    contract,
    authenticate: (hs) => {
      const id = (hs.auth as { user?: unknown }).user;
      if (typeof id !== "string") return null;
      const profile = (hs.auth as { profile?: Record<string, unknown> }).profile ?? profileOf(id);
      return { id, profile: profile as never };
    },
    channels: {
      news: { publish: (user) => user.profile.role === "announcer" },
      team: { authorize: (user, ch) => ch.name === "a-team" && ["alice", "bob"].includes(user.id) },
      lobby: { authorize: () => true, memberInfo: (user) => ({ name: user.profile.name }) },
    },
    presence: { graceMs: 0 },
    ...options,
    // The tests name their rooms; a test of the default (server-chosen ids) passes `clientIds: false`.
    rooms: { clientIds: true, ...options.rooms },
  });
  await new Promise<void>((done) => http.listen(0, "127.0.0.1", done));
  const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  const clients: Client[] = [];
  const open = (auth: Record<string, unknown>, headers?: Record<string, string>) => {
    const socket = connect(url, {
      auth,
      transports: ["websocket"],
      reconnection: false,
      forceNew: true,
      ...(headers ? { extraHeaders: headers } : {}),
    });
    clients.push(socket);
    return socket;
  };
  return {
    url,
    io,
    rk,
    async client(userId, profile) {
      const socket = open({ user: userId, ...(profile ? { profile } : {}) });
      await new Promise<void>((done, fail) => {
        socket.once("connect", () => done());
        socket.once("connect_error", fail);
      });
      return socket;
    },
    connect(auth, headers) {
      const socket = open(auth, headers);
      return new Promise((done, fail) => {
        socket.once("rk:welcome", (welcome: WelcomePush) => done({ socket, welcome }));
        socket.once("connect_error", fail);
      });
    },
    refused(auth, headers) {
      const socket = open(auth, headers);
      return new Promise((done, fail) => {
        socket.once("connect", () => fail(new Error("the server accepted a connection it should refuse")));
        socket.once("connect_error", done);
      });
    },
    async drop(socket) {
      const server = io.of("/").sockets.get(socket.id!);
      const gone = new Promise<void>((done) => (server ? server.once("disconnect", () => done()) : done()));
      socket.disconnect();
      await gone;
    },
    async close() {
      for (const c of clients) c.disconnect();
      await rk.close();
      io.close();
      await new Promise((done) => http.close(done));
    },
  };
}

/** Connects one client per user id, in parallel, as a tuple in the same order. */
export function clients<const T extends readonly string[]>(h: Harness, ...ids: T): Promise<{ -readonly [K in keyof T]: Client }> {
  return Promise.all(ids.map((id) => h.client(id))) as Promise<never>;
}

/** Emits a request and resolves with its ack. */
export function request<T extends object = Record<string, unknown>>(
  socket: Client,
  event: string,
  payload?: unknown,
): Promise<Ack<T & Record<string, unknown>>> {
  return socket.timeout(5000).emitWithAck(event, payload) as Promise<Ack<T & Record<string, unknown>>>;
}

/** Like {@link request}, but fails the test unless the ack is `ok`. */
export async function ok<T extends object = Record<string, any>>(socket: Client, event: string, payload?: unknown): Promise<T> {
  const ack = await request<T>(socket, event, payload);
  if (!ack.ok) throw new Error(`${event} refused: ${ack.error.code} ${ack.error.message}`);
  return ack as unknown as T;
}

/** Emits a request that must be refused, and resolves with the error's code. */
export async function refusal(socket: Client, event: string, payload?: unknown): Promise<ErrorCode> {
  const ack = await request(socket, event, payload);
  if (ack.ok) throw new Error(`${event} was accepted but should be refused`);
  return ack.error.code;
}

/** Resolves with the next push of `event` that matches `match`. */
export function next<T = any>(socket: Client, event: string, match: (push: T) => boolean = () => true): Promise<T> {
  return new Promise((done) => {
    const listener = (push: T) => {
      if (!match(push)) return;
      socket.off(event, listener);
      done(push);
    };
    socket.on(event, listener);
  });
}

/** Collects every push of `event` from now on. */
export function collect<T = any>(socket: Client, event: string): T[] {
  const seen: T[] = [];
  socket.on(event, (push: T) => seen.push(push));
  return seen;
}

/**
 * Proves a socket received nothing more: first waits out one presence batch (a timer armed now
 * fires after the batch timer of any change made so far, so that batch has been pushed), then
 * sends a request and waits for its ack, which Socket.IO delivers after every push emitted to
 * that socket before it (one ordered connection).
 */
export async function settled(...sockets: Client[]): Promise<void> {
  await new Promise((done) => setTimeout(done, presenceBatchMs));
  await Promise.all(sockets.map((s) => request(s, "rk:unread", {})));
}
