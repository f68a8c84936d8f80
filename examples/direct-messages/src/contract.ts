import { defineContract, type } from "@roomkit/protocol";
import { z } from "zod";
import { REACTIONS } from "./reactions.js";

/** What everyone sees of a user: their name (in this demo, also their user id). */
export type Profile = { name: string };

/** An image as it travels: Socket.IO binary, never base64; the server checks `type` against the bytes. */
const image = z.object({ type: z.string(), data: z.instanceof(Uint8Array), name: z.string().max(200).optional() });

/** Shared by the server (which validates with it) and the page (which imports its type only). */
export const contract = defineContract({
  user: type<Profile>(),
  channels: {
    // One-to-one conversations, `dm:alice|bob`: text, an image, or both.
    dm: {
      kind: "dm",
      body: z
        .object({ text: z.string().max(4000).optional(), image: image.optional() })
        .refine((body) => Boolean(body.text?.trim() || body.image), "a message needs text or an image"),
      signals: { typing: z.object({ on: z.boolean() }) },
      // Stored reactions: these six only (another one does not compile, and is INVALID on the wire).
      reactions: REACTIONS,
    },
    // Who is online: everyone subscribes to `online:everyone` and sees its members.
    online: { kind: "presence" },
  },
});
