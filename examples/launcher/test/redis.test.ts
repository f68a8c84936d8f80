import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, test } from "vitest";
import { needRedis, REDIS_URL } from "../../../packages/redis/test/support/services.js";
import { startExamples } from "../src/examples.js";
import type { RunningExamples } from "../src/examples.js";
import { launchBrowser, needChromium, person, signIn } from "./browser.js";
import { personItem } from "./flows/direct-messages.js";

const ready = needChromium() && (await needRedis());

describe.runIf(ready)("two launchers on one Redis, in the browser", () => {
  let nodes: RunningExamples[];
  let browser: Browser;
  beforeAll(async () => {
    [nodes, browser] = await Promise.all([
      Promise.all([startExamples({ redisUrl: REDIS_URL }), startExamples({ redisUrl: REDIS_URL })]),
      launchBrowser(),
    ]);
  });
  afterAll(async () => {
    await browser?.close();
    await Promise.all((nodes ?? []).map((node) => node.close()));
  });

  test("act as one: people on different servers see each other online, message, and read", async () => {
    // Fresh names: the apps keep their data in Redis under fixed prefixes, shared with any demo.
    const [a, b] = ["ana", "ben"].map((name) => `${name}-${Date.now().toString(36)}`) as [string, string];
    const ana = await signIn(await person(browser), `${nodes[0]!.url}/direct-messages/`, a);
    const ben = await signIn(await person(browser), `${nodes[1]!.url}/direct-messages/`, b);
    await personItem(ana, b).filter({ hasText: "online" }).waitFor();
    await personItem(ana, b).click();
    await ana.getByLabel(`Message ${b}`).fill("Hello from the other server");
    await ana.getByLabel(`Message ${b}`).press("Enter");
    await personItem(ben, a).locator(".badge", { hasText: "1" }).waitFor();
    await personItem(ben, a).click();
    await ben.locator(".message.theirs", { hasText: "Hello from the other server" }).waitFor();
    await ana.locator(".message.mine .receipt.seen").waitFor();
  });
});
