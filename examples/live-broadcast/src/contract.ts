import { defineContract, type } from "@roomkit/protocol";
import { z } from "zod";
import { REACTIONS } from "./reactions.js";

/** A signed-in user: their name, and whether they announce or watch. */
export type Profile = { name: string; role: "announcer" | "viewer" };

/** Shared by the server (which validates with it) and the page (which imports its type only). */
export const contract = defineContract({
  user: type<Profile>(),
  channels: {
    // A broadcast, `live:main`: announcements from announcers, stored reactions to them from
    // anyone watching (kept, so a reload shows the counts), and the list of who is watching (a
    // presence channel), for the viewer count.
    live: {
      kind: "presence",
      body: z.object({ text: z.string().trim().min(1).max(2000) }),
      reactions: REACTIONS,
      member: type<Profile>(),
    },
  },
});
