import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { packPackages, repoRoot } from "./pack-packages.js";
import type { PackedPackage } from "./pack-packages.js";
import { cleanEnv, run } from "./run-command.js";
import { runDm } from "./install-test/run-dm.js";
import { deleteKeys, testClient, uniquePrefix } from "../packages/redis/test/support/redis.js";
import { dropSchema, testPool } from "../packages/postgres/test/support/postgres.js";

// The path of a new user: pack every package, install the tarballs into a fresh app outside the
// workspace, typecheck it strictly (nodenext, then bundler), run a server and two clients that
// exchange a DM, from ESM and from CommonJS, and render @roomkit/react's hooks on the server. `npm run test:install`; CI runs it after the build.

const started = Date.now();
const step = (what: string) => console.log(`\n== install test: ${what} (${((Date.now() - started) / 1000).toFixed(0)} s)`);
const work = mkdtempSync(join(tmpdir(), "roomkit-install-"));
const removeWork = () => rmSync(work, { recursive: true, force: true });
process.on("exit", removeWork);
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => process.exit(1));

/** The app's package.json: the tarballs, socket.io, prom-client, React, and the workspace's TypeScript and Node types. */
function appManifest(packed: PackedPackage[]): string {
  const manifest = (path: string) => JSON.parse(readFileSync(join(repoRoot, path), "utf8")) as { devDependencies: Record<string, string> };
  const dev = manifest("package.json").devDependencies;
  // The metrics entry's optional peer, at the version the server package is tested with.
  const serverDev = manifest("packages/server/package.json").devDependencies;
  const reactDev = manifest("packages/react/package.json").devDependencies;
  const dependencies = Object.fromEntries(packed.map(({ name, tarball }) => [name, `file:${tarball}`]));
  return JSON.stringify(
    {
      name: "roomkit-install-test-app",
      private: true,
      type: "module",
      dependencies: {
        ...dependencies,
        "socket.io": dev["socket.io"],
        "prom-client": serverDev["prom-client"],
        react: reactDev.react,
        "react-dom": reactDev["react-dom"],
      },
      devDependencies: {
        typescript: dev.typescript,
        "@types/node": dev["@types/node"],
        "@types/react": reactDev["@types/react"],
        "@types/react-dom": reactDev["@types/react-dom"],
      },
    },
    null,
    2,
  );
}

/** The ESM server's /metrics, scraped after the DM: the message is counted as stored. */
async function checkMetrics(port: number): Promise<void> {
  const res = await fetch(`http://127.0.0.1:${port}/metrics`);
  const text = await res.text();
  const stored = /^roomkit_messages_stored_total\{kind="dm"\} (\d+)$/m.exec(text)?.[1];
  if (res.status !== 200 || !stored || Number(stored) < 1)
    throw new Error(`/metrics answered ${res.status} without the DM stored:\n${text.slice(0, 2000)}`);
  console.log(`/metrics: roomkit_messages_stored_total{kind="dm"} ${stored}`);
}

/** Removes what the ESM server stored in Redis. */
async function deleteRedisKeys(url: string, prefix: string): Promise<void> {
  const client = await testClient(url);
  try {
    await deleteKeys(client, prefix);
  } finally {
    await client.close();
  }
}

/** Drops what the ESM server stored in PostgreSQL. */
async function dropPostgresSchema(url: string, schema: string): Promise<void> {
  const pool = testPool({ url });
  try {
    await dropSchema(pool, schema);
  } finally {
    await pool.end();
  }
}

/** Every installed copy of `name` under `dir`'s node_modules, nested ones included. */
function copiesOf(dir: string, name: string): string[] {
  const modules = join(dir, "node_modules");
  if (!existsSync(modules)) return [];
  const here = existsSync(join(modules, name, "package.json")) ? [join(modules, name)] : [];
  const installed = readdirSync(modules).flatMap((entry) =>
    entry.startsWith("@") ? readdirSync(join(modules, entry)).map((sub) => join(modules, entry, sub)) : [join(modules, entry)],
  );
  return [...here, ...installed.flatMap((pkg) => copiesOf(pkg, name))];
}

try {
  step(`packing every package into ${work}`);
  const packed = await packPackages(work);

  step("a fresh app outside the workspace, installing the tarballs with npm install");
  const app = join(work, "app");
  cpSync(join(repoRoot, "scripts", "install-test", "app"), app, { recursive: true });
  writeFileSync(join(app, "package.json"), `${appManifest(packed)}\n`);
  const env = cleanEnv();
  await run("npm", ["install", "--no-audit", "--no-fund"], { cwd: app, env, timeoutMs: 100_000 });
  for (const name of ["@roomkit/protocol", "@roomkit/server", "socket.io"]) {
    const copies = copiesOf(app, name);
    if (copies.length !== 1) throw new Error(`${name}: ${copies.length} copies installed (${copies.join(", ")}), expected one`);
  }
  console.log("one copy each of @roomkit/protocol, @roomkit/server and socket.io");

  step("typecheck, strict: nodenext (and emit), then bundler");
  const tsc = join(app, "node_modules", "typescript", "bin", "tsc");
  await run(process.execPath, [tsc, "-p", "tsconfig.json"], { cwd: app, env, timeoutMs: 60_000 });
  await run(process.execPath, [tsc, "-p", "tsconfig.bundler.json"], { cwd: app, env, timeoutMs: 60_000 });

  const redisUrl = process.env.REDIS_URL;
  const databaseUrl = process.env.DATABASE_URL;
  const prefix = uniquePrefix("install");
  const schema = `rkinstall_${prefix.split(":")[2]}`;
  const postgres: Record<string, string> = databaseUrl ? { DATABASE_URL: databaseUrl, PG_SCHEMA: schema } : {};
  const appEnv = cleanEnv({ ...(redisUrl ? { REDIS_URL: redisUrl, REDIS_PREFIX: prefix } : {}), ...postgres });
  const redisStores = redisUrl ? `Redis at REDIS_URL under ${prefix}` : "memory stores: REDIS_URL is unset";
  const postgresStores = databaseUrl ? `, PostgreSQL at DATABASE_URL in ${schema}` : ", DATABASE_URL is unset";
  try {
    if (databaseUrl) {
      step(`the installed bin migrates ${schema}: npx roomkit-postgres-migrate`);
      await run("npx", ["--no-install", "roomkit-postgres-migrate", "--schema", schema], { cwd: app, env: appEnv, timeoutMs: 60_000 });
    }
    step(`ESM: a server (${redisStores}${postgresStores}) and two clients`);
    await runDm({ app, env: appEnv, server: "dist/server.mjs", clients: "dist/dm.mjs", after: checkMetrics });
  } finally {
    if (redisUrl) await deleteRedisKeys(redisUrl, prefix);
    if (databaseUrl) await dropPostgresSchema(databaseUrl, schema);
  }
  step("CommonJS (require): a server and two clients");
  await runDm({ app, env: appEnv, server: "dist/server.cjs", clients: "dist/dm.cjs" });

  step("React: @roomkit/react renders on the server without a socket");
  await run(process.execPath, ["dist/react.mjs"], { cwd: app, env, timeoutMs: 30_000 });

  step("@roomkit/testing: a user's test of the app, with the kit from its tarball");
  await run(process.execPath, ["dist/kit.mjs"], { cwd: app, env, timeoutMs: 30_000 });

  step("passed");
} catch (err) {
  console.error(`\ninstall test FAILED: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
} finally {
  removeWork();
}
