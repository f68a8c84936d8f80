import { defineContract, type } from "@roomkit/protocol";

/** The app's contract, shared by its server and its clients. */
export const contract = defineContract({
  user: type<{ name: string }>(),
  channels: {
    dm: { kind: "dm", body: type<{ text: string }>() },
  },
});
