import { RoomkitError } from "@roomkit/protocol";
import { ErrorReply } from "redis";
import type { CommandClient } from "./script.js";

/** Replies that mean "Redis cannot serve right now", not "the request was wrong". */
const TRANSIENT_REPLIES = ["LOADING", "BUSY", "MASTERDOWN", "READONLY", "TRYAGAIN", "CLUSTERDOWN", "OOM", "NOREPLICAS"];

/**
 * What a failed Redis call becomes for the server: unreachable, offline, timed out or busy is
 * `UNAVAILABLE` (the client may retry); any other error reply is a bug and stays as it is.
 */
export function storeError(err: unknown): unknown {
  if (err instanceof RoomkitError || err instanceof TypeError) return err;
  if (err instanceof ErrorReply && !TRANSIENT_REPLIES.some((code) => err.message.startsWith(code))) return err;
  const reason = err instanceof Error ? err.message : String(err);
  return new RoomkitError("UNAVAILABLE", `the store is unavailable (Redis: ${reason})`);
}

/**
 * The client with a deadline on every reply: a Redis that hangs (paused, overloaded, cut off
 * without a reset) fails each command with `UNAVAILABLE` after `timeoutMs` instead of never.
 * node-redis 5 times commands out only while they wait to be written.
 */
export function withReplyTimeout(client: CommandClient, timeoutMs: number): CommandClient {
  const timed =
    (target: CommandClient): CommandClient["sendCommand"] =>
    (args) => {
      const call = target.sendCommand(args);
      let timer: ReturnType<typeof setTimeout> | undefined;
      const late = new Promise<never>((_, fail) => {
        timer = setTimeout(() => {
          call.catch(() => undefined); // it may still fail later, when nobody waits for it
          fail(new RoomkitError("UNAVAILABLE", `the store is unavailable (Redis did not answer within ${timeoutMs} ms)`));
        }, timeoutMs);
      });
      return Promise.race([call, late]).finally(() => clearTimeout(timer));
    };
  const { onKey } = client;
  return onKey
    ? { sendCommand: timed(client), onKey: (key) => ({ sendCommand: timed(onKey.call(client, key)) }) }
    : { sendCommand: timed(client) };
}

/** Runs a Redis call, turning connection failures into `UNAVAILABLE`. */
export function guard<T>(call: Promise<T>): Promise<T> {
  return call.catch((err: unknown) => {
    throw storeError(err);
  });
}
