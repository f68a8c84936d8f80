import { expect, test } from "vitest";
import { RAW_CODE, describeInBrowser, misfits, person, screen, signIn, texts } from "./browser.js";
import { act, counted, edit, messageAt, messageIn, openThread, reply, seqOf, tunnel } from "./flows/changes.js";
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

  test("edits, deletes, reactions and threads reach everyone; a reload keeps them; a member who was offline catches up without a reload", async () => {
    const carolsNetwork = await tunnel(t.app);
    try {
      const [alice, bob, carol] = await Promise.all([
        person(t.browser, t.size).then((context) => signIn(context, t.app, "alice")),
        person(t.browser, t.size).then((context) => signIn(context, t.app, "bob")),
        person(t.browser, t.size).then((context) => signIn(context, carolsNetwork.url, "carol")),
      ]);
      await alice.getByLabel("New private room").fill("Book club");
      await alice.getByRole("button", { name: "Create" }).click();
      await alice.getByLabel("Message Book club").waitFor();
      for (const name of ["bob", "carol"]) await invite(alice, name);
      await screen(alice, "chat");
      const say = async (page: typeof alice, text: string) => {
        await page.getByLabel("Message Book club").fill(text);
        await page.getByLabel("Message Book club").press("Enter");
        await messageIn(page, text).waitFor();
      };
      await say(alice, "We read Dune next");
      await say(alice, "Meeting on Fridey at 7");
      await say(alice, "Oops, wrong room");
      for (const page of [bob, carol]) {
        await roomItem(page, "Book club").click();
        await messageIn(page, "Oops, wrong room").waitFor();
      }

      // Reactions: counted for everyone, the reader's own highlighted; a second click takes one back.
      await act(messageIn(bob, "We read Dune next"), "React 👍");
      await act(messageIn(alice, "We read Dune next"), "React 👍");
      await act(messageIn(carol, "We read Dune next"), "React 🎉");
      await counted(messageIn(bob, "We read Dune next"), "👍", 2, true);
      await counted(messageIn(alice, "We read Dune next"), "🎉", 1, false);
      await messageIn(carol, "We read Dune next").locator('.chip[data-reaction="🎉"]').click();
      await messageIn(alice, "We read Dune next").locator('.chip[data-reaction="🎉"]').waitFor({ state: "detached" });

      // A thread: bob replies to alice's message; everyone sees "1 reply" under it and can open it.
      const bobsThread = await openThread(bob, messageIn(bob, "We read Dune next"));
      await reply(bobsThread, "I have the book, who wants it after me?");
      await messageIn(alice, "We read Dune next").locator(".thread-link", { hasText: "1 reply" }).waitFor();
      const alicesThread = await openThread(alice, messageIn(alice, "We read Dune next"));
      await alicesThread.locator(".replies .message", { hasText: "who wants it after me?" }).waitFor();
      await reply(alicesThread, "Me!");
      await bobsThread.locator(".replies .message", { hasText: "Me!" }).waitFor();
      for (const panel of [alicesThread, bobsThread]) await panel.getByRole("button", { name: "Close thread" }).click();

      // carol drops off the network; meanwhile alice edits one message and deletes another.
      const fixed = await seqOf(messageIn(alice, "Meeting on Fridey at 7"));
      const gone = await seqOf(messageIn(alice, "Oops, wrong room"));
      await carol.evaluate(() => Object.assign(window, { stillThisPage: true })); // a reload would lose it
      carolsNetwork.offline();
      await carol.getByText("Connection lost: reconnecting…").waitFor();
      await edit(alice, messageIn(alice, "Meeting on Fridey at 7"), "Meeting on Friday at 7");
      await act(messageIn(alice, "Oops, wrong room"), "Delete");
      for (const page of [alice, bob]) {
        await messageAt(page, fixed).locator(".edited").waitFor();
        await messageAt(page, gone).filter({ hasText: "deleted" }).waitFor();
      }
      expect(await messageAt(bob, fixed).locator(".text").textContent()).toBe("Meeting on Friday at 7");
      expect(await messageAt(bob, gone).textContent()).toContain("This message was deleted.");

      // Back online: carol's page shows both, with no reload (the page still holds its mark).
      carolsNetwork.online();
      await messageAt(carol, fixed).locator(".edited").waitFor({ timeout: 30_000 });
      await messageAt(carol, gone).filter({ hasText: "This message was deleted." }).waitFor();
      expect(await messageAt(carol, fixed).locator(".text").textContent()).toBe("Meeting on Friday at 7");
      expect(await carol.getByText("Oops, wrong room").count()).toBe(0);
      expect(await carol.evaluate(() => "stillThisPage" in window)).toBe(true);

      // Moderation: bob may edit and delete his own messages only; alice, the owner, deletes his.
      await say(bob, "Buy cheap books at spam.example");
      await messageIn(bob, "We read Dune next").getByRole("button", { name: "Message actions" }).click();
      expect(await messageIn(bob, "We read Dune next").getByRole("menuitem").allTextContents()).toEqual(["Reply in thread"]);
      await bob.keyboard.press("Escape");
      const spam = await seqOf(messageIn(alice, "spam.example"));
      await act(messageIn(alice, "spam.example"), "Delete");
      await messageAt(bob, spam).filter({ hasText: "Deleted by alice." }).waitFor();
      expect(await bob.locator("body").innerText()).not.toMatch(RAW_CODE);

      // A reload keeps everything: the edit, the tombstones, the counts (bob's own still his), the thread.
      await bob.reload(); // the room opens again from the page's address
      await messageAt(bob, fixed).locator(".edited").waitFor();
      expect(await messageAt(bob, fixed).locator(".text").textContent()).toBe("Meeting on Friday at 7");
      await messageAt(bob, gone).filter({ hasText: "This message was deleted." }).waitFor();
      await counted(messageIn(bob, "We read Dune next"), "👍", 2, true);
      const thread = await openThread(bob, messageIn(bob, "We read Dune next"));
      expect(await texts(bob, ".thread .replies .message .text")).toEqual(["I have the book, who wants it after me?", "Me!"]);
      if (t.size.name === "phone") {
        expect((await thread.boundingBox())!.width).toBeGreaterThan(t.size.width - 2);
        for (const page of [alice, bob, carol]) expect(await misfits(page)).toEqual([]);
      }
    } finally {
      await carolsNetwork.close();
    }
  });
});
