import { randomBytes } from "node:crypto";
import { z } from "zod";
import { RoomkitError, createRoomkit, defineContract, jwtAuth, signToken, type } from "@roomkit/server";
import type { RoomkitOptions } from "@roomkit/server";
import type { AppSetup } from "@roomkit/testing";

/** A small app of the kind the kit is for: a contract, an announcer-only feed, a presence lobby, and a hook. */
export const contract = defineContract({
  user: type<{ name: string; role: "announcer" | "member" }>(),
  channels: {
    dm: { kind: "dm", body: z.object({ text: z.string().min(1) }), signals: { typing: z.object({ on: z.boolean() }) } },
    room: { kind: "room", body: z.object({ text: z.string().min(1) }) },
    news: { kind: "public", body: z.object({ headline: z.string() }) },
    lobby: { kind: "presence", body: z.object({ text: z.string() }), member: type<{ name: string }>() },
  },
});

export type ChatContract = typeof contract;

/** The app's key: a new one per test process, handed to the child processes of startAppProcesses as CHAT_SECRET. */
export const secret = process.env.CHAT_SECRET ? Buffer.from(process.env.CHAT_SECRET, "hex") : randomBytes(32);

/** What child processes need to run this app: its key, and this repository's source for the packages (tsx reads the paths). */
export const childEnv = { CHAT_SECRET: secret.toString("hex"), TSX_TSCONFIG_PATH: "tsconfig.test.json" };

/** The app's configuration, as its server would build it. */
export function chatOptions(): RoomkitOptions<ChatContract> {
  return {
    contract,
    authenticate: jwtAuth({ key: secret }),
    channels: {
      news: { publish: (user) => user.profile.role === "announcer" },
      lobby: { authorize: () => true, memberInfo: (user) => ({ name: user.profile.name }) },
    },
    presence: { graceMs: 0 },
    rooms: { clientIds: true },
    hooks: {
      beforeMessage: ({ body }) => {
        if ((body as { text?: string }).text?.includes("spam")) throw new RoomkitError("FORBIDDEN", "no spam");
      },
    },
  };
}

/** The same configuration as a setup function, the export a child process imports. */
export const chatSetup: AppSetup<ChatContract> = (io, { stores }) => createRoomkit(io, { ...chatOptions(), stores });

/** What the test signs for a user: "anna" announces, everyone else is a member. */
export async function login(id: string): Promise<{ token: string }> {
  const profile = { name: id, role: id === "anna" ? ("announcer" as const) : ("member" as const) };
  return { token: await signToken(secret, { id, profile }, { expiresIn: "1h" }) };
}
