import { expect } from "vitest";
import { ERROR_CODES, Pushes } from "@roomkit/protocol";
import type { ErrorCode, ErrorPayload } from "@roomkit/protocol";
import { ok, request, settled } from "./harness.js";
import type { Client } from "./harness.js";

/** Sends a request and asserts it is refused with `code`; returns the error. */
export async function refused(socket: Client, event: string, payload: unknown, code: ErrorCode): Promise<ErrorPayload> {
  const ack = await request(socket, event, payload);
  expect(ack, `${event} ${describePayload(payload)}`).toMatchObject({ ok: false, error: { code, message: expect.any(String) } });
  return (ack as { error: ErrorPayload }).error;
}

/** Asserts an ack is well formed: `ok: true`, or a typed error that is not `INTERNAL`. */
export function expectTypedAck(ack: unknown, context: string): void {
  expect(ack, context).toEqual(expect.objectContaining({ ok: expect.any(Boolean) }));
  const { ok: success, error } = ack as { ok: boolean; error?: ErrorPayload };
  if (success) return;
  expect(ERROR_CODES, context).toContain(error?.code);
  expect(error?.code, `${context}: ${error?.message}`).not.toBe("INTERNAL");
  expect(typeof error?.message, context).toBe("string");
  // An error never echoes a large client input back.
  expect(error!.message.length, context).toBeLessThan(500);
}

/** A short, printable description of a payload for assertion messages. */
export function describePayload(payload: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(payload) ?? String(payload);
  } catch {
    text = String(payload);
  }
  return text.length > 120 ? `${text.slice(0, 120)}... (${text.length} chars)` : text;
}

const pushNames: string[] = Object.values(Pushes).filter((name) => name !== Pushes.welcome);

/** Records every Roomkit push a socket receives from now on (the welcome aside), as `[event, push]`. */
export function record(socket: Client): [string, unknown][] {
  const seen: [string, unknown][] = [];
  socket.onAny((event: string, push: unknown) => {
    if (pushNames.includes(event)) seen.push([event, push]);
  });
  return seen;
}

/** Proves, after a round trip on each socket, that none of them received any push since it was recorded. */
export async function expectNothingDelivered(...recorded: [Client, [string, unknown][]][]): Promise<void> {
  await settled(...recorded.map(([socket]) => socket));
  for (const [socket, seen] of recorded) expect(seen, `pushes to ${socket.id}`).toEqual([]);
}

/** Proves the server still serves: a user connects and a DM goes through to its peer. */
export async function expectServing(client: (userId: string) => Promise<Client>): Promise<void> {
  const [a, b] = await Promise.all([client("zoe"), client("yann")]);
  const got = new Promise<unknown>((done) => b.once("rk:message", done));
  await ok(a, "rk:publish", { channel: "dm:yann|zoe", body: { text: "still here" } });
  expect(await got).toMatchObject({ message: { from: "zoe", body: { text: "still here" } } });
}
