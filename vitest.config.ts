import { fileURLToPath } from "node:url";
import { configDefaults, defineConfig } from "vitest/config";

const src = (path: string) => fileURLToPath(new URL(`./packages/${path}`, import.meta.url));

// Tests import each package's source, so no build is needed before `npm test`.
const alias = [
  { find: /^@roomkit\/protocol$/, replacement: src("protocol/src/index.ts") },
  { find: /^@roomkit\/server\/testing$/, replacement: src("server/src/testing/index.ts") },
  { find: /^@roomkit\/server\/metrics$/, replacement: src("server/src/metrics/index.ts") },
  { find: /^@roomkit\/server$/, replacement: src("server/src/index.ts") },
  { find: /^@roomkit\/client$/, replacement: src("client/src/index.ts") },
  { find: /^@roomkit\/redis$/, replacement: src("redis/src/index.ts") },
  { find: /^@roomkit\/postgres$/, replacement: src("postgres/src/index.ts") },
  { find: /^@roomkit\/testing$/, replacement: src("testing/src/index.ts") },
  { find: /^@roomkit\/react$/, replacement: src("react/src/index.ts") },
];

/** Each example's own `test/` folder (not the launcher's browser tests, not the kit's): server tests, run without Chromium. */
const EXAMPLE_SERVER_TESTS = "{direct-messages,live-broadcast,group-chat}/test/**/*.test.ts";

const project = (name: string, extra: Record<string, unknown> = {}) => ({
  extends: true as const,
  test: {
    name,
    include: [`packages/${name}/test/**/*.test.ts`, `packages/${name}/src/**/*.test.ts`],
    typecheck: { enabled: true, include: [`packages/${name}/test/**/*.test-d.ts`], tsconfig: "./tsconfig.test.json" },
    ...extra,
  },
});

export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      project("protocol"),
      project("server"),
      project("client"),
      project("redis"),
      project("postgres"),
      project("testing"),
      // The hooks render in a DOM (happy-dom) against real servers; the SSR test opts back into node.
      project("react", {
        include: ["packages/react/test/**/*.test.{ts,tsx}"],
        environment: "happy-dom",
      }),
      { extends: true, test: { name: "bench", include: ["bench/test/**/*.test.ts"], testTimeout: 30_000 } },
      // The example apps' servers, tested with @roomkit/testing: no browser, no page build.
      { extends: true, test: { name: "example-servers", include: [`examples/${EXAMPLE_SERVER_TESTS}`] } },
      { extends: true, test: { name: "scripts", include: ["scripts/test/**/*.test.ts"] } },
      // The example apps, driven in Chromium; their pages are built once per run (examples/README.md).
      {
        extends: true,
        test: {
          name: "examples",
          include: ["examples/*/test/**/*.test.ts"],
          exclude: [...configDefaults.exclude, `examples/${EXAMPLE_SERVER_TESTS}`],
          globalSetup: ["examples/launcher/test/global-setup.ts"],
          testTimeout: 60_000,
        },
      },
    ],
    reporters: ["default", "./scripts/summary-reporter.ts"],
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
});
