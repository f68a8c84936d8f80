import { expect } from "vitest";
import { defineContract, type } from "@roomkit/protocol";
import { contract } from "../support/contract.js";
import type { TestContract } from "../support/contract.js";
import { request, settled } from "../support/harness.js";
import { RawSocket, RawJson, eventFrames } from "../support/raw-socket.js";
import { describePayload, expectTypedAck, record } from "../support/refusals.js";
import type { attackServers } from "./env.js";
import { ATTACKER, BYSTANDER, isContainer } from "./fuzz-payloads.js";
import { REFUSED_KEYS } from "./fuzz-values.js";
import { prototypeGuard } from "./prototypes.js";

/**
 * The test contract with the DM family unchecked, as many apps declare it (`type<Body>()`, no
 * runtime schema): a schema that strips unknown keys would hide what the stores do with them.
 */
const fuzzContract = defineContract({
  ...contract,
  channels: {
    ...contract.channels,
    dm: { kind: "dm", body: type<unknown>(), signals: { ...contract.channels.dm.signals, poke: type<unknown>() } },
  },
});

const lots = { rate: 1e6, burst: 1e6 };
/** Every rate limit out of the way, so the fuzz reaches the checks behind them. */
const FUZZ_LIMITS = {
  publish: lots,
  signal: lots,
  request: lots,
  userPublish: lots,
  userSignal: lots,
  userRequest: lots,
  roomCreate: lots,
};
/** Socket.IO's parser closes a connection on more attachments than this. */
const MAX_BINARIES = 10;
/** Near the harness's `maxHttpBufferSize` (2e6), over which Engine.IO closes the connection. */
const MAX_FRAME_BYTES = 1_800_000;
/** Socket.IO's parser puts a binary packet's attachments back recursively: far deeper than this, it overflows its stack. */
const PARSER_BINARY_DEPTH = 1000;

/** How deep objects and arrays nest in `value`, raw JSON text included. */
function nesting(value: unknown): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (v instanceof RawJson) {
      let d = 0;
      for (const c of v.text)
        if (c === "[" || c === "{") deepest = Math.max(deepest, depth + ++d);
        else if (c === "]" || c === "}") d--;
    } else if (isContainer(v)) {
      deepest = Math.max(deepest, depth + 1);
      for (const child of Object.values(v)) stack.push([child, depth + 1]);
    }
  }
  return deepest;
}

/**
 * Whether Socket.IO itself refuses these frames before Roomkit sees them (too many attachments,
 * a placeholder it cannot resolve, a binary packet too deep for its parser, a frame over the
 * buffer size): it closes the sender's connection, which only the attacker loses.
 */
function socketIoRefuses(frames: (string | Uint8Array)[], payload: unknown): boolean {
  const binaries = frames.length - 1;
  const bytes = frames.reduce((n, f) => n + (typeof f === "string" ? Buffer.byteLength(f) : f.byteLength), 0);
  return (
    binaries > MAX_BINARIES ||
    bytes > MAX_FRAME_BYTES ||
    (binaries > 0 && (hasPlaceholder(payload) || nesting(payload) > PARSER_BINARY_DEPTH))
  );
}

/** Each own key at any depth, and whether a JSON object in raw text has a key of the list. */
function someKey(value: unknown, test: (key: string, v: unknown) => boolean, keys: readonly string[]): boolean {
  const stack = [value];
  while (stack.length) {
    const v = stack.pop();
    if (v instanceof RawJson) {
      if (keys.some((k) => v.text.includes(`"${k}":`))) return true;
    } else if (isContainer(v)) {
      for (const [k, child] of Object.entries(v)) {
        if (test(k, child)) return true;
        stack.push(child);
      }
    }
  }
  return false;
}
const hasRefusedKey = (v: unknown) => someKey(v, (k) => REFUSED_KEYS.includes(k), REFUSED_KEYS);
const hasPlaceholder = (v: unknown) => someKey(v, (k, child) => k === "_placeholder" && child === true, []);

/**
 * The world one fuzzed request type runs in: the attacker (a raw client) with a DM, a room it
 * owns and an open room to reach; alice, a stock `socket.io-client` it may legitimately reach;
 * and the bystander, whose DM, closed room and private channel no valid request of the attacker
 * can touch, recording every push it gets.
 */
export async function fuzzWorld(servers: ReturnType<typeof attackServers>) {
  const h = await servers.start({
    contract: fuzzContract as unknown as TestContract,
    limits: FUZZ_LIMITS,
    channels: {
      news: { publish: (user) => user.profile.role === "announcer" },
      team: { authorize: (user) => user.id === BYSTANDER },
      lobby: { authorize: () => true, memberInfo: (user) => ({ name: user.profile.name }) },
    },
  });
  await h.rk.rooms.create({ owner: ATTACKER, channel: "room:mal", members: ["alice", "bob"] });
  await h.rk.rooms.create({ owner: "alice", channel: "room:open", open: true });
  await h.rk.rooms.create({ owner: BYSTANDER, channel: "room:vault", members: ["carol"] });
  await h.rk.sendDirect(BYSTANDER, "carol", { text: "private" });
  await h.rk.sendDirect("alice", ATTACKER, { text: "hello" });
  await h.rk.sendDirect(ATTACKER, "alice", { text: "mine" });
  const [alice, bystander] = await Promise.all([h.client("alice"), h.client(BYSTANDER)]);
  let mallory = await RawSocket.connect(h.url, { user: ATTACKER });
  for (const channel of ["team:a-team", `dm:${BYSTANDER}|carol`, "room:vault"])
    expect(await request(bystander, "rk:subscribe", { channel })).toMatchObject({ ok: true });
  await settled(bystander);
  const seen = record(bystander);
  const prototypes = prototypeGuard();
  const codes = new Map<string, number>();
  let id = 0;

  const expectUntouched = (context: string) => {
    const changed = prototypes.changes();
    if (changed.length) prototypes.restore();
    expect(changed, `built-in prototypes after ${context}`).toEqual([]);
    expect(seen, `pushes to the bystander after ${context}`).toEqual([]);
    expect(alice.connected, `alice still connected after ${context}`).toBe(true);
  };

  /** A victim reads back what the attacker just stored, with a stock client: decodable, and harmless to the reader's node. */
  async function readBack(
    ack: { message?: { channel?: unknown; seq?: unknown }; change?: { channel?: unknown; target?: unknown } },
    context: string,
  ) {
    const { channel, seq } = ack.message ?? { channel: ack.change?.channel, seq: ack.change?.target };
    if (typeof channel !== "string" || typeof seq !== "number") return;
    const page = await request(alice, "rk:history", { channel, after: seq - 1, limit: 1 });
    expectTypedAck(page, `alice's history after ${context}`);
    expectUntouched(`alice read back ${context}`);
  }

  /**
   * The attacker's request and its ack, or `undefined` when Socket.IO refused the frames and
   * closed the connection (`mayClose`); closing it otherwise is a failure. The next run reconnects.
   */
  async function ask(event: string, payload: unknown, context: string, mayClose = false): Promise<unknown> {
    if (mallory.closed) mallory = await RawSocket.connect(h.url, { user: ATTACKER });
    const closed = Symbol("closed");
    const ack = await Promise.race([mallory.request(++id, event, payload, 5000), mallory.whenClosed().then(() => closed)]);
    if (ack === closed && mayClose) return undefined;
    expect(ack === closed ? "the server closed the attacker's connection" : "an ack", context).toBe("an ack");
    return ack;
  }

  return {
    codes,
    /** Sends one request as the attacker and checks every property on its ack and on the world. */
    async attack(event: string, payload: unknown, withAck = true): Promise<void> {
      const mayClose = socketIoRefuses(eventFrames([event, payload], 0), payload);
      const context = `${event} ${describePayload(payload)}`;
      if (!withAck) {
        if (!mallory.closed) mallory.send(...eventFrames([event, payload]));
        const after = await ask("rk:unread", {}, `a request after ${context}`, mayClose);
        if (after !== undefined) expectTypedAck(after, `a request after ${context}`);
        return expectUntouched(context);
      }
      const ack = (await ask(event, payload, context, mayClose)) as { ok: boolean; error?: { code: string } } | undefined;
      if (ack === undefined) return expectUntouched(context);
      expectTypedAck(ack, context);
      const code = ack.ok ? "ok" : ack.error!.code;
      codes.set(code, (codes.get(code) ?? 0) + 1);
      if (hasRefusedKey(payload))
        expect(code, `a payload with a ${REFUSED_KEYS.join("/")} key: ${context}`).toMatch(/^(INVALID|TOO_LARGE)$/);
      if ((event === "rk:publish" || event === "rk:edit") && isContainer(payload) && hasPlaceholder((payload as { body?: unknown }).body)) {
        expect(code, `a body with a placeholder-shaped object: ${context}`).toMatch(/^(INVALID|TOO_LARGE)$/);
      }
      expectUntouched(context);
      if (ack.ok && (event === "rk:publish" || event === "rk:edit")) await readBack(ack as never, context);
    },
    /** After the runs: the bystander saw nothing even once every push the attacker caused has arrived, and both victims are connected. */
    async expectIsolated(): Promise<void> {
      await settled(alice, bystander);
      expect(seen, "pushes to the bystander").toEqual([]);
      expect(alice.connected, "alice connected").toBe(true);
      expect(bystander.connected, "the bystander connected").toBe(true);
      await mallory.close();
    },
  };
}

export type FuzzWorld = Awaited<ReturnType<typeof fuzzWorld>>;
