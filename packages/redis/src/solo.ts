import { Buffer } from "node:buffer";
import type { RedisClient } from "./client.js";
import { logger } from "./log.js";

const log = logger("adapter");

/** The parts of the sharded adapter this file reads and wraps. */
export interface ShardedInternals {
  uid: string;
  channel: string;
  responseChannel: string;
  nsp: { name: string };
  onRawMessage(raw: Buffer, channel: unknown): void;
  broadcast(packet: unknown, opts: { flags?: Record<string, unknown> }): Promise<void> | void;
  close(): Promise<void> | void;
}

export interface SoloOptions {
  /** How often the node asks Redis whether other nodes listen. Default 1000 ms. */
  checkMs?: number;
  /** How long a new node waits for the nodes already there to answer its hello. Default 1000 ms. */
  helloTimeoutMs?: number;
}

/** A node's hello and the answers to it travel on the namespace channel, with no `nsp`: adapters that do not know them ignore them. */
const HELLO = '{"peers":"hello","from":';
const ACK = '{"peers":"ack","to":';

/**
 * Broadcasts of a node that is alone stay local. While no other node's adapter listens on the
 * namespace channel (`PUBSUB SHARDNUMSUB`, asked every `checkMs`, this node's own subscription
 * seen too), a broadcast goes to this node's sockets without a `SPUBLISH`: nobody else could
 * receive it. A node that starts says hello on that channel and waits (up to `helloTimeoutMs`)
 * until every node there answered: each one publishes again from the moment it hears the hello,
 * so a node's sockets miss nothing another node sends once it is up. Any doubt (Redis
 * unreachable, an answer older than a hello) means publishing. One Redis only: on a cluster
 * every broadcast is published.
 *
 * Also skips decoding this node's own broadcasts when they come back from Redis (the adapter
 * would parse each, then drop it).
 */
export function publishOnlyToPeers(adapter: ShardedInternals, pub: RedisClient, options: SoloOptions = {}): Promise<void> {
  const checkMs = options.checkMs ?? 1000;
  const own = Buffer.from(`,"uid":${JSON.stringify(adapter.uid)},"nsp":${JSON.stringify(adapter.nsp.name)}}`);
  const myHello = `${HELLO}${JSON.stringify(adapter.uid)}}`;
  const ackForMe = `${ACK}${JSON.stringify(adapter.uid)}}`;
  let alone = false;
  /** Bumped by every hello heard: a check sent before it cannot make the node alone. */
  let hellos = 0;
  let acked = 0;
  let expected = Number.POSITIVE_INFINITY;
  let greeted: (() => void) | undefined;

  const rawMessage = adapter.onRawMessage.bind(adapter);
  adapter.onRawMessage = (raw, channel) => {
    const n = own.length;
    if (raw.length > n && raw[0] === 0x7b && raw.compare(own, 0, n, raw.length - n) === 0) return;
    if (raw[0] === 0x7b && raw[1] === 0x22 && raw[2] === 0x70) {
      const text = raw.toString();
      if (text.startsWith(HELLO)) {
        if (text === myHello) return;
        hellos++;
        alone = false;
        void pub.sPublish(adapter.channel, `${ACK}${text.slice(HELLO.length, -1)}}`).catch(() => undefined);
        return;
      }
      if (text.startsWith(ACK)) {
        if (text === ackForMe && ++acked >= expected) greeted?.();
        return;
      }
    }
    rawMessage(raw, channel);
  };

  const broadcast = adapter.broadcast.bind(adapter);
  adapter.broadcast = (packet, opts) =>
    broadcast(packet, alone && !opts.flags?.local ? { ...opts, flags: { ...opts.flags, local: true } } : opts);

  let checks = 0;
  const listeners = async () => {
    const reply = (await pub.sendCommand(["PUBSUB", "SHARDNUMSUB", adapter.channel, adapter.responseChannel])) as unknown[];
    return { others: Number(reply[1]), mine: Number(reply[3]) };
  };
  const check = async () => {
    const before = hellos;
    const n = ++checks;
    let verdict = false;
    try {
      const { others, mine } = await listeners();
      // Alone: one listener on the namespace channel, and this node's own subscriptions are live (so that one is us).
      verdict = others === 1 && mine === 1;
    } catch {
      verdict = false;
    }
    // A hello heard meanwhile, or a later check, wins.
    if (n === checks) alone = verdict && hellos === before;
  };
  const timer = setInterval(() => void check(), checkMs);
  timer.unref();
  const close = adapter.close.bind(adapter);
  adapter.close = () => {
    clearInterval(timer);
    alone = false;
    return close();
  };

  // Hello: the nodes that hear it answer once they publish to us; then the first check.
  // A Redis that hangs does not hold the node's start longer than twice the hello's wait.
  const helloMs = options.helloTimeoutMs ?? 1000;
  let bound: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<void>((done) => (bound = setTimeout(done, 2 * helloMs)));
  const greeting = (async () => {
    try {
      // Once this node's own subscriptions are in place, the hello's count includes it.
      for (let i = 0; i < 100 && (await listeners()).mine === 0; i++) await new Promise((done) => setTimeout(done, 10));
      expected = Math.max(0, Number(await pub.sPublish(adapter.channel, myHello)) - 1);
      if (acked < expected) {
        let timeout: ReturnType<typeof setTimeout> | undefined;
        await new Promise<void>((done) => {
          greeted = done;
          timeout = setTimeout(() => {
            log("%d of %d nodes answered this node's hello in time", acked, expected);
            done();
          }, helloMs);
        }).finally(() => clearTimeout(timeout));
      }
    } catch (err) {
      log("hello failed: %s", (err as Error).message);
    }
    await check();
  })();
  return Promise.race([greeting, late]).finally(() => clearTimeout(bound));
}
