import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startExamples } from "../src/examples.js";
import type { RunningExamples } from "../src/examples.js";
import { launchBrowser, needChromium, person, texts } from "./browser.js";
import { directMessagesFlow, personItem } from "./flows/direct-messages.js";

const conversation = ["Hi Bob! Are you around?", "Yes! Just got back from the beach 🌊", "Same here, look at this sunset"];

describe.runIf(needChromium())("direct messages, in the browser", () => {
  let examples: RunningExamples;
  let browser: Browser;
  let app: string;
  beforeAll(async () => {
    [examples, browser] = await Promise.all([startExamples(), launchBrowser()]);
    app = `${examples.url}/direct-messages/`;
  });
  afterAll(async () => {
    await browser?.close();
    await examples?.close();
  });

  test("a DM with an image arrives and shows seen; badges, typing, a second tab and a reload keep up", async () => {
    const { alice, bob, bobSecondTab } = await directMessagesFlow(browser, app);

    // bob sees the whole conversation, the picture decoded from the bytes that came as binary.
    expect(await texts(bob, ".message .text")).toEqual(conversation);
    const picture = bob.locator(".message.theirs img.attachment");
    expect(await picture.getAttribute("src")).toMatch(/^blob:/);
    await bob.waitForFunction(() => document.querySelector<HTMLImageElement>(".message.theirs img.attachment")?.naturalWidth === 360);

    // alice sees "Seen" under her picture, and carol's message waiting as one unread.
    expect(await alice.locator(".message.mine").last().locator(".receipt").textContent()).toBe("Seen");
    expect(await alice.locator(".message.mine").last().locator("img.attachment").getAttribute("src")).toMatch(/^blob:/);
    expect(await personItem(alice, "carol").locator(".badge").textContent()).toBe("1");

    // bob's second tab has the same conversation, read (its badge went when the first tab read it).
    await personItem(bobSecondTab, "alice").locator(".badge").waitFor({ state: "detached" });
    await personItem(bobSecondTab, "alice").click();
    await bobSecondTab.locator(".message.theirs img.attachment").waitFor();
    expect(await texts(bobSecondTab, ".message .text")).toEqual(conversation);

    // After a reload, alice has her history, the picture, "Seen", and carol's unread badge.
    await alice.reload();
    await alice.locator(".message.mine img.attachment").waitFor();
    await alice.locator(".message.mine").last().locator(".receipt.seen").waitFor();
    expect(await texts(alice, ".message .text")).toEqual(conversation);
    await personItem(alice, "carol").locator(".badge", { hasText: "1" }).waitFor();
  });

  test("a name that is not a valid user id is refused with a clear message", async () => {
    const page = await (await person(browser)).newPage();
    await page.goto(app);
    await page.getByLabel("Your name").fill("alice smith");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("alert").filter({ hasText: "no spaces" }).waitFor();
    expect(await page.locator(".layout").count()).toBe(0);
  });
});
