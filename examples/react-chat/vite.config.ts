import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

// The page is public/index.html (its script is src/client.tsx), built into dist/ with relative
// asset URLs, so the server can serve it under any path. JSX needs no plugin: Vite compiles
// .tsx with React's automatic runtime.
export default defineConfig({
  root: here("./public"),
  base: "./",
  publicDir: false,
  logLevel: "warn",
  // Inside this repository, the packages are bundled from their source, so no package build is
  // needed first. In your own app, leave this out: they resolve from node_modules.
  resolve: {
    alias: [
      { find: /^@roomkit\/react$/, replacement: here("../../packages/react/src/index.ts") },
      { find: /^@roomkit\/client$/, replacement: here("../../packages/client/src/index.ts") },
      { find: /^@roomkit\/protocol$/, replacement: here("../../packages/protocol/src/index.ts") },
    ],
  },
  build: { outDir: here("./dist"), emptyOutDir: true, target: "es2022", reportCompressedSize: false },
});
