import type { Message } from "@roomkit/protocol";
import { inlineEditor, messageMenu, reactionChips, repliesLabel, tombstoneText } from "./changes.js";
import { feedback } from "./errors.js";
import { clock, h } from "./ui.js";

/** What a chat app tells {@link MessageItems} about its messages and what the reader may do to them. */
export interface MessageItemsOptions<M extends Message> {
  me: string;
  /** The contract's reactions, for the picker. */
  choices: readonly string[];
  /** The inside of a live message's bubble: its text, a picture... */
  content(message: M): (Node | string | false | undefined)[];
  /** The text the editor starts from, when the reader may edit this message; undefined when not. */
  editable(message: M): string | undefined;
  /** Whether the reader may delete it: their own, or, for a room's owner and admins, any. */
  deletable(message: M): boolean;
  /** Whether the reader may react and reply at all (a muted member may not). */
  canAct(): boolean;
  /** Who is shown above a message of someone else's, unless the one before is theirs too. */
  showSender: boolean;
  react(message: M, reaction: string, give: boolean): Promise<unknown>;
  edit(message: M, text: string): Promise<unknown>;
  delete(message: M): Promise<unknown>;
  /** Opens the message's thread; absent where there are no threads (inside a thread). */
  openThread?: (message: M) => void;
  /** Says why a reaction or a delete failed (the open pane's line for failures). */
  failed(action: () => Promise<unknown>): void;
  /** Redraws the list: after the editor opens or closes. */
  redraw(): void;
}

/**
 * The items of a message list, drawn from the SDK's folded view: the body as it is now with
 * "edited", a tombstone for a deleted message, the reactions, the replies of a thread's root and
 * the "⋯" menu. A message the view did not change is the same object, so it keeps its item.
 */
export class MessageItems<M extends Message> {
  readonly #items = new WeakMap<M, HTMLElement>();
  #editing: string | undefined;
  /** The open editor, kept across redraws so that what the reader typed stays. */
  #editor: HTMLElement | undefined;

  constructor(private readonly options: MessageItemsOptions<M>) {}

  /** The item for `message`, after `previous` (for grouping by sender). */
  item(message: M, previous: M | undefined): HTMLElement {
    // The item being edited is drawn afresh each time (around the same editor), and not kept.
    if (this.#editing === message.id) return this.#draw(message, previous);
    const known = this.#items.get(message);
    if (known) return known;
    const item = this.#draw(message, previous);
    this.#items.set(message, item);
    return item;
  }

  #draw(m: M, previous: M | undefined): HTMLElement {
    const { me, showSender } = this.options;
    const mine = m.from === me;
    const continued = previous !== undefined && previous.from === m.from && !previous.deleted;
    const classes = `message ${mine ? "mine" : "theirs"}${m.deleted ? " tombstone" : ""}`;
    return h(
      "li",
      { class: classes, "data-seq": m.seq, "data-id": m.id },
      showSender && !mine && !continued && h("span", { class: "from" }, m.from),
      h("div", { class: "line" }, this.#body(m), !m.deleted && this.#menu(m)),
      !m.deleted &&
        reactionChips(
          m.reactions,
          (reaction, give) => this.options.failed(() => this.options.react(m, reaction, give)),
          this.options.canAct(),
        ),
      h(
        "span",
        { class: "meta" },
        h("time", { datetime: new Date(m.sentAt).toISOString() }, clock(m.sentAt)),
        m.editedAt !== undefined && !m.deleted && h("span", { class: "edited", title: `Edited ${clock(m.editedAt)}` }, "edited"),
      ),
      m.replies &&
        this.options.openThread &&
        h("button", { type: "button", class: "thread-link", onclick: () => this.options.openThread?.(m) }, repliesLabel(m.replies.count)),
    );
  }

  #body(m: M): HTMLElement {
    if (m.deleted) return h("div", { class: "bubble" }, h("p", { class: "text" }, tombstoneText(m.deleted, m.from, this.options.me)));
    const start = this.options.editable(m);
    if (this.#editing === m.id && start !== undefined) {
      const close = () => {
        this.#editing = undefined;
        this.#editor = undefined;
        this.options.redraw();
      };
      this.#editor ??= inlineEditor(start, {
        said: feedback(),
        cancel: close,
        save: async (text) => {
          await this.options.edit(m, text);
          close();
        },
      });
      return this.#editor;
    }
    return h("div", { class: "bubble" }, this.options.content(m));
  }

  #menu(m: M): HTMLElement | false {
    const { options } = this;
    if (!options.canAct() && !options.deletable(m)) return false;
    const acting = options.canAct();
    return messageMenu({
      choices: options.choices,
      reactions: m.reactions,
      ...(acting ? { react: (reaction: string, give: boolean) => options.failed(() => options.react(m, reaction, give)) } : {}),
      ...(acting && options.openThread ? { reply: () => options.openThread?.(m) } : {}),
      ...(acting && options.editable(m) !== undefined
        ? {
            edit: () => {
              this.#editing = m.id;
              this.#editor = undefined;
              options.redraw();
            },
          }
        : {}),
      ...(options.deletable(m) ? { delete: () => options.failed(() => options.delete(m)) } : {}),
    });
  }
}
