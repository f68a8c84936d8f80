import type { Browser, Page } from "playwright-core";
import { DESKTOP, person, screen, signIn, sunset } from "../browser.js";
import type { Size } from "../browser.js";

/** The people of the direct-messages flow, each a page signed in as them (bob has two tabs). */
export interface DirectMessagesScene {
  alice: Page;
  bob: Page;
  bobSecondTab: Page;
  carol: Page;
}

/** `page`'s entry for `peer` in the people list. */
export const personItem = (page: Page, peer: string) => page.locator(`.item[data-peer="${peer}"]`);

/** What alice and bob say before her picture: enough for the conversation to scroll. */
export const chatter = [
  ["bob", "Yes! Just got back from the beach 🌊"],
  ["alice", "Nice! Which one?"],
  ["bob", "The bay north of town."],
  ["alice", "How was it?"],
  ["bob", "Windy, but the water was warm."],
  ["bob", "We stayed until the sun went down."],
] as const;

/**
 * The one-to-one flow, everyone at `size`: alice writes to bob; bob (two tabs) sees an unread
 * badge, opens the conversation, types and answers; alice sends a picture; bob sees it; alice
 * sees "Seen"; carol writes to alice. Each step waits for what the person should see next; on a
 * phone, people move between the list and the conversation with the tab bar.
 */
export async function directMessagesFlow(browser: Browser, appUrl: string, size: Size = DESKTOP): Promise<DirectMessagesScene> {
  const [aliceContext, bobContext, carolContext] = await Promise.all([person(browser, size), person(browser, size), person(browser, size)]);
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
  for (const [who, text] of chatter) {
    const [from, to] = who === "bob" ? [bob, alice] : [alice, bob];
    await from.getByLabel(`Message ${who === "bob" ? "alice" : "bob"}`).fill(text);
    await from.getByLabel(`Message ${who === "bob" ? "alice" : "bob"}`).press("Enter");
    await to.locator(".message.theirs").filter({ hasText: text }).waitFor();
  }
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
  await screen(alice, "people");
  await personItem(alice, "carol").locator(".badge", { hasText: "1" }).waitFor();
  return { alice, bob, bobSecondTab, carol };
}
