import type { Locator, Page } from "playwright-core";
import { startLink } from "../../../../packages/testing/src/link.js";
import type { Link } from "../../../../packages/testing/src/link.js";

// The steps on messages that change, shared by the direct-messages and group-chat tests: the
// "⋯" menu of a message (react, reply, edit, delete), its reaction chips and its thread.

/** The message saying `text` in the open conversation (not in a thread panel). */
export const messageIn = (page: Page, text: string | RegExp): Locator => page.locator(".pane > .scroller .message", { hasText: text });

/** The message at `seq` in the open conversation, whatever it says now. */
export const messageAt = (page: Page, seq: string): Locator => page.locator(`.pane > .scroller .message[data-seq="${seq}"]`);

/** The message's seq, to find it again once its text changed or went. */
export async function seqOf(message: Locator): Promise<string> {
  const seq = await message.getAttribute("data-seq");
  if (!seq) throw new Error("a message without data-seq");
  return seq;
}

/** Opens the message's "⋯" menu and picks `item` ("Edit", "Delete", "Reply in thread", "React 👍"). */
export async function act(message: Locator, item: string): Promise<void> {
  await message.hover();
  await message.getByRole("button", { name: "Message actions" }).click();
  await message
    .locator(".menu-pop")
    .getByRole(item.startsWith("React") ? "menuitemcheckbox" : "menuitem", { name: item, exact: true })
    .click();
}

/** The reaction chip `emoji` under the message. */
export const chip = (message: Locator, emoji: string): Locator => message.locator(`.chip[data-reaction="${emoji}"]`);

/** Waits until the message shows `emoji` counted `count` times, highlighted or not as the reader's own. */
export async function counted(message: Locator, emoji: string, count: number, mine: boolean): Promise<void> {
  await message.locator(`.chip${mine ? ".mine" : ":not(.mine)"}[data-reaction="${emoji}"]`, { hasText: String(count) }).waitFor();
}

/** Edits the message to say `text`, in its inline editor. */
export async function edit(page: Page, message: Locator, text: string): Promise<void> {
  await act(message, "Edit");
  const box = page.getByLabel("Edit message");
  await box.fill(text);
  await box.press("Enter");
  await box.waitFor({ state: "detached" });
}

/** Opens the message's thread, as its "N replies" button or its menu's "Reply in thread", and returns the panel. */
export async function openThread(page: Page, message: Locator): Promise<Locator> {
  const link = message.locator(".thread-link");
  if (await link.isVisible()) await link.click();
  else await act(message, "Reply in thread");
  const panel = page.locator(".thread");
  await panel.waitFor();
  return panel;
}

/** Writes a reply in the open thread panel, and waits for it there. */
export async function reply(panel: Locator, text: string): Promise<void> {
  const box = panel.getByLabel("Reply in thread");
  await box.fill(text);
  await box.press("Enter");
  await panel.locator(".replies .message", { hasText: text }).waitFor();
}

/**
 * A network path for one person that the test can take down: their pages load the app through
 * it, so `offline()` drops their connection and refuses new ones (the page retries, as on a
 * train in a tunnel) until `online()`. Playwright's `setOffline` leaves WebSockets open.
 */
export interface Tunnel {
  /** The app's URL through the tunnel. */
  url: string;
  offline(): void;
  online(): void;
  close(): Promise<void>;
}

export async function tunnel(appUrl: string): Promise<Tunnel> {
  const target = new URL(appUrl);
  const link: Link = await startLink(() => ({ host: "127.0.0.1", port: Number(target.port) }));
  return {
    url: `http://127.0.0.1:${link.port}${target.pathname}`,
    offline() {
      link.block(true);
      link.cut();
    },
    online: () => link.block(false),
    close: () => link.close(),
  };
}
