import { defineContract, type } from "@roomkit/protocol";
import { z } from "zod";
import { REACTIONS } from "./reactions.js";

/** What everyone sees of a user: their name (in this demo, also their user id). */
export type Profile = { name: string };

/**
 * A membership change as a line in the room's history ("alice added bob"): what the server
 * posts, as `$system`, for each `rk:room` push (`roomChanged` in server.ts). Members never send it.
 */
const membershipLine = z.object({
  type: z.enum(["created", "joined", "left", "kicked", "role", "muted", "unmuted"]),
  userId: z.string(),
  by: z.string().optional(),
  role: z.enum(["owner", "admin", "member"]).optional(),
});
export type MembershipLine = z.infer<typeof membershipLine>;

/** Shared by the server (which validates with it) and the page (which imports its type only). */
export const contract = defineContract({
  user: type<Profile>(),
  channels: {
    // Private group rooms, `room:<random id>`: stored members with roles (owner, admin, member),
    // who is online among them, history, unread counts and typing.
    room: {
      kind: "room",
      // What members write, or (from the server only) a membership change.
      body: z.union([z.object({ text: z.string().trim().min(1).max(4000) }), z.object({ event: membershipLine })]),
      signals: { typing: z.object({ on: z.boolean() }) },
      // Stored reactions: these six only (another one does not compile, and is INVALID on the wire).
      reactions: REACTIONS,
      member: type<Profile>(),
    },
  },
});
