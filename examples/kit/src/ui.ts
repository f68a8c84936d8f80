import type { ConnectionState, Observable } from "@roomkit/client";

type Child = Node | string | number | false | null | undefined;
type Attr = string | number | boolean | null | undefined | ((event: never) => void);

/**
 * Makes an element: `h("button", { class: "primary", onclick: send }, "Send")`. Attributes
 * named `on…` become listeners; `true` sets an empty attribute; `false`, `null` and
 * `undefined` leave it out. Text children are text nodes, never HTML.
 */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, Attr> | null = null,
  ...children: (Child | Child[])[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs ?? {})) {
    if (typeof value === "function") el.addEventListener(name.slice(2), value as EventListener);
    else if (value === true) el.setAttribute(name, "");
    else if (value !== false && value !== null && value !== undefined) el.setAttribute(name, String(value));
  }
  for (const child of children.flat()) {
    if (child === false || child === null || child === undefined) continue;
    el.append(typeof child === "number" ? String(child) : child);
  }
  return el;
}

/** Replaces an element's children. */
export function fill(el: Element, ...children: (Child | Child[])[]): void {
  el.replaceChildren(
    ...children
      .flat()
      .filter((c): c is Node | string | number => c !== false && c !== null && c !== undefined)
      .map((c) => (typeof c === "number" ? String(c) : c)),
  );
}

/** One of ten hues per name (an FNV-1a hash), so each person keeps their colour everywhere. */
function hueOf(name: string): number {
  let hash = 2166136261;
  for (let i = 0; i < name.length; i++) hash = Math.imul(hash ^ name.charCodeAt(i), 16777619) >>> 0;
  return (hash % 10) * 36;
}

/** A round avatar with the person's initials, and a green dot when `online` is true. */
export function avatar(name: string, options: { online?: boolean; size?: "s" | "m" | "l"; shape?: "round" | "square" } = {}): HTMLElement {
  const initials =
    name
      .replace(/[^A-Za-z0-9]/g, " ")
      .trim()
      .split(/\s+/)
      .map((w) => w[0])
      .join("")
      .slice(0, 2)
      .toUpperCase() || "?";
  const el = h(
    "span",
    { class: `avatar ${options.size ?? "m"} ${options.shape ?? "round"}`, "aria-hidden": "true", style: `--hue: ${hueOf(name)}` },
    initials,
  );
  if (options.online !== undefined) el.append(h("span", { class: `presence-dot${options.online ? " online" : ""}` }));
  return el;
}

/** `14:03` for today, `Mon 14:03` this week, else the date. */
export function clock(ms: number): string {
  const date = new Date(ms);
  const time = date.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
  const days = (Date.now() - ms) / 86_400_000;
  if (date.toDateString() === new Date().toDateString()) return time;
  if (days < 6) return `${date.toLocaleDateString([], { weekday: "short" })} ${time}`;
  return `${date.toLocaleDateString()} ${time}`;
}

/** "bob is typing…", "bob and carol are typing…", "4 people are typing…". */
export function typingText(names: string[]): string {
  if (names.length === 0) return "";
  if (names.length === 1) return `${names[0]} is typing…`;
  if (names.length === 2) return `${names[0]} and ${names[1]} are typing…`;
  return `${names.length} people are typing…`;
}

/**
 * Sends typing signals for a text field: `on` at the first keystroke and again every few
 * seconds while typing goes on, `off` after a pause or when the message is sent.
 */
export function typingSender(send: (on: boolean) => void, { repeatMs = 3000, idleMs = 4000 } = {}) {
  let lastOn = 0;
  let idle: ReturnType<typeof setTimeout> | undefined;
  const stop = () => {
    clearTimeout(idle);
    idle = undefined;
    if (lastOn === 0) return;
    lastOn = 0;
    send(false);
  };
  return {
    input(): void {
      const now = Date.now();
      if (now - lastOn > repeatMs) {
        lastOn = now;
        send(true);
      }
      clearTimeout(idle);
      idle = setTimeout(stop, idleMs);
    },
    stop,
  };
}

/**
 * Who is typing, from typing signals: each `on` holds for a while (in case the `off` never
 * comes: a closed tab sends none), each `off` ends it. Calls `changed` after every change.
 */
export class TypingList {
  readonly #timers = new Map<string, ReturnType<typeof setTimeout>>();

  constructor(
    private readonly changed: () => void,
    private readonly holdMs = 6000,
  ) {}

  set(userId: string, on: boolean): void {
    clearTimeout(this.#timers.get(userId));
    if (on)
      this.#timers.set(
        userId,
        setTimeout(() => this.set(userId, false), this.holdMs),
      );
    else if (!this.#timers.delete(userId)) return;
    this.changed();
  }

  get names(): string[] {
    return [...this.#timers.keys()];
  }
}

/** An object URL for received image bytes, for an `<img>`. */
export function imageUrl(image: { type: string; data: Uint8Array }): string {
  return URL.createObjectURL(new Blob([image.data as Uint8Array<ArrayBuffer>], { type: image.type }));
}

/** Scrollers kept at their end: a conversation opens there and stays there until the reader scrolls up. */
const pinned = new WeakSet<Element>();
const watched = new WeakSet<Element>();
// Content grows after it is shown (an image decodes, "Seen" appears): a pinned scroller follows.
const growing =
  typeof ResizeObserver === "undefined"
    ? undefined
    : new ResizeObserver((entries) => {
        for (const { target } of entries) {
          const scroller = target.parentElement;
          if (scroller && pinned.has(scroller)) scroller.scrollTop = scroller.scrollHeight;
        }
      });

function pinToEnd(scroller: HTMLElement, list: HTMLElement): void {
  if (watched.has(scroller)) return;
  watched.add(scroller);
  pinned.add(scroller);
  scroller.addEventListener("scroll", () => {
    if (scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 80) pinned.add(scroller);
    else pinned.delete(scroller);
  });
  growing?.observe(list);
}

/**
 * Shows a conversation's items, oldest first. A new scroller starts at the end, and stays there
 * as items come and as they grow (images loading), unless the reader scrolled up. New items at
 * the end are appended, so screen readers announce just those.
 */
export function showMessages(list: HTMLElement, items: HTMLElement[], empty: string): void {
  const scroller = list.parentElement ?? list;
  pinToEnd(scroller, list);
  const shown = [...list.children];
  if (shown.every((el, i) => el === items[i])) list.append(...items.slice(shown.length));
  else list.replaceChildren(...items);
  if (items.length === 0) list.append(h("li", { class: "empty-hint" }, empty));
  if (pinned.has(scroller)) scroller.scrollTop = scroller.scrollHeight;
}

/** A banner that says when the connection is down, and why. */
export function connectionBanner(connection: Observable<ConnectionState>): HTMLElement {
  const banner = h("div", { class: "banner", role: "status" });
  const show = (state: ConnectionState) => {
    banner.hidden = state.status === "connected";
    banner.textContent =
      state.status === "connecting"
        ? "Connecting…"
        : state.status === "reconnecting"
          ? "Connection lost: reconnecting…"
          : state.status === "disconnected"
            ? "Disconnected."
            : "";
  };
  show(connection.current);
  connection.subscribe(show);
  return banner;
}
