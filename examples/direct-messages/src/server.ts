import { randomBytes } from "node:crypto";
import type { Server as HttpServer } from "node:http";
import { Server } from "socket.io";
import { redisRoomkit } from "@roomkit/redis";
import { postgresStores } from "@roomkit/postgres";
import { createRoomkit, isValidUserId, jwtAuth, signToken } from "@roomkit/server";
import type { RoomkitOptions } from "@roomkit/server";
import { HttpError, appHandler } from "@roomkit/example-kit/http";
import { DECODED_IMAGE_TYPES, verifyImage } from "@roomkit/example-kit/images";
import type { ExampleApp, MountOptions } from "@roomkit/example-kit/http";
import { contract } from "./contract.js";
import type { Profile } from "./contract.js";

/**
 * One-to-one chat: mounts the app on an HTTP server under `base`: its page, `POST api/sign-in`,
 * and a Socket.IO server at `<base>socket.io`.
 */
export async function mountDirectMessages(
  http: HttpServer,
  { base = "/", redisUrl, nodeId, databaseUrl }: MountOptions = {},
): Promise<ExampleApp> {
  // Images ride in the message: let a packet hold the 512 KiB attachment limit and the text.
  const io = new Server(http, { path: `${base}socket.io`, maxHttpBufferSize: 1_000_000 });
  // With REDIS_URL, any number of these servers act as one (docs/scaling.md); without, in memory.
  const redis = redisUrl ? await redisRoomkit(io, { url: redisUrl, prefix: "direct-messages:", ...(nodeId ? { nodeId } : {}) }) : undefined;
  // With DATABASE_URL, history, rooms and read state are kept in PostgreSQL for good (docs/storage.md).
  const durable = databaseUrl
    ? await postgresStores({
        url: databaseUrl,
        schema: "direct_messages",
        migrate: true,
        ...(redis ? { presence: redis.stores.presence } : {}),
      })
    : undefined;
  const stores = durable ?? redis?.stores;

  // DEMO ONLY: a secret made at startup signs the tokens that `api/sign-in` hands to anyone.
  // Real auth goes here: verify the tokens your login issues, e.g. jwtAuth({ key: process.env.JWT_SECRET,
  // issuer, audience }) or a JWKS from your identity provider, or look up a session cookie yourself.
  const secret = randomBytes(32);

  const rk = createRoomkit(io, { ...directMessagesRoomkit(secret), ...(stores ? { stores } : {}) });

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

/**
 * The app's Roomkit configuration, given the secret its tokens are signed with: what
 * `createRoomkit` gets here, and what its tests start with `@roomkit/testing` (test/server.test.ts).
 */
export function directMessagesRoomkit(secret: Uint8Array): RoomkitOptions<typeof contract> {
  return {
    contract,
    authenticate: jwtAuth<Profile>({ key: secret }),
    // Anyone signed in may see who is online. DMs need no policy: only their two users get in.
    channels: { online: { authorize: () => true } },
    // Pictures: only types a decoder here reads, and each one decoded before it is stored.
    limits: { attachmentTypes: DECODED_IMAGE_TYPES },
    hooks: { verifyAttachment: verifyImage },
  };
}
