import { expect, test } from "vitest";
import { RAW_CODE, describeInBrowser, misfits, screen, texts } from "./browser.js";
import { reactChatFlow, roomItem, say } from "./flows/react-chat.js";

describeInBrowser("react chat, in the browser", "react-chat", (t) => {
  test("a room with unread counts, typing and who is online; edits, reactions and deletes reach the other page; a reload keeps them; a name that is no user id gets a sentence", async () => {
    const { alice, bob } = await reactChatFlow(t.browser, t.app, t.size);
    const said = ["Who is bringing the tent?", "I can bring snacks.", "I have one"];
    expect(await texts(alice, ".message .text")).toEqual(said);
    expect(await texts(bob, ".message .text")).toEqual(said);
    await alice.getByText("bob is typing…").waitFor({ state: "detached" });
    if (t.size.name === "phone") for (const page of [alice, bob]) expect(await misfits(page)).toEqual([]);

    // Changes reach the other page in place: alice edits her message, bob reacts to it, alice
    // deletes the other one; the rows stay in order, and a reload shows them as they are now.
    const snacks = alice.locator(".message.mine", { hasText: "I can bring snacks." });
    await snacks.getByRole("button", { name: "Edit" }).click();
    await alice.getByLabel("Edit message").fill("I can bring snacks and a stove.");
    await alice.getByRole("button", { name: "Save" }).click();
    await screen(bob, "chat");
    const edited = bob.locator(".message.theirs", { hasText: "I can bring snacks and a stove." });
    await edited.locator(".meta", { hasText: "edited" }).waitFor();
    await edited.getByRole("button", { name: "👍 0" }).click();
    await alice.locator(".message.mine", { hasText: "and a stove" }).getByRole("button", { name: "👍 1" }).waitFor();
    await alice.locator(".message.mine", { hasText: "Who is bringing the tent?" }).getByRole("button", { name: "Delete" }).click();
    // Bob's push and alice's ack travel apart: wait for the tombstone on both pages.
    for (const page of [bob, alice]) await page.locator(".message.deleted").waitFor();
    const now = ["I can bring snacks and a stove.", "I have one"];
    expect(await texts(bob, ".message:not(.deleted) .text")).toEqual(now);
    expect(await texts(alice, ".message:not(.deleted) .text")).toEqual(now);
    // Someone else's message offers no edit or delete.
    expect(await edited.getByRole("button", { name: "Edit" }).count()).toBe(0);

    // A reload: the page connects again and shows the same history, as it is now.
    await bob.reload();
    await roomItem(bob, "Weekend trip").click();
    await bob.locator(".message", { hasText: "I have one" }).waitFor();
    expect(await texts(bob, ".message .text")).toEqual(["Message deleted", ...now]);
    await bob.locator(".message", { hasText: "and a stove" }).getByRole("button", { name: "👍 1" }).waitFor();

    // Adding someone who is not a user id: a sentence, no code.
    await screen(alice, "people");
    await alice.getByLabel("Add someone").fill("dave smith");
    await alice.getByRole("button", { name: "Add", exact: true }).click();
    await alice.getByRole("alert").filter({ hasText: "“dave smith” is not a name here." }).waitFor();
    expect(await alice.locator("body").innerText()).not.toMatch(RAW_CODE);
    await alice.getByLabel("Add someone").fill("dave");
    await alice.getByRole("button", { name: "Add", exact: true }).click();
    await alice.locator('.member[data-member="dave"]').waitFor();

    // bob's next message reaches alice while her page stays open on the room.
    await say(bob, "Weekend trip", "See you Saturday!");
    await screen(alice, "chat");
    await alice.locator(".message.theirs", { hasText: "See you Saturday!" }).waitFor();
  });
});
