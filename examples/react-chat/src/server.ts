import { randomBytes } from "node:crypto";
import type { Server as HttpServer } from "node:http";
import { Server } from "socket.io";
import { redisRoomkit } from "@roomkit/redis";
import { createRoomkit, isValidUserId, jwtAuth, signToken } from "@roomkit/server";
import type { Roomkit, Stores } from "@roomkit/server";
import { HttpError, appHandler } from "@roomkit/example-kit/http";
import type { ExampleApp, MountOptions } from "@roomkit/example-kit/http";
import { contract } from "./contract.js";
import type { Profile } from "./contract.js";

/**
 * Mounts the app on an HTTP server under `base`: its page, `POST api/sign-in`, and a Socket.IO
 * server at `<base>socket.io`. The server is plain Roomkit: all the React is in the page.
 */
export async function mountReactChat(http: HttpServer, { base = "/", redisUrl, nodeId }: MountOptions = {}): Promise<ExampleApp> {
  const io = new Server(http, { path: `${base}socket.io` });
  // With REDIS_URL, any number of these servers act as one (docs/scaling.md); without, in memory.
  const redis = redisUrl ? await redisRoomkit(io, { url: redisUrl, prefix: "react-chat:", ...(nodeId ? { nodeId } : {}) }) : undefined;

  // DEMO ONLY: a secret made at startup signs the tokens that `api/sign-in` hands to anyone.
  // Real auth goes here: verify the tokens your login issues (jwtAuth with your key, or a JWKS).
  const secret = randomBytes(32);
  const rk = reactChatRoomkit(io, secret, redis?.stores);

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
      await redis?.close();
      io.close();
    },
  };
}

/** The app's Roomkit server on `io`: rooms need no policy (Roomkit keeps their members and roles). */
export function reactChatRoomkit(io: Server, secret: Uint8Array, stores?: Partial<Stores>): Roomkit<typeof contract> {
  return createRoomkit(io, {
    contract,
    authenticate: jwtAuth<Profile>({ key: secret }),
    // Members may invite: the page's "Add someone" is open to every member.
    rooms: { invite: "members" },
    ...(stores ? { stores } : {}),
  });
}
