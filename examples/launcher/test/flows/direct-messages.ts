import type { Browser, Page } from "playwright-core";
import { person, signIn, sunset } from "../browser.js";

/** The people of the direct-messages flow, each a page signed in as them (bob has two tabs). */
export interface DirectMessagesScene {
  alice: Page;
  bob: Page;
  bobSecondTab: Page;
  carol: Page;
}

/** `page`'s entry for `peer` in the people list. */
export const personItem = (page: Page, peer: string) => page.locator(`.item[data-peer="${peer}"]`);

/**
 * The one-to-one flow: alice writes to bob; bob (two tabs) sees an unread badge, opens the
 * conversation, types and answers; alice sends a picture; bob sees it; alice sees "Seen";
 * carol writes to alice. Each step waits for what the person should see next.
 */
export async function directMessagesFlow(browser: Browser, appUrl: string): Promise<DirectMessagesScene> {
  const [aliceContext, bobContext, carolContext] = await Promise.all([person(browser), person(browser), person(browser)]);
  const alice = await signIn(aliceContext, appUrl, "alice");
  const bob = await signIn(bobContext, appUrl, "bob");
  const carol = await signIn(carolContext, appUrl, "carol");

  // alice sees bob online and writes to him.
  await personItem(alice, "bob").filter({ hasText: "online" }).waitFor();
  await personItem(alice, "bob").click();
  await alice.getByLabel("Message bob").fill("Hi Bob! Are you around?");
  await alice.getByLabel("Message bob").press("Enter");
  await alice.locator(".message.mine").filter({ hasText: "Are you around?" }).waitFor();

  // bob has not opened the conversation: a badge says one unread. His second tab says so too.
  await personItem(bob, "alice").locator(".badge", { hasText: "1" }).waitFor();
  const bobSecondTab = await signIn(bobContext, appUrl, "bob");
  await personItem(bobSecondTab, "alice").locator(".badge", { hasText: "1" }).waitFor();

  // bob opens it: he reads it, alice sees "Seen", and bob's other tab drops the badge.
  await personItem(bob, "alice").click();
  await bob.locator(".message.theirs").filter({ hasText: "Are you around?" }).waitFor();
  await alice.locator(".message.mine .receipt.seen").waitFor();
  await personItem(bobSecondTab, "alice").locator(".badge").waitFor({ state: "detached" });

  // bob types: alice sees it; then he answers.
  await bob.getByLabel("Message alice").pressSequentially("Yes");
  await alice.locator(".pane-head .sub", { hasText: "typing…" }).waitFor();
  await bob.getByLabel("Message alice").fill("Yes! Just got back from the beach 🌊");
  await bob.getByLabel("Message alice").press("Enter");
  await alice.locator(".message.theirs").filter({ hasText: "Just got back" }).waitFor();
  await alice.locator(".pane-head .sub", { hasText: "online" }).waitFor();

  // alice sends a picture: a preview first, then the message with the image.
  await alice.locator("#image").setInputFiles({ name: "sunset.png", mimeType: "image/png", buffer: sunset() });
  await alice.locator(".composer .preview img").waitFor();
  await alice.getByLabel("Message bob").fill("Same here, look at this sunset");
  await alice.getByRole("button", { name: "Send" }).click();
  await bob.locator(".message.theirs img.attachment").waitFor();
  await alice.locator(".message.mine").last().locator(".receipt.seen").waitFor();

  // carol writes to alice, who has bob's conversation open: a badge on carol.
  await personItem(carol, "alice").click();
  await carol.getByLabel("Message alice").fill("Lunch at 1?");
  await carol.getByLabel("Message alice").press("Enter");
  await personItem(alice, "carol").locator(".badge", { hasText: "1" }).waitFor();
  return { alice, bob, bobSecondTab, carol };
}
