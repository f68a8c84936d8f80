import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startExamples } from "../src/examples.js";
import type { RunningExamples } from "../src/examples.js";
import { launchBrowser, needChromium, texts } from "./browser.js";
import { groupChatFlow, memberItem, roomItem } from "./flows/group-chat.js";

describe.runIf(needChromium())("group chat, in the browser", () => {
  let examples: RunningExamples;
  let browser: Browser;
  let app: string;
  beforeAll(async () => {
    [examples, browser] = await Promise.all([startExamples(), launchBrowser()]);
    app = `${examples.url}/group-chat/`;
  });
  afterAll(async () => {
    await browser?.close();
    await examples?.close();
  });

  test("members talk with unread counts and typing; a muted member cannot write; a kicked member loses the room; leaving", async () => {
    const { alice, bob, carol } = await groupChatFlow(browser, app);

    // Everyone still in the room has the same conversation.
    const said = ["Who is bringing the tent?", "I have one! And snacks.", "Perfect. Leaving Saturday at 9."];
    expect(await texts(alice, ".message .text")).toEqual(said);
    expect(await texts(carol, ".message .text")).toEqual(said);

    // bob lost the room at once: gone from his list, the reason on his page, and no new messages.
    expect(await bob.locator(".item[data-room]").count()).toBe(0);
    expect(await bob.locator(".messages").count()).toBe(0);
    await alice.getByLabel("Message Weekend trip").fill("See you all on Saturday!");
    await alice.getByLabel("Message Weekend trip").press("Enter");
    await carol.locator(".message.theirs", { hasText: "See you all on Saturday!" }).waitFor();
    expect(await bob.getByText("See you all on Saturday!").count()).toBe(0);

    // The members list: bob is gone; carol is marked muted, and her page offers no composer.
    await memberItem(alice, "bob").waitFor({ state: "detached" });
    expect(await texts(alice, ".member .name")).toEqual(["alice (you)", "carol", "dave"]);
    expect(await alice.locator(".pane-head .sub").textContent()).toBe("3 members · 2 online");
    expect(await memberItem(alice, "carol").locator(".sub").textContent()).toContain("muted");
    expect(await carol.getByLabel("Message Weekend trip").isVisible()).toBe(false);

    // A reload changes nothing: the server no longer counts bob in; alice keeps her history.
    await bob.reload();
    await bob.getByText("No rooms yet").waitFor();
    await alice.reload();
    await alice.locator(".message", { hasText: "See you all on Saturday!" }).waitFor();
    await roomItem(alice, "Weekend trip").waitFor();
    expect(await texts(alice, ".message .text")).toEqual([...said, "See you all on Saturday!"]);

    // Invited back, bob has the room again, with what was said while he was out.
    await alice.getByLabel("Invite someone").fill("bob");
    await alice.getByRole("button", { name: "Invite", exact: true }).click();
    await roomItem(bob, "Weekend trip").click();
    await bob.locator(".message", { hasText: "See you all on Saturday!" }).waitFor();
    expect(await texts(bob, ".message .text")).toEqual([...said, "See you all on Saturday!"]);

    // carol leaves: the room goes from her page, and alice sees her go.
    await carol.getByRole("button", { name: "Leave room" }).click();
    await roomItem(carol, "Weekend trip").waitFor({ state: "detached" });
    await alice.locator(".system", { hasText: "carol left" }).waitFor();
    await memberItem(alice, "carol").waitFor({ state: "detached" });
    expect(await texts(alice, ".member .name")).toEqual(["alice (you)", "bob", "dave"]);
  });
});
