import type { Deletion, ReactionCount } from "@roomkit/protocol";
import type { Feedback, Sentences } from "./errors.js";
import { h } from "./ui.js";

// The pieces of a message that can change, shared by the chat apps: reaction chips, the "⋯"
// menu (react, reply, edit, delete), the inline editor and the tombstone's words. They draw what
// the SDK's folded view holds; none of them keeps state of its own beyond an open menu.

/** Why a change failed, as a sentence (the kit's `errorSentence` turns the rest into words). */
export const CHANGE_SENTENCES: Sentences = {
  FORBIDDEN: "You cannot change that message.",
  CONFLICT: "That message was deleted meanwhile.",
  NOT_FOUND: "That message is no longer kept.",
  RATE_LIMITED: (err) =>
    err.details?.limit !== undefined ? "That message has as many kinds of reaction as it may have." : "Slow down a moment.",
};

/**
 * The reactions under a message: one chip per reaction with its count, the reader's own
 * highlighted (`aria-pressed`); a click gives or takes back the reader's. Nothing when there are none.
 */
export function reactionChips(
  reactions: readonly ReactionCount[] | undefined,
  toggle: (reaction: string, give: boolean) => void,
  enabled = true,
): HTMLElement | null {
  if (!reactions?.length) return null;
  return h(
    "div",
    { class: "chips", role: "group", "aria-label": "Reactions" },
    reactions.map(({ reaction, count, mine }) =>
      h(
        "button",
        {
          type: "button",
          class: `chip${mine ? " mine" : ""}`,
          "data-reaction": reaction,
          "aria-pressed": String(mine),
          "aria-label": `${reaction} ${count}${mine ? ", yours" : ""}`,
          disabled: !enabled,
          onclick: () => toggle(reaction, !mine),
        },
        h("span", { class: "emoji", "aria-hidden": "true" }, reaction),
        h("span", { class: "n" }, count),
      ),
    ),
  );
}

/** What the "⋯" menu of one message offers. */
export interface MenuOptions {
  /** The contract's reactions, offered as a picker; the reader's own are marked. */
  choices: readonly string[];
  reactions: readonly ReactionCount[] | undefined;
  react?: (reaction: string, give: boolean) => void;
  reply?: () => void;
  edit?: () => void;
  delete?: () => void;
}

let closeOpen: (() => void) | undefined;
if (typeof document !== "undefined") {
  document.addEventListener("click", (event) => {
    if (!(event.target as Element | null)?.closest?.(".message-menu")) closeOpen?.();
  });
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape") closeOpen?.();
  });
}

/**
 * A message's "⋯" button and the small menu it opens: a reaction picker, then Reply, Edit and
 * Delete when offered. One menu is open at a time; a click elsewhere or Escape closes it.
 */
export function messageMenu(options: MenuOptions): HTMLElement {
  const pop = h("div", { class: "menu-pop", role: "menu", hidden: true });
  const button = h("button", { type: "button", class: "more", "aria-label": "Message actions", "aria-expanded": "false" }, "⋯");
  const close = () => {
    pop.hidden = true;
    button.setAttribute("aria-expanded", "false");
    if (closeOpen === close) closeOpen = undefined;
  };
  const act = (run: () => void) => () => {
    close();
    run();
  };
  button.addEventListener("click", () => {
    if (!pop.hidden) return close();
    closeOpen?.();
    closeOpen = close;
    pop.hidden = false;
    button.setAttribute("aria-expanded", "true");
  });
  const mine = new Set(options.reactions?.filter((r) => r.mine).map((r) => r.reaction));
  const react = options.react;
  pop.append(
    react
      ? h(
          "div",
          { class: "picker", role: "group", "aria-label": "React" },
          options.choices.map((reaction) =>
            h(
              "button",
              {
                type: "button",
                role: "menuitemcheckbox",
                class: `pick${mine.has(reaction) ? " mine" : ""}`,
                "aria-checked": String(mine.has(reaction)),
                "aria-label": `React ${reaction}`,
                onclick: act(() => react(reaction, !mine.has(reaction))),
              },
              reaction,
            ),
          ),
        )
      : "",
    options.reply ? h("button", { type: "button", role: "menuitem", onclick: act(options.reply) }, "Reply in thread") : "",
    options.edit ? h("button", { type: "button", role: "menuitem", onclick: act(options.edit) }, "Edit") : "",
    options.delete ? h("button", { type: "button", role: "menuitem", class: "danger", onclick: act(options.delete) }, "Delete") : "",
  );
  return h("div", { class: "message-menu" }, button, pop);
}

/**
 * The editor that takes a message's bubble while it is edited: Enter or Save stores the new
 * text, Escape or Cancel gives the bubble back. `said` tells why a save failed.
 */
export function inlineEditor(
  text: string,
  options: { save: (text: string) => Promise<unknown>; cancel: () => void; said: Feedback },
): HTMLElement {
  const box = h("textarea", { class: "edit-box", "aria-label": "Edit message", rows: 2, maxlength: 4000 });
  box.value = text;
  const form = h(
    "form",
    { class: "editor" },
    box,
    h(
      "div",
      { class: "row" },
      h("button", { type: "button", class: "ghost", onclick: options.cancel }, "Cancel"),
      h("button", { type: "submit", class: "primary" }, "Save"),
    ),
    options.said.element,
  );
  box.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey) {
      event.preventDefault();
      form.requestSubmit();
    } else if (event.key === "Escape") options.cancel();
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const value = box.value.trim();
    if (value === text.trim()) return options.cancel();
    if (value) void options.said.run(() => options.save(value), { prefix: "Not saved: ", sentences: CHANGE_SENTENCES });
  });
  queueMicrotask(() => {
    box.focus();
    box.setSelectionRange(box.value.length, box.value.length);
  });
  return form;
}

/** A deleted message's words in place of its body: who deleted it, from the reader's side. */
export function tombstoneText(deleted: Deletion, author: string, me: string): string {
  if (deleted.by === me) return "You deleted this message.";
  if (deleted.by === author) return "This message was deleted.";
  return `Deleted by ${deleted.by === "$system" ? "the server" : deleted.by}.`;
}

/** "1 reply", "3 replies": the button under a thread's root that opens it. */
export function repliesLabel(count: number): string {
  return count === 1 ? "1 reply" : `${count} replies`;
}
