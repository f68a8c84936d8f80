import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { packPackages, repoRoot } from "./pack-packages.js";
import { run } from "./run-command.js";

// Packs every published package and checks the tarball as npm would publish it: its files,
// publint (package.json against the files), and attw (types under every module resolution).
// attw's bundled TypeScript (5.6) predates require(esm) in `nodenext` (TypeScript 5.8), so it
// flags every CommonJS `require` of these ESM packages: that rule is off here, and
// scripts/install-test.ts typechecks and runs a CommonJS app against the tarballs instead.

const ALLOWED = [
  /^package\/package\.json$/,
  /^package\/README\.md$/,
  /^package\/LICENSE$/,
  /^package\/dist\//,
  /^package\/src\//,
  /^package\/migrations\/\d{4}_[a-z0-9_]+\.sql$/,
];
const REQUIRED = ["package/package.json", "package/README.md", "package/LICENSE", "package/dist/index.js", "package/dist/index.d.ts"];

function checkFiles(name: string, tarball: string): void {
  const files = execFileSync("tar", ["-tzf", tarball], { encoding: "utf8" }).split("\n").filter(Boolean);
  const stray = files.filter((file) => !ALLOWED.some((pattern) => pattern.test(file)));
  const missing = REQUIRED.filter((file) => !files.includes(file));
  if (stray.length || missing.length) {
    throw new Error(`${name}: tarball has stray files [${stray.join(", ")}], lacks [${missing.join(", ")}]`);
  }
  console.log(`${name}: ${files.length} files, only dist/, src/, migrations/*.sql, package.json, README.md and LICENSE`);
}

const bin = (name: string) => join(repoRoot, "node_modules", ".bin", name);
const dest = mkdtempSync(join(tmpdir(), "roomkit-check-"));
try {
  for (const { name, tarball } of await packPackages(dest)) {
    console.log(`\n-- ${name}`);
    checkFiles(name, tarball);
    await run(bin("publint"), ["run", "--strict", tarball], { cwd: dest, timeoutMs: 60_000 });
    await run(bin("attw"), [tarball, "--ignore-rules", "cjs-resolves-to-esm", "--format", "table-flipped", "--no-color"], {
      cwd: dest,
      timeoutMs: 60_000,
    });
  }
  console.log("\nEvery package is publish-ready (files, publint, attw).");
} finally {
  rmSync(dest, { recursive: true, force: true });
}
