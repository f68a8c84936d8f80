import type { Browser, Page } from "playwright-core";
import { DESKTOP, person, screen, signIn } from "../browser.js";
import type { Size } from "../browser.js";

/** The people of the group-chat flow: alice owns the room, bob and carol are invited. */
export interface GroupChatScene {
  alice: Page;
  bob: Page;
  carol: Page;
}

/** `page`'s entry for the room named `name` in the rooms list. */
export const roomItem = (page: Page, name: string) => page.locator(".item[data-room]", { hasText: name });
/** `page`'s entry for `userId` in the open room's members list. */
export const memberItem = (page: Page, userId: string) => page.locator(`.member[data-member="${userId}"]`);

/** Invites `name` from the members panel (on a phone, the Members screen), and waits for them on the list. */
export async function invite(page: Page, name: string): Promise<void> {
  await screen(page, "members");
  await page.getByLabel("Invite someone").fill(name);
  await page.getByRole("button", { name: "Invite", exact: true }).click();
  await memberItem(page, name).waitFor();
  // The server's line for it, in the room's history (so unread counts below are exact).
  await page
    .locator(".system", { hasText: `added ${name}` })
    .last()
    .waitFor({ state: "attached" });
}

/**
 * The many-to-many flow, everyone at `size`: alice creates a private room and invites bob, carol
 * and dave (who is not signed in); they talk, with unread counts and typing; alice mutes carol,
 * then removes bob, who loses the room at once. On a phone, alice invites, mutes and removes on
 * the Members screen.
 */
export async function groupChatFlow(browser: Browser, appUrl: string, size: Size = DESKTOP): Promise<GroupChatScene> {
  const [aliceContext, bobContext, carolContext] = await Promise.all([person(browser, size), person(browser, size), person(browser, size)]);
  const alice = await signIn(aliceContext, appUrl, "alice");
  const bob = await signIn(bobContext, appUrl, "bob");
  const carol = await signIn(carolContext, appUrl, "carol");

  await alice.getByLabel("New private room").fill("Weekend trip");
  await alice.getByRole("button", { name: "Create" }).click();
  await screen(alice, "members");
  for (const name of ["bob", "carol", "dave"]) await invite(alice, name);
  // Who is online among the members: dave has not signed in.
  await memberItem(alice, "dave").filter({ hasText: "offline" }).waitFor();
  await screen(alice, "chat");
  await alice.locator(".pane-head .sub", { hasText: "4 members · 3 online" }).waitFor();

  // bob and carol see the room they were added to; bob writes in it, carol gets an unread count:
  // the server's lines since she was added count too ("alice added carol", "alice added dave").
  await roomItem(bob, "Weekend trip").click();
  await bob.getByLabel("Message Weekend trip").fill("Who is bringing the tent?");
  await bob.getByLabel("Message Weekend trip").press("Enter");
  await alice.locator(".message.theirs", { hasText: "Who is bringing the tent?" }).waitFor();
  await roomItem(carol, "Weekend trip").locator(".badge", { hasText: "3" }).waitFor();

  // carol opens it: she sees the history; she types (the others see it), then answers.
  await roomItem(carol, "Weekend trip").click();
  await carol.locator(".message.theirs", { hasText: "Who is bringing the tent?" }).waitFor();
  await roomItem(carol, "Weekend trip").locator(".badge").waitFor({ state: "detached" });
  await carol.getByLabel("Message Weekend trip").pressSequentially("I");
  await alice.locator(".typing-line", { hasText: "carol is typing…" }).waitFor();
  await carol.getByLabel("Message Weekend trip").fill("I have one! And snacks.");
  await carol.getByLabel("Message Weekend trip").press("Enter");
  await bob.locator(".message.theirs", { hasText: "I have one! And snacks." }).waitFor();
  await alice.getByLabel("Message Weekend trip").fill("Perfect. Leaving Saturday at 9.");
  await alice.getByLabel("Message Weekend trip").press("Enter");
  await carol.locator(".message.theirs", { hasText: "Leaving Saturday at 9." }).waitFor();

  // alice (the owner) mutes carol: carol's page says so instead of offering to write.
  await screen(alice, "members");
  await alice.getByRole("button", { name: "Mute carol" }).click();
  await carol.getByText("You are muted in this room").waitFor();
  await memberItem(alice, "carol").locator(".muted-flag").waitFor();

  // alice removes bob: the room leaves his page at once, and he is told.
  await alice.getByRole("button", { name: "Remove bob" }).click();
  await roomItem(bob, "Weekend trip").waitFor({ state: "detached" });
  await bob.getByRole("alert").filter({ hasText: "You were removed from “Weekend trip” by alice." }).waitFor();
  await screen(alice, "chat");
  await alice.locator(".system", { hasText: "alice removed bob" }).waitFor();
  return { alice, bob, carol };
}
