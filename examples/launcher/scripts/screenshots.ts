import { execFileSync } from "node:child_process";
import { mkdir } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import type { Browser, Page } from "playwright-core";
import { buildExamples } from "../src/build.js";
import { startExamples } from "../src/examples.js";
import { launchBrowser, needChromium } from "../test/browser.js";
import { directMessagesFlow } from "../test/flows/direct-messages.js";
import { groupChatFlow } from "../test/flows/group-chat.js";
import { liveBroadcastFlow } from "../test/flows/live-broadcast.js";

// `npm run screenshots`: drives the browser tests' flows and saves one view of each app (1200x800)
// to docs/images/, for the README.
const images = fileURLToPath(new URL("../../../docs/images/", import.meta.url));
const shots: { name: string; take: (browser: Browser, url: string) => Promise<Page> }[] = [
  { name: "direct-messages", take: async (browser, url) => (await directMessagesFlow(browser, url)).alice },
  { name: "live-broadcast", take: async (browser, url) => (await liveBroadcastFlow(browser, url)).leo },
  { name: "group-chat", take: async (browser, url) => (await groupChatFlow(browser, url)).alice },
];

if (!needChromium()) process.exit(1);
try {
  if (!execFileSync("fc-list", [], { encoding: "utf8" }).includes("Emoji")) {
    console.warn("No colour emoji font: emoji will show as boxes (apt-get install fonts-noto-color-emoji).");
  }
} catch {
  // no fontconfig: nothing to check
}
await buildExamples();
const examples = await startExamples();
const browser = await launchBrowser();
try {
  await mkdir(images, { recursive: true });
  for (const { name, take } of shots) {
    const page = await take(browser, `${examples.url}/${name}/`);
    await page.evaluate(async () => {
      (document.activeElement as HTMLElement | null)?.blur();
      await document.fonts.ready;
    });
    await page.screenshot({ path: `${images}${name}.png` });
    console.log(`docs/images/${name}.png`);
    for (const context of browser.contexts()) await context.close();
  }
} finally {
  await browser.close();
  await examples.close();
}
