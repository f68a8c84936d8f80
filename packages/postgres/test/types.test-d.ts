import { describe, expectTypeOf, it } from "vitest";
import type { MessageStore, Stores } from "@roomkit/server";
import type { PostgresMessageStore, postgresStores } from "@roomkit/postgres";
import type { PostgresStores, PostgresStoresOptions, RetentionRule } from "@roomkit/postgres";

describe("@roomkit/postgres types", () => {
  it("gives stores createRoomkit takes, with the batched unread count", () => {
    expectTypeOf<PostgresStores>().toMatchTypeOf<Stores>();
    expectTypeOf<PostgresMessageStore>().toMatchTypeOf<MessageStore>();
    expectTypeOf<ReturnType<typeof postgresStores>>().toEqualTypeOf<Promise<PostgresStores>>();
    expectTypeOf<PostgresMessageStore["countAfterMany"]>().parameters.toEqualTypeOf<[{ channel: string; seq: number }[]]>();
  });

  it("refuses options of the wrong shape", () => {
    // @ts-expect-error a pool is a pg Pool, not a URL
    const pool: PostgresStoresOptions = { pool: "postgres://localhost/db" };
    // @ts-expect-error retention is per family, under `families`
    const flat: PostgresStoresOptions = { messages: { retention: { maxAgeMs: 1000 } } };
    // @ts-expect-error maxAgeMs is a number of milliseconds
    const rule: RetentionRule = { maxAgeMs: "7d" };
    // @ts-expect-error the schema option is a string
    const schema: PostgresStoresOptions = { schema: 42 };
    expectTypeOf([pool, flat, rule, schema]).toBeArray();
  });
});
