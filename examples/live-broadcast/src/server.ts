import { randomBytes } from "node:crypto";
import type { Server as HttpServer } from "node:http";
import { Server } from "socket.io";
import { redisRoomkit } from "@roomkit/redis";
import { postgresStores } from "@roomkit/postgres";
import { createRoomkit, isValidUserId, jwtAuth, signToken } from "@roomkit/server";
import type { RoomkitOptions } from "@roomkit/server";
import { HttpError, appHandler } from "@roomkit/example-kit/http";
import type { ExampleApp, MountOptions } from "@roomkit/example-kit/http";
import { contract } from "./contract.js";
import type { Profile } from "./contract.js";

/**
 * One-to-many: mounts the app on an HTTP server under `base`: its page, `POST api/sign-in`, and
 * a Socket.IO server at `<base>socket.io`.
 */
export async function mountLiveBroadcast(
  http: HttpServer,
  { base = "/", redisUrl, nodeId, databaseUrl }: MountOptions = {},
): Promise<ExampleApp> {
  const io = new Server(http, { path: `${base}socket.io` });
  // With REDIS_URL, any number of these servers act as one (docs/scaling.md); without, in memory.
  const redis = redisUrl ? await redisRoomkit(io, { url: redisUrl, prefix: "live-broadcast:", ...(nodeId ? { nodeId } : {}) }) : undefined;
  // With DATABASE_URL, history, rooms and read state are kept in PostgreSQL for good (docs/storage.md).
  const durable = databaseUrl
    ? await postgresStores({
        url: databaseUrl,
        schema: "live_broadcast",
        migrate: true,
        ...(redis ? { presence: redis.stores.presence } : {}),
      })
    : undefined;
  const stores = durable ?? redis?.stores;

  // DEMO ONLY: a secret made at startup signs the tokens that `api/sign-in` hands to anyone.
  // Real auth goes here: verify the tokens your login issues, e.g. jwtAuth({ key: process.env.JWT_SECRET,
  // issuer, audience }) or a JWKS from your identity provider, or look up a session cookie yourself.
  const secret = randomBytes(32);

  const rk = createRoomkit(io, { ...liveBroadcastRoomkit(secret), ...(stores ? { stores } : {}) });

  const handle = appHandler({
    base,
    dist: new URL("../dist/", import.meta.url),
    api: {
      // DEMO ONLY: anyone may name themself and pick a role. In your app the role comes from
      // your user records (who is allowed to announce), never from the sign-in form.
      "sign-in": async ({ name, role }) => {
        if (!isValidUserId(name)) throw new HttpError(400, "Pick a name of 1-64 letters, digits or . _ - @ + = ~ (no spaces).");
        const user = { id: name, profile: { name, role: role === "announcer" ? "announcer" : "viewer" } satisfies Profile };
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
export function liveBroadcastRoomkit(secret: Uint8Array): RoomkitOptions<typeof contract> {
  return {
    contract,
    authenticate: jwtAuth<Profile>({ key: secret }),
    channels: {
      live: {
        authorize: () => true, // anyone signed in may watch
        publish: (user) => user.profile.role === "announcer", // only announcers post: viewers get FORBIDDEN
        // Reactions are stored changes to an announcement: anyone watching may give them (the
        // publish policy is for messages), one of each per person, from the contract's list.
      },
    },
  };
}
