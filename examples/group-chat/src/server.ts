import { randomBytes } from "node:crypto";
import type { Server as HttpServer } from "node:http";
import { Server } from "socket.io";
import { redisRoomkit } from "@roomkit/redis";
import { postgresStores } from "@roomkit/postgres";
import { SYSTEM_SENDER } from "@roomkit/protocol";
import { createRoomkit, isValidUserId, jwtAuth, signToken } from "@roomkit/server";
import type { Roomkit, Stores } from "@roomkit/server";
import { HttpError, appHandler } from "@roomkit/example-kit/http";
import type { ExampleApp, MountOptions } from "@roomkit/example-kit/http";
import { contract } from "./contract.js";
import type { Profile } from "./contract.js";

/**
 * Many-to-many: mounts the app on an HTTP server under `base`: its page, `POST api/sign-in`, and
 * a Socket.IO server at `<base>socket.io`.
 */
export async function mountGroupChat(
  http: HttpServer,
  { base = "/", redisUrl, nodeId, databaseUrl }: MountOptions = {},
): Promise<ExampleApp> {
  const io = new Server(http, { path: `${base}socket.io` });
  // With REDIS_URL, any number of these servers act as one (docs/scaling.md); without, in memory.
  const redis = redisUrl ? await redisRoomkit(io, { url: redisUrl, prefix: "group-chat:", ...(nodeId ? { nodeId } : {}) }) : undefined;
  // With DATABASE_URL, history, rooms and read state are kept in PostgreSQL for good (docs/storage.md).
  const durable = databaseUrl
    ? await postgresStores({ url: databaseUrl, schema: "group_chat", migrate: true, ...(redis ? { presence: redis.stores.presence } : {}) })
    : undefined;
  const stores = durable ?? redis?.stores;

  // DEMO ONLY: a secret made at startup signs the tokens that `api/sign-in` hands to anyone.
  // Real auth goes here: verify the tokens your login issues, e.g. jwtAuth({ key: process.env.JWT_SECRET,
  // issuer, audience }) or a JWKS from your identity provider, or look up a session cookie yourself.
  const secret = randomBytes(32);

  const rk = groupChatRoomkit(io, secret, stores);

  const handle = appHandler({
    base,
    dist: new URL("../dist/", import.meta.url),
    api: {
      // DEMO ONLY: a token for whoever names themself. Your login replaces this route.
      "sign-in": async ({ name }) => {
        if (!isValidUserId(name)) throw new HttpError(400, "Pick a name of 1-64 letters, digits or . _ - @ + = ~ (no spaces).");
        const user = { id: name, profile: { name } };
        return { token: await signToken(secret, user, { expiresIn: "12h" }), user };
      },
    },
  });

  return {
    base,
    handle,
    close: async () => {
      await rk.close();
      await durable?.close();
      await redis?.close();
      io.close();
    },
  };
}

const MEMBERSHIP_ONLY = "only the server posts membership changes";
const isMembershipLine = (body: unknown) => typeof body === "object" && body !== null && "event" in body;

/**
 * The app's Roomkit server on `io`, given the secret its tokens are signed with: what the mount
 * above runs, and what its tests start with `@roomkit/testing` (test/server.test.ts).
 * Rooms need no policy: Roomkit keeps their members and roles. The owner and admins invite,
 * kick and mute (rooms: { invite: "members" } would let every member invite), and delete
 * anyone's message.
 */
export function groupChatRoomkit(io: Server, secret: Uint8Array, stores?: Partial<Stores>): Roomkit<typeof contract> {
  const rk: Roomkit<typeof contract> = createRoomkit(io, {
    contract,
    authenticate: jwtAuth<Profile>({ key: secret }),
    ...(stores ? { stores } : {}),
    hooks: {
      // `rk:room` pushes are live only: each change also goes into the room's history, from
      // `$system`, so "alice added bob" is still there after a reload (and counts as unread, as a
      // message does). It runs once per change, on the node that made it.
      roomChanged: ({ channel, type, userId, by, role }) => {
        const event = { type, userId, ...(by ? { by } : {}), ...(role ? { role } : {}) };
        rk.publish(channel as `room:${string}`, { event }).catch((err: unknown) =>
          console.error("group-chat: no history line for", channel, err),
        );
      },
      // Only the server posts membership lines: a member who sends one is refused.
      beforeMessage: ({ from, body }) => (from !== SYSTEM_SENDER && isMembershipLine(body) ? { reject: MEMBERSHIP_ONLY } : undefined),
      // Edits and deletes: Roomkit lets authors edit and delete their own messages, and the owner
      // and admins delete any. Two more rules of this app: a membership line stays as the server
      // wrote it (no moderator deletes "alice removed bob"), and no edit turns a message into one
      // (`beforeMessage` is not called for edits).
      beforeChange: (draft) => {
        if (isMembershipLine(draft.message.body)) return { reject: "membership lines stay in the history" };
        if (draft.type === "edit" && isMembershipLine(draft.body)) return { reject: MEMBERSHIP_ONLY };
        return undefined;
      },
    },
  });
  return rk;
}
