import type { StandardSchemaV1 } from "@standard-schema/spec";

declare const typeOnly: unique symbol;

/**
 * A type with no runtime check, made by {@link type}. Use it where the server trusts the
 * shape (its own pushes) or validates elsewhere.
 */
export interface TypeOnly<T> {
  readonly "~roomkit": "type";
  readonly [typeOnly]?: T;
}

/**
 * Declares a shape by type only: nothing is checked at runtime.
 *
 * @example
 * const contract = defineContract({
 *   user: type<{ name: string }>(),
 *   channels: { dm: { kind: "dm", body: type<{ text: string }>() } },
 * });
 */
export function type<T>(): TypeOnly<T> {
  return { "~roomkit": "type" };
}

/** What a contract accepts for a shape: any Standard Schema (zod, valibot, arktype...) or {@link type}. */
export type Shape<T = unknown> = StandardSchemaV1<unknown, T> | TypeOnly<T>;

/** The value a shape produces (a schema's output). */
export type InferOutput<S> = S extends StandardSchemaV1<unknown, infer O> ? O : S extends TypeOnly<infer T> ? T : unknown;

/** The value a shape accepts (a schema's input). */
export type InferInput<S> = S extends StandardSchemaV1<infer I, unknown> ? I : S extends TypeOnly<infer T> ? T : unknown;

/** One problem found by a schema, flattened for the wire. */
export interface ValidationIssue {
  path: string;
  message: string;
}

/** The outcome of {@link validate}. */
export type ValidationResult<T> = { ok: true; value: T } | { ok: false; issues: ValidationIssue[] };

function isStandardSchema(shape: unknown): shape is StandardSchemaV1 {
  return typeof shape === "object" && shape !== null && "~standard" in shape;
}

function pathOf(issue: StandardSchemaV1.Issue): string {
  if (!issue.path) return "";
  return issue.path.map((p) => String(typeof p === "object" ? p.key : p)).join(".");
}

/**
 * Checks `value` against a shape. A {@link type}-only shape (or none) accepts anything; a
 * Standard Schema's result (and its transformed output) is returned as is.
 *
 * @example
 * const result = await validate(z.object({ text: z.string() }), { text: 1 });
 * if (!result.ok) console.log(result.issues); // [{ path: "text", message: "Expected string..." }]
 */
export async function validate<T>(shape: Shape<T> | undefined, value: unknown): Promise<ValidationResult<T>> {
  if (!isStandardSchema(shape)) return { ok: true, value: value as T };
  let result = shape["~standard"].validate(value);
  if (result instanceof Promise) result = await result;
  if (result.issues) {
    return { ok: false, issues: result.issues.map((i) => ({ path: pathOf(i), message: i.message })) };
  }
  return { ok: true, value: result.value as T };
}
