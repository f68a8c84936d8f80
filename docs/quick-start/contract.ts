import { defineContract, type } from "@roomkit/server";

// Imported by the server, and by the client as a type only: no server code reaches the browser.
export const contract = defineContract({
  user: type<{ name: string }>(),
  channels: {
    dm: { kind: "dm", body: type<{ text: string }>(), signals: { typing: type<{ on: boolean }>() } },
    room: { kind: "room", body: type<{ text: string }>() },
    news: { kind: "public", body: type<{ headline: string }>() },
  },
});
