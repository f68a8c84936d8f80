import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startExamples } from "../src/examples.js";
import type { RunningExamples } from "../src/examples.js";
import { launchBrowser, needChromium, person, signIn, texts } from "./browser.js";
import { liveBroadcastFlow, tally } from "./flows/live-broadcast.js";

const announcements = [
  "Q&A after the demo. Send us your reactions!",
  "We are live: Roomkit 1.0 is out today.", "Welcome to the launch! Doors open in 5 minutes.",
];

describe.runIf(needChromium())("live broadcast, in the browser", () => {
  let examples: RunningExamples;
  let browser: Browser;
  let app: string;
  beforeAll(async () => {
    [examples, browser] = await Promise.all([startExamples(), launchBrowser()]);
    app = `${examples.url}/live-broadcast/`;
  });
  afterAll(async () => {
    await browser?.close();
    await examples?.close();
  });

  test("viewers receive the announcements live, are counted, react, and cannot post", async () => {
    const { maya, leo, sam } = await liveBroadcastFlow(browser, app);

    // Both viewers have the announcements, newest first; nobody has leo's refused post.
    for (const page of [maya, leo, sam]) expect(await texts(page, ".announcement .text")).toEqual(announcements);
    for (const page of [maya, leo, sam]) expect(await page.getByText("Can I say something?", { exact: true }).count()).toBe(0);

    // leo's page says why: only announcers post, and the server's refusal.
    const refusal = await leo.locator(".refusal").textContent();
    expect(refusal).toContain("only announcers can post");
    expect(refusal).toContain("FORBIDDEN");

    // Viewers get no publisher; maya sees her audience; sam's reactions reached everyone.
    expect(await leo.getByLabel("Announce to everyone watching").count()).toBe(0);
    expect(await maya.locator(".count").textContent()).toContain("2 watching");
    expect(await tally(sam, "🎉").textContent()).toBe("2");
    expect(await tally(maya, "❤️").textContent()).toBe("1");

    // A late viewer gets the history, and is counted.
    const zoe = await signIn(await person(browser), app, "zoe");
    await zoe.locator(".announcement").nth(2).waitFor();
    expect(await texts(zoe, ".announcement .text")).toEqual(announcements);
    await maya.locator(".count", { hasText: "3 watching" }).waitFor();
    await zoe.locator(".side .member").nth(3).waitFor();
    expect(await texts(zoe, ".side .member .name")).toEqual(["maya", "leo", "sam", "zoe (you)"]);
  });
});
