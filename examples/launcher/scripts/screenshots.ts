import { execFileSync } from "node:child_process";
import { mkdir } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import type { Browser, Page } from "playwright-core";
import { buildExamples } from "../src/build.js";
import { startExamples } from "../src/examples.js";
import { SIZES, launchBrowser, needChromium, screen } from "../test/browser.js";
import type { Size } from "../test/browser.js";
import { act, edit, messageIn, openThread, reply } from "../test/flows/changes.js";
import { directMessagesFlow } from "../test/flows/direct-messages.js";
import { groupChatFlow } from "../test/flows/group-chat.js";
import { liveBroadcastFlow } from "../test/flows/live-broadcast.js";
import { reactChatFlow } from "../test/flows/react-chat.js";

// `npm run screenshots`: drives the browser tests' flows at each size and saves one person's view
// of each app to docs/images/: `<name>.png` (desktop, 1200x800) and `<name>-phone.png` (390x844),
// for the READMEs. On a phone the view is the conversation (the screen the flow ends on there).
const images = fileURLToPath(new URL("../../../docs/images/", import.meta.url));
const shots: { name: string; take: (browser: Browser, url: string, size: Size) => Promise<Page> }[] = [
  {
    name: "direct-messages",
    take: async (browser, url, size) => {
      const { alice, bob } = await directMessagesFlow(browser, url, size);
      // Messages that change: bob's reaction and reply, alice's edit.
      await screen(alice, "chat");
      await act(messageIn(bob, "The bay north of town."), "React 👍");
      await act(messageIn(bob, "look at this sunset"), "React ❤️");
      const thread = await openThread(bob, messageIn(bob, "Nice! Which one?"));
      await reply(thread, "The one with the lighthouse");
      await edit(alice, messageIn(alice, "Nice! Which one?"), "Nice! Which beach?");
      await messageIn(alice, "Which beach?").locator(".thread-link").waitFor();
      await messageIn(alice, "look at this sunset").locator(".chip").waitFor();
      return alice;
    },
  },
  { name: "live-broadcast", take: async (browser, url, size) => (await liveBroadcastFlow(browser, url, size)).leo },
  {
    name: "group-chat",
    take: async (browser, url, size) => {
      const { alice, carol } = await groupChatFlow(browser, url, size);
      // Messages that change: reactions, an edit, and a thread ("1 reply").
      await screen(alice, "chat");
      await act(messageIn(alice, "I have one! And snacks."), "React 🎉");
      await act(messageIn(alice, "Who is bringing the tent?"), "React 👍");
      await edit(alice, messageIn(alice, "Leaving Saturday at 9."), "Perfect. Leaving Saturday at 9:30.");
      const thread = await openThread(alice, messageIn(alice, "I have one! And snacks."));
      await reply(thread, "Great, thanks carol!");
      await messageIn(carol, "I have one!").locator(".thread-link").waitFor();
      await thread.getByRole("button", { name: "Close thread" }).click();
      return alice;
    },
  },
  { name: "react-chat", take: async (browser, url, size) => (await reactChatFlow(browser, url, size)).alice },
];
/** The screen each phone shot shows: the conversation, or the feed. */
const PHONE_SCREEN: Record<string, string> = {
  "direct-messages": "chat",
  "live-broadcast": "feed",
  "group-chat": "chat",
  "react-chat": "chat",
};

if (!needChromium()) process.exit(1);
try {
  if (!execFileSync("fc-list", [], { encoding: "utf8" }).includes("Emoji")) {
    console.warn("No colour emoji font: emoji will show as boxes (apt-get install fonts-noto-color-emoji).");
  }
} catch {
  // no fontconfig: nothing to check
}
await buildExamples();
const browser = await launchBrowser();
try {
  await mkdir(images, { recursive: true });
  for (const size of SIZES) {
    // Fresh apps for each size: the flows use the same names and rooms.
    const examples = await startExamples();
    try {
      for (const { name, take } of shots) {
        const page = await take(browser, `${examples.url}/${name}/`, size);
        if (size.name === "phone") await screen(page, PHONE_SCREEN[name]!);
        await page.mouse.move(0, 0); // no message hovered: its "⋯" hides
        await page.evaluate(async () => {
          (document.activeElement as HTMLElement | null)?.blur();
          await document.fonts.ready;
          // At the conversation's end, where the latest messages are (an edit scrolls to the message edited).
          for (const scroller of document.querySelectorAll(".pane > .scroller")) scroller.scrollTop = scroller.scrollHeight;
        });
        const file = `${name}${size.name === "phone" ? "-phone" : ""}.png`;
        await page.screenshot({ path: `${images}${file}` });
        console.log(`docs/images/${file}`);
        for (const context of browser.contexts()) await context.close();
      }
    } finally {
      await examples.close();
    }
  }
} finally {
  await browser.close();
}
