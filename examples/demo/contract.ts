import { defineContract, type } from "@roomkit/protocol";

/** The demo's contract: direct messages, group rooms, a lobby with presence, and a news feed. */
export const contract = defineContract({
  user: type<{ name: string }>(),
  channels: {
    dm: { kind: "dm", body: type<{ text: string }>(), signals: { typing: type<{ on: boolean }>() } },
    room: { kind: "room", body: type<{ text: string }>(), signals: { typing: type<{ on: boolean }>() } },
    lobby: { kind: "presence", body: type<{ text: string }>() },
    news: { kind: "public", body: type<{ headline: string }>() },
  },
});
