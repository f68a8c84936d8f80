import type { MessageView } from "@roomkit/client";
import { CHANGE_SENTENCES } from "@roomkit/example-kit/changes";
import type { Feedback } from "@roomkit/example-kit/errors";
import { MessageItems } from "@roomkit/example-kit/message-items";
import { threadPanel } from "@roomkit/example-kit/thread";
import type { ThreadPanel } from "@roomkit/example-kit/thread";
import { h, showMessages } from "@roomkit/example-kit/ui";
import { SYSTEM_SENDER } from "@roomkit/protocol";
import { myMember } from "./members.js";
import { REACTIONS } from "./reactions.js";
import { describe } from "./rooms.js";
import type { Body, Entry, Room } from "./rooms.js";

// The open room's messages as the SDK's view holds them (every edit, delete, reaction and reply
// folded in), and the thread panel over them. Nothing here folds a change by hand.

/** The open room's message list and its thread panel, from {@link roomTimeline}. */
export interface RoomTimeline {
  list: HTMLElement;
  /** Draws the open room's messages (and its open thread) from its view. */
  render(r: Room): void;
  /** Closes the thread panel (another room opened, or the room went). */
  closeThread(): void;
}

/** Where the timeline draws and says things: the pane (for the thread panel) and the pane's line for failures. */
export interface TimelinePlace {
  me: string;
  pane: HTMLElement;
  said: Feedback;
  typing(r: Room, on: boolean): void;
}

const isText = (m: Entry): m is Entry & { body: { text: string } } => !m.deleted && "text" in m.body;

export function roomTimeline({ me, pane, said, typing }: TimelinePlace): RoomTimeline {
  const list = h("ol", { class: "messages", "aria-live": "polite", "aria-relevant": "additions" });
  let shown: Room | undefined;
  let thread: { root: number; view: MessageView<Body>; panel: ThreadPanel<Entry>; stop: () => void } | undefined;

  const failed = (action: () => Promise<unknown>) => void said.run(action, { sentences: CHANGE_SENTENCES });
  /** What a member may do to messages in `r`: the server decides, the page offers what it would allow. */
  const rules = (redraw: () => void, openThread?: (m: Entry) => void) =>
    new MessageItems<Entry>({
      me,
      choices: REACTIONS,
      showSender: true,
      content: (m) => [h("p", { class: "text" }, isText(m) ? m.body.text : "")],
      editable: (m) => (isText(m) && m.from === me && shown && !myMember(shown, me)?.muted ? m.body.text : undefined),
      // The owner and admins delete any message (Roomkit's rule for rooms); everyone their own.
      deletable: (m) =>
        m.from === me || (shown !== undefined && myMember(shown, me)?.role !== "member" && myMember(shown, me) !== undefined),
      canAct: () => shown !== undefined && myMember(shown, me)?.muted !== true,
      react: (m, reaction, give) => {
        const room = shown?.room;
        const r = reaction as (typeof REACTIONS)[number];
        return give ? (room?.react(m.seq, r) ?? Promise.resolve()) : (room?.unreact(m.seq, r) ?? Promise.resolve());
      },
      edit: async (m, text) => shown?.room.edit(m.seq, { text }),
      delete: async (m) => shown?.room.delete(m.seq),
      ...(openThread ? { openThread } : {}),
      failed,
      redraw,
    });

  const items = rules(
    () => shown && render(shown),
    (m) => shown && openThread(shown, m.seq),
  );
  const threadItems = rules(() => shown && render(shown));
  const lines = new WeakMap<Entry, HTMLElement>();

  /** A membership line ("alice added bob"): only from the server (which refuses them from members anyway). */
  function line(m: Entry): HTMLElement | undefined {
    if (m.deleted || !("event" in m.body)) return undefined;
    const known = lines.get(m);
    if (known) return known;
    const item = h("li", { class: "system", "data-seq": m.seq }, m.from === SYSTEM_SENDER ? describe(m.body.event, me) : "");
    lines.set(m, item);
    return item;
  }

  function openThread(r: Room, root: number): void {
    if (thread?.root === root) return;
    closeThread();
    const view = r.room.view({ thread: root, pageSize: 30 });
    const panel = threadPanel<Entry>({
      items: threadItems,
      close: closeThread,
      loadOlder: () => failed(() => view.loadOlder()),
      send: (text) => r.room.reply(root, { text }),
      typing: (on) => typing(r, on),
      sentences: { FORBIDDEN: "You are muted in this room, or no longer in it." },
    });
    thread = { root, view, panel, stop: view.subscribe(() => render(r)) };
    pane.append(panel.element);
    render(r);
    panel.composer.focus();
  }

  function closeThread(): void {
    if (!thread) return;
    thread.stop();
    thread.view.close();
    thread.panel.element.remove();
    thread = undefined;
  }

  function render(r: Room): void {
    shown = r;
    // Replies are in their threads; the room shows the messages that start one, or stand alone.
    const messages = (r.view?.current.messages ?? []).filter((m) => m.replyTo === undefined);
    showMessages(
      list,
      messages.map((m, i) => line(m) ?? items.item(m, lineOrText(messages[i - 1]))),
      r.view?.current.loading ? "Loading…" : `This is the start of ${r.name}.`,
    );
    if (thread) {
      const root = messages.find((m) => m.seq === thread?.root);
      const { messages: replies, hasOlder } = thread.view.current;
      thread.panel.render(root, replies, hasOlder);
    }
  }

  return { list, render, closeThread };
}

/** The message before, for grouping by sender: a membership line breaks a run. */
const lineOrText = (m: Entry | undefined) => (m && isText(m) ? m : undefined);
