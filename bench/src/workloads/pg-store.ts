import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { postgresStores } from "@roomkit/postgres";
import type pg from "pg";
import { io } from "socket.io-client";
import { TEXT, userId } from "../contract.js";
import type { Launch } from "../gen/fleet.js";
import { startPgMeter } from "../gen/pg-meter.js";
import { Samples, median, round } from "../gen/stats.js";
import { pgAppName } from "../servers/baseline-postgres.js";
import { spawnServer } from "../servers/process.js";

export interface AppendParams {
  databaseUrl: string;
  /** The run's id: its schemas are `rkbench_<what>_<run>`. */
  run: string;
  /** Appends waiting at once (each appender sends its next one when the last is stored). */
  appenders: number;
  seconds: number;
}

/** Appends through the store: how many per second, their latency, and PostgreSQL's CPU per append. */
export interface AppendResult {
  channels: number;
  appends: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  pgCpuUsPerAppend: number;
}

/**
 * Appends per second through `PostgresMessageStore.append` (its group commit as configured by
 * default) from `appenders` concurrent appenders, each message with a UUID `clientId` as the SDK sends, on one hot channel and across `channels` channels.
 * The store runs in this process; its schema is made for the run and dropped after.
 */
export async function appendRate(p: AppendParams, channels: number, admin: pg.Pool): Promise<AppendResult> {
  const schema = `rkbench_app${channels}_${p.run}`;
  const stores = await postgresStores({ url: p.databaseUrl, schema, migrate: true, applicationName: pgAppName(schema) });
  try {
    const samples = new Samples(1 << 16);
    let count = 0;
    const body = { text: TEXT };
    const lane = async (l: number, until: number, counted: boolean) => {
      for (let i = l; performance.now() < until; i += p.appenders) {
        const t0 = performance.now();
        const channel = `room:a${i % channels}`;
        await stores.messages.append({ channel, from: userId(l), body, sentAt: Date.now(), clientId: randomUUID() });
        if (!counted) continue;
        samples.push((performance.now() - t0) * 1000);
        count++;
      }
    };
    const run = (seconds: number, counted: boolean) => {
      const until = performance.now() + seconds * 1000;
      return Promise.all(Array.from({ length: p.appenders }, (_, l) => lane(l, until, counted)));
    };
    // Warm-up: every channel's stream row exists and the statements are planned before the window.
    await run(Math.min(2, p.seconds), false);
    const meter = await startPgMeter(admin, pgAppName(schema));
    const t0 = performance.now();
    await run(p.seconds, true);
    const seconds = (performance.now() - t0) / 1000;
    const used = await meter.stop();
    const { p50, p99 } = samples.percentilesMs();
    return {
      channels,
      appends: count,
      perSecond: round(count / seconds),
      p50Ms: round(p50),
      p99Ms: round(p99),
      pgCpuUsPerAppend: round(used.backendUs / Math.max(1, count)),
    };
  } finally {
    await stores.close();
    await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  }
}

export interface HistoryParams {
  databaseUrl: string;
  run: string;
  /** Messages in the one channel. */
  messages: number;
  /** Timed `rk:history` requests per position (after 5 untimed). */
  reps: number;
}

/** What the million-message channel takes on disk, from pg_total_relation_size and its friends. */
export interface Sizes {
  messages: number;
  /** entries: heap, TOAST and every index. */
  totalBytes: number;
  heapBytes: number;
  indexBytes: number;
  bytesPerMessage: number;
  indexes: Record<string, number>;
}

export interface HistoryResult {
  fillSeconds: number;
  sizes: Sizes;
  /** Round trip of an `rk:history` page of 50, median and p90 over `reps`, in ms, per position. */
  pages: Record<"newest" | "middle" | "oldest", { medianMs: number; p90Ms: number }>;
}

const CHANNEL = "room:big";

/**
 * Fills `room:big` in the store's documented tables with one bulk INSERT ... SELECT generate_series:
 * each message with the body of seq 1 and a UUID `clientId`, as the SDK sends.
 */
async function fill(admin: pg.Pool, schema: string, messages: number): Promise<number> {
  const s = `"${schema}"`;
  const t0 = performance.now();
  // seq 1 is a real append (its body is what the store writes); the rest copy it.
  await admin.query(
    `INSERT INTO ${s}.entries (channel, seq, kind, id, sender, sent_at, client_id, body, version)
     SELECT $1, g, 'm', gen_random_uuid(), 'u0', extract(epoch from now()) * 1000 - ($2 - g), gen_random_uuid()::text, t.body, g
     FROM generate_series(2, $2::bigint) g, (SELECT body FROM ${s}.entries WHERE channel = $1 AND seq = 1) t`,
    [CHANNEL, messages],
  );
  await admin.query(`UPDATE ${s}.streams SET latest = $2 WHERE channel = $1`, [CHANNEL, messages]);
  await admin.query(`VACUUM (ANALYZE) ${s}.entries`);
  return (performance.now() - t0) / 1000;
}

async function sizes(admin: pg.Pool, schema: string, messages: number): Promise<Sizes> {
  const table = `"${schema}".entries`;
  const { rows } = await admin.query<{ total: string; heap: string; indexes: string }>(
    "SELECT pg_total_relation_size($1::regclass) AS total, pg_relation_size($1::regclass) AS heap, pg_indexes_size($1::regclass) AS indexes",
    [table],
  );
  const idx = await admin.query<{ name: string; bytes: string }>(
    "SELECT c.relname AS name, pg_relation_size(i.indexrelid) AS bytes FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE i.indrelid = $1::regclass ORDER BY c.relname",
    [table],
  );
  const totalBytes = Number(rows[0]!.total);
  return {
    messages,
    totalBytes,
    heapBytes: Number(rows[0]!.heap),
    indexBytes: Number(rows[0]!.indexes),
    bytesPerMessage: round(totalBytes / messages),
    indexes: Object.fromEntries(idx.rows.map((r) => [r.name, Number(r.bytes)])),
  };
}

/**
 * History page time on one room of `messages` messages: the room made through Roomkit, its
 * messages filled in bulk into the store's tables, then a fresh Roomkit server on them, and one client timing `rk:history` pages of 50 at the newest,
 * the middle and the oldest. Each page is checked (50 messages, the right seqs).
 */
export async function historyPages(p: HistoryParams, launch: Launch, admin: pg.Pool): Promise<HistoryResult> {
  const schema = `rkbench_hist_${p.run}`;
  let server: Awaited<ReturnType<typeof spawnServer>> | undefined;
  const client = { socket: undefined as ReturnType<typeof io> | undefined };
  try {
    // The room first (a channel with messages cannot become a room), on a server that is then stopped.
    server = await spawnServer("roomkit", { ...launch, server: { postgres: { url: p.databaseUrl, schema } } });
    await server.createRooms([{ id: CHANNEL, members: ["u0"] }]);
    await server.stop();
    const stores = await postgresStores({ url: p.databaseUrl, schema, applicationName: pgAppName(schema) });
    try {
      const first = await stores.messages.append({
        channel: CHANNEL,
        from: "u0",
        body: { text: TEXT },
        sentAt: Date.now(),
        clientId: randomUUID(),
      });
      if (first.message.seq !== 1) throw new Error(`the room's first message has seq ${first.message.seq}, not 1`);
    } finally {
      await stores.close();
    }
    const fillSeconds = await fill(admin, schema, p.messages);
    const measuredSizes = await sizes(admin, schema, p.messages);
    // A fresh server on the filled tables: nothing it saw before the fill is cached.
    server = await spawnServer("roomkit", { ...launch, server: { postgres: { url: p.databaseUrl, schema } } });
    const socket = io(server.url, { auth: { user: "u0" }, transports: ["websocket"], forceNew: true, reconnection: false });
    client.socket = socket;
    await new Promise<void>((done, fail) => {
      socket.once("connect", () => done());
      socket.once("connect_error", fail);
    });
    const latest = p.messages;
    const middle = Math.floor(latest / 2);
    const positions = {
      newest: { query: { channel: CHANNEL, limit: 50 }, last: latest },
      middle: { query: { channel: CHANNEL, before: middle + 1, limit: 50 }, last: middle },
      oldest: { query: { channel: CHANNEL, after: 0, limit: 50 }, last: 50 },
    };
    const pages = {} as HistoryResult["pages"];
    for (const [name, { query, last }] of Object.entries(positions)) {
      const times: number[] = [];
      for (let i = 0; i < p.reps + 5; i++) {
        const t0 = performance.now();
        const ack = (await socket.timeout(30_000).emitWithAck("rk:history", query)) as {
          ok: boolean;
          messages?: { seq: number }[];
          error?: { code: string; details?: { retryAfterMs?: number } };
        };
        if (ack.error?.code === "RATE_LIMITED") {
          // Roomkit's default rate limit on rk:history: wait as told and ask again; the refused try is not timed.
          await sleep((ack.error.details?.retryAfterMs ?? 100) + 1);
          i--;
          continue;
        }
        const ms = performance.now() - t0;
        const seqs = ack.messages?.map((m) => m.seq) ?? [];
        if (!ack.ok || seqs.length !== 50 || seqs[49] !== last)
          throw new Error(
            `rk:history at the ${name}: ${JSON.stringify(ack.error ?? seqs.slice(-3))}, expected 50 messages ending at ${last}`,
          );
        if (i >= 5) times.push(ms);
      }
      times.sort((a, b) => a - b);
      pages[name as keyof typeof positions] = { medianMs: round(median(times)), p90Ms: round(times[Math.ceil(0.9 * times.length) - 1]!) };
    }
    return { fillSeconds: round(fillSeconds, 3), sizes: measuredSizes, pages };
  } finally {
    client.socket?.disconnect();
    await server?.stop();
    await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  }
}
