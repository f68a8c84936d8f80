import { existsSync } from "node:fs";
import { buildExamples } from "../src/build.js";
import { CHROMIUM } from "./browser.js";

/** Builds the three pages once for the run (a second or so), so the tests always serve the current code. */
export default async function setup(): Promise<void> {
  if (existsSync(CHROMIUM)) await buildExamples();
}
