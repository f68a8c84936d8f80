import { expect, test } from "vitest";
import { describeInBrowser, misfits, person, screen, texts } from "./browser.js";
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
});
