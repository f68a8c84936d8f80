import { afterAll, beforeAll, describe } from "vitest";
import type { Pool } from "pg";
import { describeStoreConformance } from "@roomkit/server/testing";
import { postgresStores } from "@roomkit/postgres";
import type { PostgresStores } from "@roomkit/postgres";
import { migratedSchema, needPostgres, testPool } from "./support/postgres.js";

const postgres = await needPostgres();

describe.runIf(postgres)("postgres stores", () => {
  let pool: Pool;
  let schema: string;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    pool = testPool({ max: 8 });
    ({ schema, drop } = await migratedSchema(pool, "conformance"));
  });
  afterAll(async () => {
    await drop();
    await pool.end();
  });

  // Channel names are unique per test: one schema serves the whole suite. Retention is the
  // background sweep's, here run only when the retention tests ask (`apply`), over every channel.
  const maxPerChannel = 200;
  const retention = { families: { room: { maxPerChannel } }, intervalMs: 0, channelsPerPass: 100_000 };
  describeStoreConformance("postgres", () => postgresStores({ pool, schema, messages: { retention } }), {
    cleanup: (stores) => (stores as PostgresStores).close(),
    retention: { maxPerChannel, apply: (stores) => (stores as PostgresStores).messages.sweep() },
  });
});
