import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import type { BuildOptions } from "esbuild";

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/**
 * `dist/roomkit-client.js`: the SDK and socket.io-client in one ESM file for
 * `<script type="module">`, built from source (the protocol too), browser builds of
 * engine.io-client (no `ws`, no Node modules), minified with a source map.
 */
export const bundleOptions = {
  entryPoints: [here("../src/index.ts")],
  outfile: here("../dist/roomkit-client.js"),
  alias: { "@roomkit/protocol": here("../../protocol/src/index.ts") },
  bundle: true,
  format: "esm",
  platform: "browser",
  target: "es2022",
  minify: true,
  sourcemap: true,
  metafile: true,
  logLevel: "warning",
} satisfies BuildOptions;

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { metafile } = await build(bundleOptions);
  const [file, output] = Object.entries(metafile.outputs).find(([name]) => name.endsWith(".js"))!;
  console.log(`${file}: ${(output.bytes / 1024).toFixed(1)} KiB from ${Object.keys(metafile.inputs).length} modules`);
}
