import { h } from "./ui.js";

/** One of an app's panels (the list, the conversation, the members), as a screen on a phone. */
export interface ScreenOf<Id extends string> {
  id: Id;
  label: string;
  /** An emoji for the tab. */
  icon: string;
  panel: HTMLElement;
}

/** The panels of a layout as screens, from {@link screens}. */
export interface Screens<Id extends string> {
  /** The screen shown on a narrow page. */
  readonly current: Id;
  /** Shows a screen on a narrow page (opening a conversation shows it); a wide page shows every panel anyway. */
  show(id: Id): void;
  /** A count on a screen's tab (unread messages, people watching); 0 shows none. */
  count(id: Id, n: number): void;
  /** Whether a screen's tab is offered (the members of a room, only while one is open). */
  offer(id: Id, offered: boolean): void;
}

/**
 * Makes `layout`'s panels screens for narrow pages (the stylesheet's breakpoint, 820 px): one
 * panel at a time, filling the page, and a tab bar at the bottom to move between them. On a
 * wide page every panel shows side by side and the tab bar is hidden, so nothing changes there.
 *
 * @example
 * const nav = screens(layout, [
 *   { id: "people", label: "People", icon: "👥", panel: sidebar },
 *   { id: "chat", label: "Chat", icon: "💬", panel: pane },
 * ]);
 * nav.show("chat"); // when a conversation opens
 */
export function screens<Id extends string>(layout: HTMLElement, list: ScreenOf<Id>[]): Screens<Id> {
  const tabs = new Map(
    list.map((s) => {
      const badge = h("span", { class: "badge", hidden: true });
      const tab = h(
        "button",
        { type: "button", "data-screen": s.id, onclick: () => show(s.id) },
        h("span", { class: "emoji", "aria-hidden": "true" }, s.icon),
        h("span", null, s.label),
        badge,
      );
      s.panel.classList.add("screen");
      return [s.id, { tab, badge, panel: s.panel }] as const;
    }),
  );
  let current = list[0]!.id;
  function show(id: Id): void {
    current = id;
    for (const [key, { tab, panel }] of tabs) {
      panel.classList.toggle("screen-current", key === id);
      if (key === id) tab.setAttribute("aria-current", "page");
      else tab.removeAttribute("aria-current");
    }
  }
  layout.classList.add("screens");
  layout.append(
    h(
      "nav",
      { class: "tabbar", "aria-label": "Screens" },
      [...tabs.values()].map((t) => t.tab),
    ),
  );
  show(current);
  return {
    get current() {
      return current;
    },
    show,
    count(id, n) {
      const badge = tabs.get(id)!.badge;
      badge.hidden = n <= 0;
      badge.textContent = String(n);
      badge.setAttribute("aria-label", `${n} new`);
    },
    offer(id, offered) {
      tabs.get(id)!.tab.hidden = !offered;
      if (!offered && current === id) show(list[0]!.id);
    },
  };
}
