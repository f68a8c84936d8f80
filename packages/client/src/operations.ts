import { RoomkitError } from "@roomkit/protocol";
import type { ChangeEntry, DeleteChange, EditChange, Message, ReactionChange } from "@roomkit/protocol";
import { fromWireBody, fromWireMessage, toWireBody } from "./attachments.js";
import type { OutgoingSend } from "./outbox.js";
import type { RoomkitSocket } from "./request.js";
import { request } from "./request.js";

/** How hard one operation tries: the `send` options of `createClient`, or a call's own. */
export interface Effort {
  timeoutMs: number;
  retries: number;
}

/** A change entry as received, its edit body made to match its contract type. */
export function fromWireChange<C extends ChangeEntry>(change: C): C {
  if (change.type !== "edit" || change.body === undefined) return change;
  const body = fromWireBody(change.body);
  return body === change.body ? change : { ...change, body };
}

/** A publish: the server dedupes retries by `clientId`. */
export function publishing(
  socket: () => RoomkitSocket,
  body: unknown,
  fields: { clientId: string; replyTo?: number },
  effort: Effort,
): OutgoingSend<unknown, Message> {
  return {
    ...effort,
    input: toWireBody(body),
    attempt: (channel, input, timeoutMs) =>
      request(socket(), "rk:publish", { channel, body: input, ...fields }, timeoutMs).then((r) => fromWireMessage(r.message)),
  };
}

/** An edit: a retry stores the same body again (a new seq, the same result). */
export function editing(socket: () => RoomkitSocket, seq: number, body: unknown, effort: Effort): OutgoingSend<unknown, EditChange> {
  return {
    ...effort,
    input: toWireBody(body),
    attempt: (channel, input, timeoutMs) =>
      request(socket(), "rk:edit", { channel, seq, body: input }, timeoutMs).then((r) => fromWireChange(changeOf(r) as EditChange)),
  };
}

/** A delete: `CONFLICT` on a retry means the first attempt did it (§6.12), so it resolves. */
export function deleting(socket: () => RoomkitSocket, seq: number, effort: Effort): OutgoingSend<undefined, DeleteChange | undefined> {
  return {
    ...effort,
    input: Promise.resolve(undefined),
    attempt: (channel, _input, timeoutMs, retried) =>
      request(socket(), "rk:delete", { channel, seq }, timeoutMs).then(
        (r) => changeOf(r) as DeleteChange,
        (err) => {
          if (retried && err instanceof RoomkitError && err.code === "CONFLICT") return undefined;
          throw err;
        },
      ),
  };
}

/** A reaction added or removed: idempotent on the server, so a retry is harmless. */
export function reacting(
  socket: () => RoomkitSocket,
  type: "react" | "unreact",
  seq: number,
  reaction: string,
  effort: Effort,
): OutgoingSend<undefined, ReactionChange | undefined> {
  return {
    ...effort,
    input: Promise.resolve(undefined),
    attempt: (channel, _input, timeoutMs) =>
      request(socket(), type === "react" ? "rk:react" : "rk:unreact", { channel, seq, reaction }, timeoutMs).then(
        (r) => changeOf(r) as ReactionChange | undefined,
      ),
  };
}

/** The stored change of a change ack; `undefined` for `changed: false` (a reaction that was already so). */
function changeOf(result: object): ChangeEntry | undefined {
  return (result as { changed?: boolean; change?: ChangeEntry }).changed === true ? (result as { change: ChangeEntry }).change : undefined;
}
