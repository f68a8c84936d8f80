import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import type { IncomingMessage, Server as HttpServer, ServerResponse } from "node:http";
import { createServer } from "node:http";
import { extname, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";

/** An example app mounted on an HTTP server: its page, its small JSON API, and its own Socket.IO server. */
export interface ExampleApp {
  /** The URL path it lives under, with a slash at each end (`/direct-messages/`, or `/` alone). */
  base: string;
  /** Answers a request under `base` and resolves true, or resolves false to leave it to others. */
  handle(req: IncomingMessage, res: ServerResponse): Promise<boolean>;
  /** Closes its Roomkit server, its Socket.IO server and its Redis connections. */
  close(): Promise<void>;
}

export interface MountOptions {
  /** The URL path to serve under, with a slash at each end. Default `/`. */
  base?: string;
  /** With a Redis URL, any number of servers of this app act as one. Default: in memory. */
  redisUrl?: string;
  /** This server's name among several (with Redis). */
  nodeId?: string;
  /** With a PostgreSQL URL, messages, rooms and read state are kept there, durably; presence stays in Redis or memory. */
  databaseUrl?: string;
}

/** Mounts an example app on an HTTP server (each example's `server.ts` exports one). */
export type Mount = (http: HttpServer, options?: MountOptions) => Promise<ExampleApp>;

/** A JSON API route: the parsed request body in, a JSON-able result out; throw {@link HttpError} to refuse. */
export type ApiRoute = (body: Record<string, unknown>, req: IncomingMessage) => Promise<unknown>;

/** A refusal an API route answers with: a status and a message the page shows as it is. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".json": "application/json",
  ".map": "application/json",
};

/** Sends a JSON answer. */
export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" });
  res.end(JSON.stringify(body));
}

async function readJson(req: IncomingMessage, limit = 16 * 1024): Promise<Record<string, unknown>> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new HttpError(413, "request too large");
    chunks.push(chunk);
  }
  if (size === 0) return {};
  try {
    const body: unknown = JSON.parse(Buffer.concat(chunks).toString("utf8"));
    if (typeof body === "object" && body !== null && !Array.isArray(body)) return body as Record<string, unknown>;
  } catch {
    // answered below
  }
  throw new HttpError(400, "send a JSON object");
}

/** Serves a file of a built app's `dist/`, or answers false when there is none. */
async function serveFile(res: ServerResponse, dist: string, path: string): Promise<boolean> {
  const file = resolve(dist, `.${path}`);
  if (file !== dist && !file.startsWith(dist + sep)) return false;
  const info = await stat(file).catch(() => undefined);
  if (!info?.isFile()) return false;
  const hashed = path.startsWith("/assets/");
  res.writeHead(200, {
    "content-type": TYPES[extname(file)] ?? "application/octet-stream",
    "content-length": info.size,
    "cache-control": hashed ? "public, max-age=31536000, immutable" : "no-cache",
  });
  createReadStream(file).pipe(res);
  return true;
}

/**
 * The HTTP side of an example: `POST <base>api/<route>` runs a JSON route, anything else under
 * `base` is a file of the app's built `dist/` (its `index.html` for the page itself).
 */
export function appHandler(options: { base: string; dist: URL; api: Record<string, ApiRoute> }) {
  const { base, api } = options;
  const dist = fileURLToPath(options.dist).replace(/[\\/]$/, "");
  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    const { pathname } = new URL(req.url ?? "/", "http://localhost");
    if (base !== "/" && pathname === base.slice(0, -1)) {
      res.writeHead(308, { location: base }).end();
      return true;
    }
    if (!pathname.startsWith(base)) return false;
    const rest = `/${pathname.slice(base.length)}`;
    if (rest.startsWith("/api/")) {
      const name = rest.slice(5);
      const route = Object.hasOwn(api, name) ? api[name] : undefined;
      try {
        if (!route) throw new HttpError(404, "no such API route");
        if (req.method !== "POST") throw new HttpError(405, "use POST");
        sendJson(res, 200, await route(await readJson(req), req));
      } catch (err) {
        if (err instanceof HttpError) sendJson(res, err.status, { error: err.message });
        else {
          console.error(err);
          sendJson(res, 500, { error: "the server failed; see its console" });
        }
      }
      return true;
    }
    if (await serveFile(res, dist, rest === "/" ? "/index.html" : rest)) return true;
    if (rest === "/") {
      res.writeHead(503, { "content-type": "text/plain; charset=utf-8" });
      res.end(`This app is not built yet: run \`npm start\` at the repository root (it builds ${dist}).\n`);
      return true;
    }
    return false;
  };
}

/** Answers 404 with a short page. */
export function notFound(res: ServerResponse): void {
  res.writeHead(404, { "content-type": "text/plain; charset=utf-8" });
  res.end("Not found\n");
}

/** Where the example's state lives, for its startup line. */
export function storesLabel(redisUrl: string | undefined, databaseUrl: string | undefined): string {
  const where = [databaseUrl && "history, rooms and read state in PostgreSQL", redisUrl && `Redis at ${redisUrl}`].filter(Boolean);
  return where.length > 0 ? where.join(", ") : "in-memory stores";
}

/**
 * Runs one example alone on `PORT` (default 3000), at `/`, with Redis when `REDIS_URL` is set and PostgreSQL when `DATABASE_URL` is:
 * what `npm start -w @roomkit/example-<name>` does.
 */
export async function serveAlone(name: string, mount: Mount): Promise<void> {
  const port = Number(process.env.PORT ?? 3000);
  const redisUrl = process.env.REDIS_URL;
  const databaseUrl = process.env.DATABASE_URL;
  let app: ExampleApp | undefined;
  // The request listener must exist before Socket.IO attaches: it passes on what is not its own.
  const http = createServer((req, res) => {
    void (app?.handle(req, res) ?? Promise.resolve(false)).then((handled) => handled || notFound(res));
  });
  app = await mount(http, {
    base: "/",
    ...(redisUrl ? { redisUrl, nodeId: `${name}-${port}` } : {}),
    ...(databaseUrl ? { databaseUrl } : {}),
  });
  http.listen(port, () => {
    console.log(`Roomkit ${name} on http://localhost:${port} (${storesLabel(redisUrl, databaseUrl)}). Ctrl+C to stop.`);
  });
  const stop = async () => {
    await app?.close();
    process.exit(0);
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}
