import { defineContract, type } from "@roomkit/protocol";
import { z } from "zod";

/** What everyone sees of a user: their name (in this demo, also their user id). */
export type Profile = { name: string };

/** Shared by the server (which validates with it) and the page (which imports its type only). */
export const contract = defineContract({
  user: type<Profile>(),
  channels: {
    // Private rooms, `room:<random id>`: stored members, who is online, history, unread counts,
    // typing, and reactions from a short list.
    room: {
      kind: "room",
      body: z.object({ text: z.string().trim().min(1).max(4000) }),
      signals: { typing: z.object({ on: z.boolean() }) },
      member: type<Profile>(),
      reactions: ["👍", "❤️", "😂", "🎉"],
    },
  },
});
