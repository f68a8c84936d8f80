import { existsSync } from "node:fs";
import { crc32, deflateSync } from "node:zlib";
import { chromium } from "playwright-core";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe } from "vitest";
import { startExamples } from "../src/examples.js";
import type { RunningExamples } from "../src/examples.js";

/**
 * The browser the example tests drive: Debian's Chromium, headless. `.ci/run` installs it with
 * apt when it is missing; elsewhere the tests are skipped with a loud notice, unless `CI=true` or
 * `ROOMKIT_REQUIRE_SERVICES=1`, where a missing Chromium is a failure.
 */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

const ARGS = [
  "--headless=new",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-quic",
];

/** True when Chromium is there; false after a loud notice; throws when it is required. */
export function needChromium(): boolean {
  if (existsSync(CHROMIUM)) return true;
  const required = process.env.CI === "true" || process.env.ROOMKIT_REQUIRE_SERVICES === "1";
  const why = `Chromium is not at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`;
  if (required) throw new Error(`the browser tests need Chromium (CI=true or ROOMKIT_REQUIRE_SERVICES=1) but ${why}`);
  const rule = "=".repeat(78);
  console.warn(
    `\n${rule}\n  SKIPPING THE BROWSER TESTS: ${why}.\n  Set CI=true or ROOMKIT_REQUIRE_SERVICES=1 to make this a failure.\n${rule}\n`,
  );
  return false;
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: ARGS });
}

/** A screen size the apps are tested and shown at. */
export interface Size {
  name: string;
  width: number;
  height: number;
}

export const DESKTOP: Size = { name: "desktop", width: 1200, height: 800 };
export const PHONE: Size = { name: "phone", width: 390, height: 844 };
/** Every flow runs at both: side-by-side panels, and one screen at a time with a tab bar. */
export const SIZES = [DESKTOP, PHONE];

/** What each test of an app's browser suite gets: the shared Chromium, the app's URL, and the screen size. */
export interface BrowserSuite {
  readonly browser: Browser;
  readonly app: string;
  readonly size: Size;
}

/**
 * An app's browser suite: one Chromium per file, `body` once per screen size of {@link SIZES}
 * with example servers of its own, and every browser context closed after each test.
 *
 * @example
 * describeInBrowser("group chat, in the browser", "group-chat", (t) => {
 *   test("...", async () => { const { alice } = await groupChatFlow(t.browser, t.app, t.size); });
 * });
 */
export function describeInBrowser(title: string, path: string, body: (suite: BrowserSuite) => void): void {
  describe.runIf(needChromium())(title, () => {
    let browser: Browser;
    beforeAll(async () => {
      browser = await launchBrowser();
    });
    afterAll(() => browser?.close());
    afterEach(() => Promise.all(browser.contexts().map((context) => context.close())));

    describe.each(SIZES)("on a $name ($width×$height)", (size) => {
      let examples: RunningExamples | undefined;
      let app = "";
      beforeAll(async () => {
        examples = await startExamples();
        app = `${examples.url}/${path}/`;
      });
      afterAll(() => examples?.close());
      body({
        get browser() {
          return browser;
        },
        get app() {
          return app;
        },
        size,
      });
    });
  });
}

/** A browser context for one person: their own storage, so each signs in on their own. */
export async function person(browser: Browser, { width, height }: Size = DESKTOP): Promise<BrowserContext> {
  const viewport = { width, height };
  const context = await browser.newContext({ viewport, deviceScaleFactor: 1, locale: "en-GB", timezoneId: "UTC" });
  // Playwright's auto-waiting bounds every step; a step that waits this long has failed.
  context.setDefaultTimeout(10_000);
  return context;
}

/** Opens `url` in a new tab of `context` and signs in as `name` (with a choice, e.g. a role). */
export async function signIn(context: BrowserContext, url: string, name: string, choice?: string): Promise<Page> {
  const page = await context.newPage();
  page.on("pageerror", (err) => console.error(`[${name}] page error:`, err));
  await page.goto(url);
  await page.getByLabel("Your name").fill(name);
  if (choice) await page.getByLabel(choice).check();
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.locator(".layout, .stage").waitFor();
  return page;
}

/**
 * Shows one of the app's screens on a phone (taps its tab: `rooms`, `chat`, `members`...). On a
 * desktop the tab bar is hidden and every panel is on the page already: nothing to do.
 */
export async function screen(page: Page, id: string): Promise<void> {
  // The stylesheet's phone breakpoint. On a phone the tab may appear only once the page has
  // caught up (a room opening on a loaded machine), so wait for it rather than look once.
  if ((page.viewportSize()?.width ?? Number.POSITIVE_INFINITY) > 820) return;
  await page.locator(`.tabbar button[data-screen="${id}"]`).click();
}

/**
 * What does not fit a phone: elements that reach past the page's sides, and controls smaller
 * than a fingertip (under 40 px tall). Every screen is checked at once: they share one place.
 */
export function misfits(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const found: string[] = [];
    const name = (el: Element) =>
      `${el.tagName.toLowerCase()}${el.className ? `.${String(el.className).trim().replace(/\s+/g, ".")}` : ""} "${(el.textContent ?? "").trim().slice(0, 30)}"`;
    for (const el of document.body.querySelectorAll("*")) {
      if (el.closest("[hidden], .visually-hidden, .reaction-stream")) continue;
      const box = el.getBoundingClientRect();
      if (box.width === 0 || box.height === 0) continue;
      if (box.left < -1 || box.right > innerWidth + 1)
        found.push(`${name(el)} spans ${Math.round(box.left)}..${Math.round(box.right)} of ${innerWidth}`);
      if (el.matches("button, input:not([type=file]):not([type=radio]), textarea, .icon-button") && box.height < 40)
        found.push(`${name(el)} is ${Math.round(box.height)} px tall`);
    }
    return found;
  });
}

/** Every error code, as a word that must never reach the page: people see sentences. */
export const RAW_CODE = /\b(UNAUTHENTICATED|FORBIDDEN|NOT_FOUND|INVALID|TOO_LARGE|RATE_LIMITED|CONFLICT|UNAVAILABLE|INTERNAL)\b/;

/** The text of every element `selector` matches, trimmed. */
export async function texts(page: Page, selector: string): Promise<string[]> {
  return (await page.locator(selector).allTextContents()).map((t) => t.trim());
}

/**
 * A PNG made from a function of (x, y) to [r, g, b]: a real image, decodable by the browser,
 * for the image messages.
 */
export function png(width: number, height: number, paint: (x: number, y: number) => [number, number, number]): Buffer {
  const rows = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    const row = y * (width * 3 + 1);
    for (let x = 0; x < width; x++) rows.set(paint(x, y), row + 1 + x * 3);
  }
  const chunk = (type: string, data: Buffer) => {
    const head = Buffer.alloc(8);
    head.writeUInt32BE(data.length, 0);
    head.write(type, 4, "latin1");
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
    return Buffer.concat([head, data, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(rows)),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

/** A sunset over the sea, as a PNG: the picture the DM flow sends. */
export function sunset(width = 360, height = 220): Buffer {
  const sunX = width * 0.62;
  const sunY = height * 0.52;
  const horizon = height * 0.6;
  return png(width, height, (x, y) => {
    if (y > horizon) {
      const t = (y - horizon) / (height - horizon);
      const glint = Math.abs(x - sunX) < 28 * (1 - t) && (y + x * 0.1) % 7 < 3 ? 70 : 0;
      return [Math.round(40 + 60 * (1 - t) + glint), Math.round(70 + 40 * (1 - t) + glint), Math.round(140 + 40 * t + glint / 2)];
    }
    const d = Math.hypot(x - sunX, y - sunY);
    if (d < 34) return [255, 236, 170];
    const t = y / horizon;
    const glow = Math.max(0, 1 - d / 160) * 60;
    return [Math.round(Math.min(255, 120 + 135 * t + glow)), Math.round(Math.min(255, 90 + 70 * t + glow)), Math.round(170 - 60 * t)];
  });
}
