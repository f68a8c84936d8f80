import { expect, test } from "vitest";
import { RAW_CODE, describeInBrowser, misfits, screen, texts } from "./browser.js";
import { groupChatFlow, invite, memberItem, roomItem } from "./flows/group-chat.js";

describeInBrowser("group chat, in the browser", "group-chat", (t) => {
  test("members talk with unread counts and typing; a muted member cannot write; a kicked member loses the room; leaving", async () => {
    const { alice, bob, carol } = await groupChatFlow(t.browser, t.app, t.size);

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
    if (t.size.name === "phone") for (const page of [alice, carol]) expect(await misfits(page)).toEqual([]);

    // A reload changes nothing: the server no longer counts bob in; alice keeps her history,
    // membership lines included (they are messages from the server, not only live pushes).
    await bob.reload();
    await bob.getByText("No rooms yet").waitFor();
    await alice.reload();
    await alice.locator(".message", { hasText: "See you all on Saturday!" }).waitFor();
    expect(await texts(alice, ".message .text")).toEqual([...said, "See you all on Saturday!"]);
    expect(await texts(alice, ".system")).toEqual([
      "you created the room",
      "alice added bob",
      "alice added carol",
      "alice added dave",
      "alice muted carol",
      "alice removed bob",
    ]);
    await screen(alice, "rooms");
    await roomItem(alice, "Weekend trip").click();

    // A name that is no user id: a sentence, no code and no server text; the next success clears it.
    await screen(alice, "members");
    await alice.getByLabel("Invite someone").fill("bob smith");
    await alice.getByRole("button", { name: "Invite", exact: true }).click();
    const refusal = alice.getByRole("alert").filter({ hasText: "“bob smith” is not a name here" });
    await refusal.waitFor();
    expect(await alice.locator("body").innerText()).not.toMatch(RAW_CODE);
    expect(await alice.locator("body").innerText()).not.toContain("must be a user id");

    // Invited back, bob has the room again, with what was said while he was out.
    await invite(alice, "bob");
    await refusal.waitFor({ state: "detached" });
    expect(await alice.locator(".panel-error").textContent()).toBe("");
    await roomItem(bob, "Weekend trip").click();
    await bob.locator(".message", { hasText: "See you all on Saturday!" }).waitFor();
    expect(await texts(bob, ".message .text")).toEqual([...said, "See you all on Saturday!"]);
    await bob.locator(".system", { hasText: "alice added you" }).last().waitFor();

    // carol leaves: the room goes from her page, and alice sees her go.
    await carol.getByRole("button", { name: "Leave room" }).click();
    await roomItem(carol, "Weekend trip").waitFor({ state: "detached" });
    await screen(alice, "chat");
    await alice.locator(".system", { hasText: "carol left" }).waitFor();
    await memberItem(alice, "carol").waitFor({ state: "detached" });
    expect(await texts(alice, ".member .name")).toEqual(["alice (you)", "bob", "dave"]);
  });
});
