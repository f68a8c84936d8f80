import { readdirSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Pool } from "pg";
import { RoomkitError } from "@roomkit/protocol";
import { PostgresMessageStore, SCHEMA_VERSION, createPool, migrate, postgresStores } from "@roomkit/postgres";
import type { Queryable } from "@roomkit/postgres";
import { dropSchema, migratedSchema, needPostgres, testPool, uniqueSchema } from "./support/postgres.js";

const postgres = await needPostgres();
const AT = 1_700_000_000_000;

/** The pool, counting the statements it is asked to run. */
function counting(pool: Pool): Queryable & { calls: number } {
  const counter = {
    calls: 0,
    query: ((config: never) => {
      counter.calls++;
      return pool.query(config);
    }) as Queryable["query"],
  };
  return counter;
}

describe.runIf(postgres)("postgres stores: what the conformance suite does not cover", () => {
  let pool: Pool;
  let schema: string;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    pool = testPool({ max: 10 });
    ({ schema, drop } = await migratedSchema(pool, "stores"));
  });
  afterAll(async () => {
    await drop();
    await pool.end();
  });

  it("migrates idempotently, from many nodes at once, to the version of the newest shipped migration", async () => {
    const fresh = uniqueSchema("migrate");
    try {
      const results = await Promise.all([1, 2, 3].map(() => migrate(pool, { schema: fresh })));
      expect(results.map((r) => r.applied.length).sort()).toEqual([0, 0, SCHEMA_VERSION]);
      expect(await migrate(pool, { schema: fresh })).toEqual({ from: SCHEMA_VERSION, to: SCHEMA_VERSION, applied: [] });
      const files = readdirSync(new URL("../migrations/", import.meta.url)).filter((f) => f.endsWith(".sql"));
      expect(files.length).toBe(SCHEMA_VERSION);
    } finally {
      await dropSchema(pool, fresh);
    }
  });

  it("refuses to start on a schema older than the code, saying what to run", async () => {
    const empty = uniqueSchema("old");
    await expect(postgresStores({ pool, schema: empty })).rejects.toThrow(/version 0, older than .* run migrate\(\)/);
    await pool.query(`CREATE SCHEMA "${empty}"; CREATE TABLE "${empty}".schema_migrations (version integer, name text)`);
    try {
      await expect(postgresStores({ pool, schema: empty })).rejects.toThrow(/version 0/);
    } finally {
      await dropSchema(pool, empty);
    }
  });

  it("dedupes a retried send through a new store (a restarted node) by the unique index", async () => {
    const channel = "room:restart-dedupe";
    const first = await new PostgresMessageStore(pool, { schema }).append({ channel, from: "a", body: "x", sentAt: AT, clientId: "k" });
    const again = await new PostgresMessageStore(pool, { schema }).append({ channel, from: "a", body: "y", sentAt: AT + 1, clientId: "k" });
    expect(again).toEqual({ message: first.message, duplicate: true });
    await expect(
      pool.query(`INSERT INTO "${schema}".entries (channel, seq, kind, sender, sent_at, client_id) VALUES ($1, 99, 'm', 'a', 0, 'k')`, [
        channel,
      ]),
    ).rejects.toThrow(/entries_client_id/);
  });

  it("batches concurrent appends into few transactions (group commit), seqs in arrival order per channel", async () => {
    const db = counting(pool);
    const store = new PostgresMessageStore(db, { schema });
    const appends = Array.from({ length: 300 }, (_, i) =>
      store.append({ channel: `room:gc-${i % 3}`, from: "a", body: { i }, sentAt: AT, clientId: `c${i}` }),
    );
    const results = await Promise.all(appends);
    expect(db.calls).toBeLessThan(60);
    for (let c = 0; c < 3; c++) {
      const seqs = results.filter((_, i) => i % 3 === c).map((r) => r.message.seq);
      expect(seqs).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    }
  });

  it("fails only the bad item of a batch: text PostgreSQL cannot hold is INVALID", async () => {
    const store = new PostgresMessageStore(pool, { schema });
    const [good, bad, other] = await Promise.allSettled([
      store.append({ channel: "room:nul", from: "a", body: "ok", sentAt: AT }),
      store.append({ channel: "room:nul", from: "a", body: "ok", sentAt: AT, clientId: "bad\u0000id" }),
      store.append({ channel: "room:nul", from: "a", body: "\u0000 in a body is fine", sentAt: AT }),
    ]);
    expect(good.status).toBe("fulfilled");
    expect(bad.status === "rejected" && (bad.reason as RoomkitError).code).toBe("INVALID");
    expect(other.status === "fulfilled" && other.value.message.body).toBe("\u0000 in a body is fine");
    expect((await store.stream("room:nul")).latest).toBe(2);
  });

  it("counts unread messages of a thousand channels in one query", async () => {
    const db = counting(pool);
    const store = new PostgresMessageStore(db, { schema });
    const channels = Array.from({ length: 1000 }, (_, i) => `dm:u|c${i}`);
    await Promise.all(
      channels.slice(0, 50).flatMap((channel) => [1, 2, 3].map((n) => store.append({ channel, from: "u", body: n, sentAt: AT }))),
    );
    const before = db.calls;
    const counts = await store.countAfterMany(channels.map((channel, i) => ({ channel, seq: i % 4 })));
    expect(db.calls - before).toBe(1);
    expect(counts[0]).toEqual({ latest: 3, messages: 3 });
    expect(counts[1]).toEqual({ latest: 3, messages: 2 });
    expect(counts[3]).toEqual({ latest: 3, messages: 0 });
    expect(counts[999]).toEqual({ latest: 0, messages: 0 });
  });

  it("really removes a deleted message's body, and its edits' bodies, from the table", async () => {
    const store = new PostgresMessageStore(pool, { schema });
    const channel = "room:scrub";
    await store.append({ channel, from: "a", body: { text: "secret one" }, sentAt: AT });
    await store.change({ type: "edit", channel, target: 1, by: "a", at: AT, body: { text: "secret two" } });
    await store.change({ type: "react", channel, target: 1, by: "b", at: AT, reaction: "👍", maxReactions: 10 });
    await store.change({ type: "delete", channel, target: 1, by: "a", at: AT });
    const { rows } = await pool.query(`SELECT row_to_json(e)::text AS row FROM "${schema}".entries e WHERE channel = $1`, [channel]);
    expect(rows).toHaveLength(4);
    expect(rows.map((r) => r.row).join("\n")).not.toContain("secret");
    const reactions = await pool.query(`SELECT count(*)::int AS n FROM "${schema}".reactions WHERE channel = $1`, [channel]);
    expect(reactions.rows[0].n).toBe(0);
  });

  it("counts reactions right when many users of many nodes react at once", async () => {
    const pools = [testPool({ max: 4 }), testPool({ max: 4 })];
    try {
      const stores = pools.map((p) => new PostgresMessageStore(p, { schema }));
      const channel = "room:react-race";
      await stores[0]!.append({ channel, from: "a", body: "x", sentAt: AT });
      const react = (i: number, type: "react" | "unreact") =>
        stores[i % 2]!.change({ type, channel, target: 1, by: `u${i}`, at: AT, reaction: i % 2 ? "👍" : "🎉", maxReactions: 10 });
      await Promise.all(Array.from({ length: 60 }, (_, i) => react(i, "react")));
      await Promise.all(Array.from({ length: 20 }, (_, i) => react(i, "unreact")));
      const message = await stores[1]!.get(channel, 1, "u59");
      expect(message?.reactions).toEqual([
        { reaction: "🎉", count: 20, mine: false },
        { reaction: "👍", count: 20, mine: true },
      ]);
      expect((await stores[0]!.stream(channel)).latest).toBe(81);
    } finally {
      await Promise.all(pools.map((p) => p.end()));
    }
  });

  it("keeps everything by default; retention by count or age per family, in bounded passes, moves `oldest` past what it removed", async () => {
    const store = new PostgresMessageStore(pool, {
      schema,
      retention: { families: { room: { maxPerChannel: 5 }, news: { maxAgeMs: 1 } }, intervalMs: 0, entriesPerChannel: 4 },
    });
    try {
      for (let i = 1; i <= 12; i++) await store.append({ channel: "room:ret", from: "a", body: i, sentAt: AT });
      for (let i = 1; i <= 3; i++) await store.append({ channel: "news:ret", from: "a", body: i, sentAt: AT });
      for (let i = 1; i <= 8; i++) await store.append({ channel: "dm:a|ret", from: "a", body: i, sentAt: AT });
      await pool.query("SELECT pg_sleep(0.01)");
      // Each pass removes at most 4 entries per channel: twice for room:ret's 7.
      let removed = 0;
      for (let pass = 0; pass < 3; pass++) removed += await store.sweep();
      expect(removed).toBeGreaterThanOrEqual(10);
      expect(await store.stream("room:ret")).toMatchObject({ latest: 12, oldest: 8 });
      expect((await store.replay("room:ret", { after: 0, limit: 100 })).messages.map((m) => m.seq)).toEqual([8, 9, 10, 11, 12]);
      expect(await store.countAfter("room:ret", 0)).toEqual({ latest: 12, messages: 12 });
      expect(await store.stream("news:ret")).toMatchObject({ latest: 3, oldest: 4 });
      expect(await store.stream("dm:a|ret")).toMatchObject({ latest: 8, oldest: 1 });
      expect(await store.get("room:ret", 7)).toBeUndefined();
    } finally {
      await store.close();
    }
  });

  it("fails fast with UNAVAILABLE when PostgreSQL cannot be reached", async () => {
    const down = createPool({ url: "postgres://postgres@127.0.0.1:1/test", connectTimeoutMs: 1000 });
    try {
      const store = new PostgresMessageStore(down, { schema });
      const started = Date.now();
      const failure = await store.append({ channel: "room:down", from: "a", body: "x", sentAt: AT }).catch((err: unknown) => err);
      expect(failure).toBeInstanceOf(RoomkitError);
      expect((failure as RoomkitError).code).toBe("UNAVAILABLE");
      // Refused at once: well within the connect timeout, however loaded the machine.
      expect(Date.now() - started).toBeLessThan(15_000);
      await expect(store.stream("room:down")).rejects.toMatchObject({ code: "UNAVAILABLE" });
    } finally {
      await down.end();
    }
  });
});
