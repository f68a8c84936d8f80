import type { MessageView } from "@roomkit/client";
import { CHANGE_SENTENCES } from "@roomkit/example-kit/changes";
import type { Feedback } from "@roomkit/example-kit/errors";
import { MessageItems } from "@roomkit/example-kit/message-items";
import { threadPanel } from "@roomkit/example-kit/thread";
import type { ThreadPanel } from "@roomkit/example-kit/thread";
import { h, imageUrl, showMessages } from "@roomkit/example-kit/ui";
import type { Body, Conversation, Entry } from "./conversation.js";
import { REACTIONS } from "./reactions.js";

// The open conversation's messages as the SDK's view holds them (every edit, delete, reaction
// and reply folded in), "Seen" under my last one, and the thread panel. Nothing here folds a
// change by hand.

/** The open conversation's message list and its thread panel, from {@link conversationMessages}. */
export interface ConversationMessages {
  list: HTMLElement;
  /** "Show older messages", above the list. */
  older: HTMLElement;
  render(c: Conversation): void;
  closeThread(): void;
}

/** Where the messages draw and say things: the pane (for the thread panel) and the pane's line for failures. */
export interface MessagesPlace {
  me: string;
  pane: HTMLElement;
  said: Feedback;
  typing(c: Conversation, on: boolean): void;
}

export function conversationMessages({ me, pane, said, typing }: MessagesPlace): ConversationMessages {
  const list = h("ol", { class: "messages", "aria-live": "polite", "aria-relevant": "additions" });
  let shown: Conversation | undefined;
  let thread: { root: number; view: MessageView<Body>; panel: ThreadPanel<Entry>; stop: () => void } | undefined;
  const older = h(
    "button",
    { class: "ghost older", onclick: () => shown?.view && failed(() => shown?.view?.loadOlder() ?? Promise.resolve()) },
    "Show older messages",
  );
  const failed = (action: () => Promise<unknown>) => void said.run(action, { sentences: CHANGE_SENTENCES });

  // Each person edits and deletes their own messages; both react and reply to any.
  const items = (redraw: () => void, openThread?: (m: Entry) => void) =>
    new MessageItems<Entry>({
      me,
      choices: REACTIONS,
      showSender: false,
      content: (m) =>
        m.deleted
          ? []
          : [
              m.body.image &&
                h("img", {
                  class: "attachment",
                  src: imageUrl(m.body.image),
                  alt: m.body.image.name ? `Image: ${m.body.image.name}` : "Image",
                }),
              m.body.text && h("p", { class: "text" }, m.body.text),
            ],
      editable: (m) => (!m.deleted && m.from === me ? (m.body.text ?? "") : undefined),
      deletable: (m) => m.from === me,
      canAct: () => true,
      react: (m, reaction, give) => {
        const r = reaction as (typeof REACTIONS)[number];
        const dm = shown?.dm;
        return (give ? dm?.react(m.seq, r) : dm?.unreact(m.seq, r)) ?? Promise.resolve();
      },
      // The text changes; a picture goes back as it is (an edit replaces the whole body).
      edit: async (m, text) => {
        if (!m.deleted) await shown?.dm.edit(m.seq, { text, ...(m.body.image ? { image: m.body.image } : {}) });
      },
      delete: async (m) => shown?.dm.delete(m.seq),
      ...(openThread ? { openThread } : {}),
      failed,
      redraw,
    });
  const mainItems = items(
    () => shown && render(shown),
    (m) => shown && openThread(shown, m.seq),
  );
  const threadItems = items(() => shown && render(shown));

  function openThread(c: Conversation, root: number): void {
    if (thread?.root === root) return;
    closeThread();
    const view = c.dm.view({ thread: root, pageSize: 30 });
    const panel = threadPanel<Entry>({
      items: threadItems,
      close: closeThread,
      loadOlder: () => failed(() => view.loadOlder()),
      send: (text) => c.dm.reply(root, { text }),
      typing: (on) => typing(c, on),
    });
    thread = { root, view, panel, stop: view.subscribe(() => render(c)) };
    pane.append(panel.element);
    render(c);
    panel.composer.focus();
  }

  function closeThread(): void {
    if (!thread) return;
    thread.stop();
    thread.view.close();
    thread.panel.element.remove();
    thread = undefined;
  }

  function render(c: Conversation): void {
    shown = c;
    const snapshot = c.view?.current;
    // Replies are in their threads; the conversation shows the messages that start one, or stand alone.
    const messages = (snapshot?.messages ?? []).filter((m) => m.replyTo === undefined);
    older.hidden = !snapshot?.hasOlder;
    const views = messages.map((m) => mainItems.item(m, undefined));
    showMessages(list, views, snapshot?.loading ? "Loading…" : `This is the start of your conversation with ${c.peer}.`);
    // "Seen" or "Sent" under my last message.
    list.querySelector(".receipt")?.remove();
    const last = messages.findLastIndex((m) => m.from === me && !m.deleted);
    if (last >= 0) {
      const seen = c.peerRead >= messages[last]!.seq;
      views[last]?.querySelector(".meta")?.append(h("span", { class: `receipt${seen ? " seen" : ""}` }, seen ? "Seen" : "Sent"));
    }
    if (thread) {
      const root = messages.find((m) => m.seq === thread?.root);
      const { messages: replies, hasOlder } = thread.view.current;
      thread.panel.render(root, replies, hasOlder);
    }
  }

  return { list, older, render, closeThread };
}
