import { execFileSync } from "node:child_process";
import { connect } from "node:net";

/**
 * The service rule for tests that need real services: a test needing Redis runs against
 * `REDIS_URL` (default `redis://127.0.0.1:6379`). When Redis is unreachable the test is skipped
 * with a loud notice, except under `CI=true` or `ROOMKIT_REQUIRE_SERVICES=1`, where that is a
 * failure. Import this module from any package's tests.
 *
 * @example
 * const redis = await needRedis();
 * describe.runIf(redis)("with Redis", () => { ... });
 */
export const REDIS_URL = process.env.REDIS_URL || "redis://127.0.0.1:6379";

/** True when missing services must fail the run rather than skip tests. */
export const servicesRequired = process.env.CI === "true" || process.env.ROOMKIT_REQUIRE_SERVICES === "1";

function banner(lines: string[]): void {
  const rule = "=".repeat(78);
  console.warn(["", rule, ...lines.map((l) => `  ${l}`), rule, ""].join("\n"));
}

/** Skips loudly, or throws when services are required. Returns false so callers can `runIf` on it. */
export function missingService(what: string, how: string): false {
  if (servicesRequired) throw new Error(`${what} is required (CI=true or ROOMKIT_REQUIRE_SERVICES=1) but ${how}`);
  banner([`SKIPPING TESTS: ${what} ${how}.`, "Set CI=true or ROOMKIT_REQUIRE_SERVICES=1 to make this a failure."]);
  return false;
}

/** Answers whether a Redis server replies to PING at `url` within `timeoutMs`. */
export function pingRedis(url = REDIS_URL, timeoutMs = 1000): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((done) => {
    const socket = connect({ host: hostname || "127.0.0.1", port: Number(port || 6379) });
    const finish = (ok: boolean) => {
      socket.destroy();
      done(ok);
    };
    socket.setTimeout(timeoutMs, () => finish(false));
    socket.once("error", () => finish(false));
    socket.once("connect", () => socket.write("PING\r\n"));
    // A password-protected server answers NOAUTH: it is there, and the URL's credentials will do.
    socket.once("data", (data) => finish(/^(\+PONG|-NOAUTH)/.test(data.toString())));
  });
}

/** True when Redis at `REDIS_URL` answers; false after a loud skip notice; throws when services are required. */
export async function needRedis(): Promise<boolean> {
  return (await pingRedis()) || missingService(`Redis at ${REDIS_URL}`, "is not reachable");
}

/** The `redis-server` binary for tests that run their own server, or false after a loud skip notice. */
export function needRedisServer(): string | false {
  try {
    return execFileSync("which", ["redis-server"], { encoding: "utf8" }).trim() || missingService("redis-server", "is not installed");
  } catch {
    return missingService("the redis-server binary", "is not on PATH (apt-get install redis-server)");
  }
}
