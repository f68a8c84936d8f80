/** A value's fields to look for, at any depth; arrays match item by item, at their full length. */
export type Pattern<T> = T extends readonly (infer I)[]
  ? readonly Pattern<I>[]
  : T extends Uint8Array
    ? T
    : T extends object
      ? { [K in keyof T]?: Pattern<T[K]> }
      : T;

/** What a wait looks for: the fields a push must have (see {@link Pattern}), or a predicate. */
export type Match<T> = Pattern<T> | ((push: T) => boolean);

/** Whether `value` has everything `pattern` names. */
export function matches(value: unknown, pattern: unknown): boolean {
  if (typeof pattern === "function") return Boolean((pattern as (v: unknown) => unknown)(value));
  if (pattern === null || typeof pattern !== "object") return Object.is(value, pattern);
  if (value === null || typeof value !== "object") return false;
  if (Array.isArray(pattern)) {
    return Array.isArray(value) && value.length === pattern.length && pattern.every((p, i) => matches(value[i], p));
  }
  if (ArrayBuffer.isView(pattern))
    return (
      ArrayBuffer.isView(value) &&
      Buffer.from(value.buffer, value.byteOffset, value.byteLength).equals(
        Buffer.from(pattern.buffer, pattern.byteOffset, pattern.byteLength),
      )
    );
  return Object.entries(pattern).every(([key, p]) => Object.hasOwn(value, key) && matches((value as Record<string, unknown>)[key], p));
}

/** A short, readable form of a push or pattern for failure messages: binary as its size, long text cut. */
export function brief(value: unknown, max = 240): string {
  if (typeof value === "function") return `a predicate (${value.name || "anonymous"})`;
  const text =
    JSON.stringify(value, (_key, v: unknown) => {
      if (ArrayBuffer.isView(v)) return `<${v.byteLength} bytes>`;
      if (v && typeof v === "object" && (v as { type?: unknown }).type === "Buffer" && Array.isArray((v as { data?: unknown }).data)) {
        return `<${(v as { data: unknown[] }).data.length} bytes>`;
      }
      return v;
    }) ?? String(value);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
