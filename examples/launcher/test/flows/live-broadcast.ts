import type { Browser, Page } from "playwright-core";
import { DESKTOP, person, screen, signIn } from "../browser.js";
import type { Size } from "../browser.js";

/** The people of the live-broadcast flow: one announcer and two viewers. */
export interface LiveBroadcastScene {
  maya: Page;
  leo: Page;
  sam: Page;
}

/** The text of the tally under `emoji` on `page`. */
export const tally = (page: Page, emoji: string) => page.locator(".tally div", { hasText: emoji }).locator("small");

/**
 * The one-to-many flow, everyone at `size`: maya announces; the viewers leo and sam get it live
 * and are counted; leo tries to post and is refused, with the reason on his page; sam and leo
 * react to the latest announcement and everyone sees the counts (on a phone, on the Audience screen).
 */
export async function liveBroadcastFlow(browser: Browser, appUrl: string, size: Size = DESKTOP): Promise<LiveBroadcastScene> {
  const [mayaContext, leoContext, samContext] = await Promise.all([person(browser, size), person(browser, size), person(browser, size)]);
  const maya = await signIn(mayaContext, appUrl, "maya", "Announcer");
  const leo = await signIn(leoContext, appUrl, "leo");
  const sam = await signIn(samContext, appUrl, "sam");

  // maya sees her audience (herself included, as in the list); the viewers see that she is on air.
  await maya.locator(".count", { hasText: "3 watching" }).waitFor();
  await leo.locator(".live-pill.on", { hasText: "LIVE" }).waitFor();

  for (const text of [
    "Welcome to the launch! Doors open in 5 minutes.",
    "We are live: Roomkit 1.0 is out today.",
    "Q&A after the demo. Send us your reactions!",
  ]) {
    await maya.getByLabel("Announce to everyone watching").fill(text);
    await maya.getByRole("button", { name: "Publish" }).click();
    await maya.locator(".announcement.latest", { hasText: text }).waitFor();
  }
  for (const viewer of [leo, sam]) await viewer.locator(".announcement.latest", { hasText: "Send us your reactions!" }).waitFor();

  // leo tries to post: the server refuses, and his page says why.
  await leo.getByLabel("Post to the broadcast").fill("Can I say something?");
  await leo.getByRole("button", { name: "Post", exact: true }).click();
  await leo.getByRole("alert").filter({ hasText: "Only announcers can post" }).waitFor();

  // sam and leo react to the latest announcement: stored reactions, one of each per person, counted for everyone.
  await sam.getByRole("button", { name: "React 🎉" }).click();
  await sam.getByRole("button", { name: "React ❤️" }).click();
  await sam.getByRole("button", { name: "React 🎉", pressed: true }).waitFor();
  await leo.getByRole("button", { name: "React 🎉" }).click();
  for (const page of [maya, leo]) {
    await screen(page, "audience");
    await tally(page, "🎉").filter({ hasText: "2" }).waitFor();
    await tally(page, "❤️").filter({ hasText: "1" }).waitFor();
  }
  return { maya, leo, sam };
}
