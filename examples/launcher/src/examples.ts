import { readFile } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { mountDirectMessages } from "@roomkit/example-direct-messages/server";
import { mountGroupChat } from "@roomkit/example-group-chat/server";
import { mountLiveBroadcast } from "@roomkit/example-live-broadcast/server";
import { mountReactChat } from "@roomkit/example-react-chat/server";
import { notFound } from "@roomkit/example-kit/http";
import type { ExampleApp, Mount } from "@roomkit/example-kit/http";

import type { EXAMPLE_NAMES } from "./build.js";

/** How to mount each app (see build.ts for building their pages). */
const MOUNTS: Record<(typeof EXAMPLE_NAMES)[number], Mount> = {
  "direct-messages": mountDirectMessages,
  "live-broadcast": mountLiveBroadcast,
  "group-chat": mountGroupChat,
  "react-chat": mountReactChat,
};

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export interface RunningExamples {
  /** `http://localhost:<port>`. */
  url: string;
  port: number;
  close(): Promise<void>;
}

/**
 * One HTTP server for the index page and the three apps, each under `/<name>/` with its own
 * Socket.IO server at `/<name>/socket.io`. With `redisUrl`, each app keeps its state in Redis
 * (under its own key prefix), so several of these servers act as one; with `databaseUrl`, each
 * keeps its history, rooms and read state in PostgreSQL (in a schema of its own).
 */
export async function startExamples(options: { port?: number; redisUrl?: string; databaseUrl?: string } = {}): Promise<RunningExamples> {
  const [index, style] = await Promise.all([readFile(here("../public/index.html")), readFile(here("../../kit/style.css"))]);
  const apps: ExampleApp[] = [];
  // The request listener comes first: each Socket.IO server then takes its own path and passes the rest on.
  const http = createServer(async (req, res) => {
    for (const app of apps) if (await app.handle(req, res)) return;
    const { pathname } = new URL(req.url ?? "/", "http://localhost");
    const screenshot = /^\/images\/([a-z-]+)\.png$/.exec(pathname)?.[1];
    if (pathname === "/" || pathname === "/index.html") res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(index);
    else if (pathname === "/style.css") res.writeHead(200, { "content-type": "text/css; charset=utf-8" }).end(style);
    else if (screenshot && Object.hasOwn(MOUNTS, screenshot)) {
      // The README's screenshots (docs/images/), for the index page's cards.
      const png = await readFile(here(`../../../docs/images/${screenshot}.png`)).catch(() => undefined);
      if (png) res.writeHead(200, { "content-type": "image/png" }).end(png);
      else notFound(res);
    } else notFound(res);
  });
  await new Promise<void>((done, fail) => {
    http.once("error", fail);
    http.listen(options.port ?? 0, () => done());
  });
  const { port } = http.address() as AddressInfo;
  try {
    for (const [name, mount] of Object.entries(MOUNTS)) {
      const redis = options.redisUrl ? { redisUrl: options.redisUrl, nodeId: `${name}-${port}` } : {};
      const postgres = options.databaseUrl ? { databaseUrl: options.databaseUrl } : {};
      apps.push(await mount(http, { base: `/${name}/`, ...redis, ...postgres }));
    }
  } catch (err) {
    await Promise.all(apps.map((app) => app.close()));
    http.close();
    throw err;
  }
  return {
    url: `http://localhost:${port}`,
    port,
    close: async () => {
      await Promise.all(apps.map((app) => app.close()));
      http.closeAllConnections();
      await new Promise((done) => http.close(done));
    },
  };
}
