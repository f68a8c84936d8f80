import { RoomkitError } from "@roomkit/protocol";
import type { RoomRole } from "@roomkit/protocol";
import type { Session } from "../context.js";
import type { Handlers } from "../requests/dispatch.js";
import type { Payload } from "../requests/fields.js";
import { optionalBoolean, optionalInt, optionalString, optionalUserIds, requiredString, userId } from "../requests/fields.js";
import type { PageQuery } from "../stores/types.js";
import {
  ROOM_LIST_PAGE,
  createRoom,
  inviteMember,
  joinRoom,
  kickMember,
  leaveRoom,
  roomListPage,
  roomMemberPage,
  setMuted,
  setRole,
} from "./rooms.js";

/** The most members one `rk:room:members` page lists (and its default). */
const MEMBERS_PAGE = 500;

const me = (s: Session) => s.user.id;

/** The `after` (a cursor of at most 64 characters) and `limit` (1 to `max`, default `max`) of a paged request. */
function page(p: Payload, max: number): PageQuery {
  const after = optionalString(p, "after", 64);
  const limit = optionalInt(p, "limit", 1, max) ?? max;
  return after === undefined ? { limit } : { after, limit };
}

function role(value: unknown): Exclude<RoomRole, "owner"> {
  if (value !== "admin" && value !== "member") throw new RoomkitError("INVALID", '"role" must be "admin" or "member"');
  return value;
}

function muted(value: unknown): boolean {
  if (typeof value !== "boolean") throw new RoomkitError("INVALID", '"muted" must be a boolean');
  return value;
}

/** The `rk:room:*` requests: payload checks, then the room operations as the connection (access decision, room caps and all). */
export const roomHandlers: Handlers = {
  "rk:room:create": async (ctx, s, p) => {
    const channel = optionalString(p, "channel");
    // A client that picks ids could learn which are taken; only an app that allows it lets them.
    if (channel !== undefined && !ctx.options.rooms?.clientIds) throw new RoomkitError("INVALID", "this server chooses room ids");
    const family = optionalString(p, "family", 32);
    const name = optionalString(p, "name", 100);
    const members = optionalUserIds(p, "members", 100);
    const open = optionalBoolean(p, "open");
    const room = await createRoom(
      ctx,
      {
        owner: me(s),
        ...(channel === undefined ? {} : { channel }),
        ...(family === undefined ? {} : { family }),
        ...(name === undefined ? {} : { name }),
        ...(members === undefined ? {} : { members }),
        ...(open === undefined ? {} : { open }),
      },
      s,
    );
    return { room };
  },
  "rk:room:invite": async (ctx, s, p) => ({ member: await inviteMember(ctx, s, requiredString(p, "channel"), userId(p)) }),
  "rk:room:join": async (ctx, s, p) => ({ room: await joinRoom(ctx, s, requiredString(p, "channel")) }),
  "rk:room:leave": async (ctx, s, p) => {
    await leaveRoom(ctx, me(s), requiredString(p, "channel"));
    return {};
  },
  "rk:room:kick": async (ctx, s, p) => {
    await kickMember(ctx, s, requiredString(p, "channel"), userId(p));
    return {};
  },
  "rk:room:role": async (ctx, s, p) => ({ member: await setRole(ctx, s, requiredString(p, "channel"), userId(p), role(p.role)) }),
  "rk:room:mute": async (ctx, s, p) => ({ member: await setMuted(ctx, s, requiredString(p, "channel"), userId(p), muted(p.muted)) }),
  "rk:room:list": async (ctx, s, p) => roomListPage(ctx, me(s), page(p, ROOM_LIST_PAGE)),
  "rk:room:members": async (ctx, s, p) => {
    const channel = requiredString(p, "channel");
    return roomMemberPage(ctx, s, channel, page(p, MEMBERS_PAGE));
  },
};
