import type { Browser, Page } from "playwright-core";
import { DESKTOP, person, screen, signIn } from "../browser.js";
import type { Size } from "../browser.js";

/** The people of the React flow: alice makes the room with bob. */
export interface ReactChatScene {
  alice: Page;
  bob: Page;
}

/** `page`'s entry for the room named `name` in the rooms list. */
export const roomItem = (page: Page, name: string) => page.locator(".item[data-room]", { hasText: name });

/** Types `text` into the open room's message box and sends it with Enter. */
export async function say(page: Page, room: string, text: string): Promise<void> {
  await screen(page, "chat");
  await page.getByLabel(`Message ${room}`).fill(text);
  await page.getByLabel(`Message ${room}`).press("Enter");
}

/**
 * The React page's flow, both at `size`: alice makes a room with bob and writes; bob has an
 * unread count on it, opens it (the count goes), sees who is online and that alice types, and answers.
 */
export async function reactChatFlow(browser: Browser, appUrl: string, size: Size = DESKTOP): Promise<ReactChatScene> {
  const [aliceContext, bobContext] = await Promise.all([person(browser, size), person(browser, size)]);
  const alice = await signIn(aliceContext, appUrl, "alice");
  const bob = await signIn(bobContext, appUrl, "bob");

  await alice.getByText("No rooms yet").waitFor();
  await alice.getByLabel("New room").fill("Weekend trip");
  await alice.getByLabel("With (names, comma-separated)").fill("bob");
  await alice.getByRole("button", { name: "Create room" }).click();
  await say(alice, "Weekend trip", "Who is bringing the tent?");
  await say(alice, "Weekend trip", "I can bring snacks.");
  await alice.locator(".message.mine", { hasText: "I can bring snacks." }).waitFor();

  // bob was added: the room is on his list with its two unread messages; opening it reads them.
  await roomItem(bob, "Weekend trip").locator(".badge", { hasText: "2" }).waitFor();
  await roomItem(bob, "Weekend trip").click();
  await bob.locator(".message.theirs", { hasText: "Who is bringing the tent?" }).waitFor();
  await roomItem(bob, "Weekend trip").locator(".badge").waitFor({ state: "detached" });

  // Who is online among the members, and who is typing.
  await screen(alice, "people");
  await alice.locator(".section-title", { hasText: "2 members · 2 online" }).waitFor();
  await screen(alice, "chat");
  await bob.getByLabel("Message Weekend trip").pressSequentially("I have one");
  await alice.locator(".typing-line", { hasText: "bob is typing…" }).waitFor();
  await bob.getByLabel("Message Weekend trip").press("Enter");
  await alice.locator(".message.theirs", { hasText: "I have one" }).waitFor();
  return { alice, bob };
}
