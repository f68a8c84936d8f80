import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

// The page is public/index.html (its script is src/client.ts), built into dist/ with relative
// asset URLs, so the server can serve it under any path.
export default defineConfig({
  root: here("./public"),
  base: "./",
  publicDir: false,
  logLevel: "warn",
  // Inside this repository, the SDK is bundled from its source, so no package build is needed
  // first. In your own app, leave this out: `@roomkit/client` resolves from node_modules.
  resolve: {
    alias: [
      { find: /^@roomkit\/client$/, replacement: here("../../packages/client/src/index.ts") },
      { find: /^@roomkit\/protocol$/, replacement: here("../../packages/protocol/src/index.ts") },
    ],
  },
  build: { outDir: here("./dist"), emptyOutDir: true, target: "es2022", reportCompressedSize: false },
});
