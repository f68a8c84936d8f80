import type { Page } from "playwright-core";
import { expect, test } from "vitest";
import { RAW_CODE, describeInBrowser, misfits, person, screen, signIn, texts } from "./browser.js";
import { liveBroadcastFlow, tally } from "./flows/live-broadcast.js";

const announcements = [
  "Q&A after the demo. Send us your reactions!",
  "We are live: Roomkit 1.0 is out today.",
  "Welcome to the launch! Doors open in 5 minutes.",
];

/** The number in the header's "N watching", and the names in the audience list beside it. */
async function audience(page: Page): Promise<{ count: number; listed: string[] }> {
  const count = Number(/(\d+) watching/.exec((await page.locator(".count").textContent()) ?? "")?.[1]);
  return { count, listed: await texts(page, ".side .member .name") };
}

describeInBrowser("live broadcast, in the browser", "live-broadcast", (t) => {
  test("viewers receive the announcements live, are counted, react (kept across a reload), and cannot post", async () => {
    const { maya, leo, sam } = await liveBroadcastFlow(t.browser, t.app, t.size);

    // Both viewers have the announcements, newest first; nobody has leo's refused post.
    for (const [who, page] of Object.entries({ maya, leo, sam }))
      expect(await texts(page, ".announcement .text"), who).toEqual(announcements);
    for (const page of [maya, leo, sam]) expect(await page.getByText("Can I say something?", { exact: true }).count()).toBe(0);

    // leo's page says why, in a sentence: no error code, no server text.
    const refusal = await leo.locator(".refusal").textContent();
    expect(refusal).toBe("Not posted: Only announcers can post in this broadcast. You can react instead.");
    expect(await leo.locator("body").innerText()).not.toMatch(RAW_CODE);

    // Viewers get no publisher; the header counts the people the list shows; the reactions reached everyone.
    expect(await leo.getByLabel("Announce to everyone watching").count()).toBe(0);
    expect(await audience(maya)).toEqual({ count: 3, listed: ["maya (you)", "leo", "sam"] });
    await expect.poll(() => tally(sam, "🎉").textContent()).toBe("2");
    expect(await tally(maya, "❤️").textContent()).toBe("1");

    // The reactions are stored: after a reload sam has the counts, and his own are still his.
    await sam.reload();
    const latest = sam.locator(".announcement.latest");
    await latest.locator('.chip.mine[data-reaction="🎉"]', { hasText: "2" }).waitFor({ state: "attached" });
    await latest.locator('.chip.mine[data-reaction="❤️"]', { hasText: "1" }).waitFor({ state: "attached" });
    await sam.getByRole("button", { name: "React 🎉", pressed: true }).waitFor({ state: "attached" });
    // Taking one back: everyone's count goes down.
    await sam.getByRole("button", { name: "React 🎉" }).click();
    await screen(maya, "audience");
    await tally(maya, "🎉").filter({ hasText: "1" }).waitFor();
    await maya.locator('.announcement.latest .chip[data-reaction="🎉"]', { hasText: "1" }).waitFor({ state: "attached" });
    expect(await tally(sam, "❤️").textContent()).toBe("1");

    // A late viewer gets the history with its counts, and is counted.
    const zoe = await signIn(await person(t.browser, t.size), t.app, "zoe");
    await zoe.locator(".announcement").nth(2).waitFor();
    expect(await texts(zoe, ".announcement .text")).toEqual(announcements);
    await zoe.locator('.announcement.latest .chip:not(.mine)[data-reaction="❤️"]', { hasText: "1" }).waitFor({ state: "attached" });
    await maya.locator(".count", { hasText: "4 watching" }).waitFor();
    await screen(zoe, "audience");
    await zoe.locator(".side .member").nth(3).waitFor();
    expect(await audience(zoe)).toEqual({ count: 4, listed: ["maya", "leo", "sam", "zoe (you)"] });

    if (t.size.name === "phone") {
      // Every screen fits: the publisher, the viewer's post and reactions, the audience.
      for (const page of [maya, leo]) expect(await misfits(page)).toEqual([]);
      await screen(maya, "feed");
      await maya.getByRole("button", { name: "Publish" }).waitFor();
      expect(await maya.locator('.tabbar [data-screen="audience"] .badge').textContent()).toBe("4");
    }
  });
});
