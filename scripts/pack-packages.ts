import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { cleanEnv, run } from "./run-command.js";

export const repoRoot = fileURLToPath(new URL("..", import.meta.url));

/** The published packages, in dependency order. */
export const PACKAGES = ["protocol", "server", "client", "redis", "postgres", "react", "testing"] as const;

export interface PackedPackage {
  name: string;
  dir: string;
  tarball: string;
}

/**
 * `npm pack`s every published package into `dest` (each `prepack` builds it first).
 *
 * @example
 * const packed = await packPackages(mkdtempSync(join(tmpdir(), "roomkit-")));
 */
export async function packPackages(dest: string): Promise<PackedPackage[]> {
  const packed: PackedPackage[] = [];
  for (const dir of PACKAGES) {
    const cwd = join(repoRoot, "packages", dir);
    const { name, version } = JSON.parse(readFileSync(join(cwd, "package.json"), "utf8")) as { name: string; version: string };
    await run("npm", ["pack", "--silent", "--pack-destination", dest], { cwd, env: cleanEnv(), timeoutMs: 120_000 });
    const tarball = join(dest, `${name.replace(/^@/, "").replace("/", "-")}-${version}.tgz`);
    if (!existsSync(tarball)) throw new Error(`npm pack of ${name} wrote no ${tarball}`);
    packed.push({ name, dir, tarball });
  }
  return packed;
}
