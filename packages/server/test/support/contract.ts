import { z } from "zod";
import { defineContract, type } from "@roomkit/protocol";

const image = z.object({ type: z.string(), data: z.instanceof(Uint8Array), name: z.string().optional() });
const text = z.object({ text: z.string().min(1).max(2000) });

/** The contract every server test runs on: one family of each kind, and a second public one (with a closed list of reactions). */
export const contract = defineContract({
  user: type<{ name: string; role?: "announcer" | "viewer" }>(),
  channels: {
    dm: {
      kind: "dm",
      body: z.object({ text: z.string().max(2000).optional(), image: image.optional() }),
      signals: { typing: z.object({ on: z.boolean() }) },
    },
    room: { kind: "room", body: text, signals: { typing: type<undefined>() } },
    news: { kind: "public", body: z.object({ headline: z.string() }), signals: { react: z.object({ emoji: z.string().max(8) }) } },
    chat: { kind: "public", body: text, reactions: ["👍", "❤️", "🎉"] },
    team: { kind: "private", body: text, signals: { typing: type<undefined>() } },
    lobby: { kind: "presence", body: text, member: type<{ name: string }>(), signals: { typing: type<undefined>() } },
  },
});

export type TestContract = typeof contract;
