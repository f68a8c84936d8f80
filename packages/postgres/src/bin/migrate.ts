#!/usr/bin/env node
/**
 * `npx roomkit-postgres-migrate [--schema NAME] [--url URL]`: brings the schema at `DATABASE_URL`
 * (or `--url`) up to date, as `migrate()` does, and prints what it applied.
 * @module
 */
import { parseArgs } from "node:util";
import { migrate } from "../migrate.js";
import { createPool } from "../pool.js";

const { values } = parseArgs({ options: { schema: { type: "string" }, url: { type: "string" } } });
const pool = createPool(values.url === undefined ? {} : { url: values.url });
try {
  const result = await migrate(pool, values.schema === undefined ? {} : { schema: values.schema });
  console.log(
    result.applied.length === 0
      ? `schema is up to date (version ${result.to})`
      : `schema migrated from version ${result.from} to ${result.to}: ${result.applied.join(", ")}`,
  );
} catch (err) {
  console.error(`migration failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
} finally {
  await pool.end();
}
