import type { QueryResultRow } from "pg";
import { guard } from "./errors.js";

/**
 * What the stores need of a pool: `pg`'s `Pool` (or a `Client`, for one connection). The app may
 * pass its own; every store statement names its schema, so the app's `search_path` is untouched.
 */
export interface Queryable {
  query<R extends QueryResultRow = QueryResultRow>(config: { name?: string; text: string; values?: unknown[] }): Promise<{ rows: R[] }>;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** Throws unless `schema` is a plain lower-case SQL identifier (it is written into statements, quoted). */
export function checkSchema(schema: unknown): string {
  if (typeof schema !== "string" || !SCHEMA_NAME.test(schema)) {
    throw new TypeError("schema must be a lower-case SQL identifier: letters, digits and _, at most 63 characters");
  }
  return schema;
}

/**
 * A store's statements for one schema: `{s}` in each text becomes the quoted schema name (the
 * only thing ever written into SQL; values are always parameters), and each becomes a named
 * prepared statement, parsed once per connection.
 */
export function statements<K extends string>(
  schema: string,
  store: string,
  texts: Record<K, string>,
): Record<K, { name: string; text: string }> {
  const out = {} as Record<K, { name: string; text: string }>;
  for (const key of Object.keys(texts) as K[]) {
    out[key] = { name: `rk.${schema}.${store}.${key}`, text: texts[key].replaceAll("{s}", `"${checkSchema(schema)}"`) };
  }
  return out;
}

/** Runs a prepared statement with `values`, mapping failures to store errors. */
export async function run<R extends QueryResultRow>(
  db: Queryable,
  statement: { name: string; text: string },
  values: unknown[],
): Promise<R[]> {
  return (await guard(db.query<R>({ ...statement, values }))).rows;
}
