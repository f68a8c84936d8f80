import { expect, test } from "vitest";
import { RAW_CODE, describeInBrowser, misfits, person, screen, signIn, texts } from "./browser.js";
import { act, counted, edit, messageAt, messageIn, openThread, reply, seqOf, tunnel } from "./flows/changes.js";
import { chatter, directMessagesFlow, personItem } from "./flows/direct-messages.js";

const conversation = ["Hi Bob! Are you around?", ...chatter.map(([, text]) => text), "Same here, look at this sunset"];

describeInBrowser("direct messages, in the browser", "direct-messages", (t) => {
  test("a DM with an image arrives and shows seen; badges, typing, a second tab and a reload keep up", async () => {
    const { alice, bob, bobSecondTab } = await directMessagesFlow(t.browser, t.app, t.size);

    // bob sees the whole conversation, the picture decoded from the bytes that came as binary.
    expect(await texts(bob, ".message .text")).toEqual(conversation);
    const picture = bob.locator(".message.theirs img.attachment");
    expect(await picture.getAttribute("src")).toMatch(/^blob:/);
    await bob.waitForFunction(() => document.querySelector<HTMLImageElement>(".message.theirs img.attachment")?.naturalWidth === 360);

    // alice sees "Seen" under her picture, and carol's message waiting as one unread.
    expect(await alice.locator(".message.mine").last().locator(".receipt").textContent()).toBe("Seen");
    expect(await alice.locator(".message.mine").last().locator("img.attachment").getAttribute("src")).toMatch(/^blob:/);
    expect(await personItem(alice, "carol").locator(".badge").textContent()).toBe("1");

    // bob's second tab has the same conversation, read (its badge went when the first tab read it).
    await personItem(bobSecondTab, "alice").locator(".badge").waitFor({ state: "detached" });
    await personItem(bobSecondTab, "alice").click();
    await bobSecondTab.locator(".message.theirs img.attachment").waitFor();
    expect(await texts(bobSecondTab, ".message .text")).toEqual(conversation);

    // After a reload, alice has her history, the picture, "Seen", and carol's unread badge...
    await alice.reload();
    await alice.locator(".message.mine img.attachment").waitFor();
    await alice.locator(".message.mine").last().locator(".receipt.seen").waitFor();
    expect(await texts(alice, ".message .text")).toEqual(conversation);
    // ...and the conversation is at its end once the picture has loaded (it is taller than the pane).
    await alice.waitForFunction(() => document.querySelector<HTMLImageElement>(".message.mine img.attachment")?.naturalWidth === 360);
    const scroll = () =>
      alice
        .locator(".scroller")
        .evaluate((el) => ({ below: el.scrollHeight - el.scrollTop - el.clientHeight, overflow: el.scrollHeight - el.clientHeight }));
    await expect.poll(async () => (await scroll()).below).toBeLessThan(2);
    expect((await scroll()).overflow).toBeGreaterThan(40);
    await screen(alice, "people");
    await personItem(alice, "carol").locator(".badge", { hasText: "1" }).waitFor();

    if (t.size.name === "phone") {
      // One screen at a time: the people list has the page's width, and nothing is off-screen or too small to tap.
      expect((await personItem(alice, "carol").boundingBox())!.width).toBeGreaterThan(t.size.width - 40);
      expect(await misfits(alice)).toEqual([]);
      expect(await alice.locator('.tabbar [data-screen="people"] .badge').textContent()).toBe("1");
    }
  });

  test("a name that is not a valid user id is refused with a clear message", async () => {
    const page = await (await person(t.browser, t.size)).newPage();
    await page.goto(t.app);
    await page.getByLabel("Your name").fill("alice smith");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("alert").filter({ hasText: "no spaces" }).waitFor();
    expect(await page.locator(".layout").count()).toBe(0);
  });

  test("edits, deletes, reactions and a thread; omar, offline meanwhile, catches up without a reload; a reload keeps them", async () => {
    const omarsNetwork = await tunnel(t.app);
    try {
      const [nina, omar] = await Promise.all([
        person(t.browser, t.size).then((context) => signIn(context, t.app, "nina")),
        person(t.browser, t.size).then((context) => signIn(context, omarsNetwork.url, "omar")),
      ]);
      const say = async (from: typeof nina, to: typeof nina, peer: string, text: string) => {
        await from.getByLabel(`Message ${peer}`).fill(text);
        await from.getByLabel(`Message ${peer}`).press("Enter");
        await messageIn(to, text).waitFor();
      };
      await personItem(nina, "omar").click();
      await personItem(omar, "nina").click();
      await say(nina, omar, "omar", "Dinner at Luigi's on Thursday?");
      await say(omar, nina, "nina", "Sounds great, see you at 8");
      await say(nina, omar, "omar", "I will bring the tickets");

      // omar reacts to nina's question, and replies to it in a thread.
      await act(messageIn(omar, "Dinner at Luigi's"), "React ❤️");
      await counted(messageIn(nina, "Dinner at Luigi's"), "❤️", 1, false);
      await counted(messageIn(omar, "Dinner at Luigi's"), "❤️", 1, true);
      const thread = await openThread(omar, messageIn(omar, "Dinner at Luigi's"));
      await reply(thread, "Can we make it 8:30?");
      await messageIn(nina, "Dinner at Luigi's").locator(".thread-link", { hasText: "1 reply" }).waitFor();
      await thread.getByRole("button", { name: "Close thread" }).click();
      // nina may not change omar's message: her menu on it offers reactions and a reply only.
      await messageIn(nina, "see you at 8").getByRole("button", { name: "Message actions" }).click();
      expect(await messageIn(nina, "see you at 8").getByRole("menuitem").allTextContents()).toEqual(["Reply in thread"]);
      await nina.keyboard.press("Escape");

      // omar goes offline; nina edits one message and deletes the other.
      const edited = await seqOf(messageIn(nina, "Dinner at Luigi's"));
      const deleted = await seqOf(messageIn(nina, "I will bring the tickets"));
      await omar.evaluate(() => Object.assign(window, { stillThisPage: true })); // a reload would lose it
      omarsNetwork.offline();
      await omar.getByText("Connection lost: reconnecting…").waitFor();
      await edit(nina, messageIn(nina, "Dinner at Luigi's"), "Dinner at Luigi's on Friday?");
      await act(messageIn(nina, "I will bring the tickets"), "Delete");
      await messageAt(nina, deleted).filter({ hasText: "You deleted this message." }).waitFor();
      await messageAt(nina, edited).locator(".edited").waitFor();

      omarsNetwork.online();
      await messageAt(omar, edited).locator(".edited").waitFor({ timeout: 30_000 });
      await messageAt(omar, deleted).filter({ hasText: "This message was deleted." }).waitFor();
      expect(await messageAt(omar, edited).locator(".text").textContent()).toBe("Dinner at Luigi's on Friday?");
      await counted(messageAt(omar, edited), "❤️", 1, true); // the edit kept the reaction
      expect(await omar.getByText("I will bring the tickets").count()).toBe(0);
      expect(await omar.evaluate(() => "stillThisPage" in window)).toBe(true);
      // An edit or a delete is not a new message: nothing unread for omar.
      await screen(omar, "people");
      expect(await personItem(omar, "nina").locator(".badge").count()).toBe(0);

      // After a reload nina has it all as it is now.
      await nina.reload();
      await messageAt(nina, edited).locator(".edited").waitFor();
      expect(await texts(nina, ".pane > .scroller .message .text")).toEqual([
        "Dinner at Luigi's on Friday?",
        "Sounds great, see you at 8",
        "You deleted this message.",
      ]);
      await counted(messageAt(nina, edited), "❤️", 1, false);
      const reopened = await openThread(nina, messageAt(nina, edited));
      expect(await texts(nina, ".thread .replies .message .text")).toEqual(["Can we make it 8:30?"]);
      expect(await nina.locator("body").innerText()).not.toMatch(RAW_CODE);
      if (t.size.name === "phone") {
        expect((await reopened.boundingBox())!.width).toBeGreaterThan(t.size.width - 2);
        expect(await misfits(nina)).toEqual([]);
      }
    } finally {
      await omarsNetwork.close();
    }
  });
});
