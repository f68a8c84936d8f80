import { PROTOCOL_VERSION, RoomkitError, userRoom, validate } from "@roomkit/protocol";
import type { SignalPush } from "@roomkit/protocol";
import type { Context, Session } from "../context.js";
import type { Payload } from "../requests/fields.js";
import { requiredString } from "../requests/fields.js";
import { assertAccess, resolve } from "./access.js";
import { inspectSignalData } from "./body.js";
import type { Inspection } from "../requests/inspect.js";
import { SLOW_ROOM } from "../transport/slow-consumers.js";

/**
 * `rk:signal`: an ephemeral event (typing, a reaction) for the channel's other listeners. Not
 * stored, not sequenced, never echoed to any of the sender's own connections.
 */
export async function sendSignal(ctx: Context, session: Session, p: Payload, inspection: Inspection): Promise<object> {
  const ch = resolve(ctx, p.channel);
  const name = requiredString(p, "name", 64);
  await assertAccess(ctx, session, "signal", ch);
  const shapes = ch.definition.signals;
  const shape = shapes && Object.hasOwn(shapes, name) ? shapes[name] : undefined;
  if (!shape) throw new RoomkitError("INVALID", `"${ch.family}" has no signal "${name}"`);
  inspectSignalData(p.data, inspection.field("data"), ctx.limits);
  const checked = await validate(shape, p.data);
  if (!checked.ok) {
    throw new RoomkitError("INVALID", `signal "${name}" data: ${checked.issues[0]?.message ?? "invalid"}`, { issues: checked.issues });
  }
  const push: SignalPush = { v: PROTOCOL_VERSION, channel: ch.id, name, from: session.user.id };
  if (checked.value !== undefined) push.data = checked.value;
  const me = userRoom(session.user.id);
  const to = ch.parties ? ctx.io.to(ch.parties.map(userRoom)) : ctx.io.to(ch.id);
  to.except([me, SLOW_ROOM]).emit("rk:signal", push);
  return {};
}
