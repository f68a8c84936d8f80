import { fileURLToPath } from "node:url";
import { build } from "vite";

/** The apps, by their folder under examples/ (also their URL path on the launcher). */
export const EXAMPLE_NAMES = ["direct-messages", "live-broadcast", "group-chat", "react-chat"] as const;

/** Builds each app's page with Vite into its `dist/` (about a second for the three). */
export async function buildExamples(): Promise<void> {
  for (const name of EXAMPLE_NAMES) {
    await build({ configFile: fileURLToPath(new URL(`../../${name}/vite.config.ts`, import.meta.url)), logLevel: "warn" });
  }
}
