import type { Message } from "@roomkit/protocol";
import type { Sentences } from "./errors.js";
import { messageComposer } from "./forms.js";
import type { Composer } from "./forms.js";
import type { MessageItems } from "./message-items.js";
import { fill, h, showMessages } from "./ui.js";

/** A thread's panel over the conversation, from {@link threadPanel}. */
export interface ThreadPanel<M extends Message> {
  element: HTMLElement;
  composer: Composer;
  /** Draws the root and its replies (oldest first), with "Show older replies" when there are more. */
  render(root: M | undefined, replies: readonly M[], hasOlder: boolean): void;
}

/**
 * The panel a thread opens in, over the open conversation (on a phone, in its place): the root,
 * the replies with their own history paging, and a box to reply. It draws what it is given; the
 * app keeps the SDK's view of the thread and says when to redraw.
 */
export function threadPanel<M extends Message>(options: {
  /** The panel's own items (an element is in one place at a time: not the conversation's). */
  items: MessageItems<M>;
  close(): void;
  loadOlder(): void;
  send(text: string): Promise<unknown>;
  typing(on: boolean): void;
  sentences?: Sentences;
}): ThreadPanel<M> {
  const root = h("div", { class: "root" });
  const replies = h("ol", { class: "messages replies", "aria-label": "Replies", "aria-live": "polite", "aria-relevant": "additions" });
  const older = h("button", { type: "button", class: "ghost older", onclick: options.loadOlder }, "Show older replies");
  const composer = messageComposer({
    send: options.send,
    typing: options.typing,
    ...(options.sentences ? { sentences: options.sentences } : {}),
  });
  const box = composer.form.querySelector("textarea");
  box?.setAttribute("aria-label", "Reply in thread");
  box?.setAttribute("placeholder", "Reply…");
  const element = h(
    "aside",
    { class: "thread", "aria-label": "Thread" },
    h(
      "header",
      { class: "pane-head" },
      h("h2", null, "Thread"),
      h(
        "div",
        { class: "actions" },
        h("button", { type: "button", class: "ghost", "aria-label": "Close thread", onclick: options.close }, "✕"),
      ),
    ),
    h("div", { class: "scroller" }, root, older, replies),
    composer.form,
  );
  return {
    element,
    composer,
    render(rootMessage, shown, hasOlder) {
      fill(root, rootMessage && h("ol", { class: "messages" }, options.items.item(rootMessage, undefined)));
      older.hidden = !hasOlder;
      showMessages(
        replies,
        shown.map((m, i) => options.items.item(m, shown[i - 1])),
        "No replies yet.",
      );
    },
  };
}
