import { feedback } from "./errors.js";
import type { Feedback, Sentences } from "./errors.js";
import { h, typingSender } from "./ui.js";

/**
 * A one-field form: a label, a text box and a button. `submit` gets the trimmed value; why it
 * failed is said in `said` (its own line under the box unless given one to share), as a
 * sentence (`sentences` for this form's codes), and the box empties when it succeeds.
 */
export function fieldForm(options: {
  id: string;
  label: string;
  placeholder: string;
  button: string;
  primary?: boolean;
  submit: (value: string) => unknown;
  said?: Feedback;
  sentences?: Sentences | ((value: string) => Sentences);
}): HTMLFormElement {
  const input = h("input", { id: options.id, placeholder: options.placeholder, autocomplete: "off", maxlength: 80 });
  const said = options.said ?? feedback();
  const form = h(
    "form",
    { class: "field-form" },
    h("label", { for: options.id }, options.label),
    h("div", { class: "row" }, input, h("button", { class: options.primary ? "primary" : null, type: "submit" }, options.button)),
    options.said ? null : said.element,
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const value = input.value.trim();
    if (!value) return;
    const sentences = typeof options.sentences === "function" ? options.sentences(value) : options.sentences;
    if (await said.run(() => options.submit(value), { ...(sentences ? { sentences } : {}) })) input.value = "";
  });
  return form;
}

/** A message box, from {@link messageComposer}. */
export interface Composer {
  form: HTMLFormElement;
  /** The row with the text box and the button (hidden, e.g., for a muted member). */
  row: HTMLElement;
  /** Where a failure is said. */
  said: Feedback;
  /** Empties the box for a new conversation, labelled `Message <name>`. */
  reset(name: string): void;
  focus(): void;
}

/**
 * A message box: Enter sends (Shift+Enter makes a new line), typing signals go out while
 * writing, and a failed send shows why and gives the draft back.
 */
export function messageComposer(options: {
  /** Sends the trimmed text (maybe empty, when `ready` says there is something else to send). */
  send: (text: string) => Promise<unknown>;
  typing: (on: boolean) => void;
  /** Something to send even without text (an attached picture). */
  ready?: () => boolean;
  /** Controls before the text box (an attach button), and above the row (a preview, a note). */
  before?: Node[];
  above?: Node[];
  /** This app's sentences for a refused send (a muted member's `FORBIDDEN`...). */
  sentences?: Sentences;
}): Composer {
  const text = h("textarea", { id: "message", rows: 1, "aria-label": "Message", placeholder: "Write a message" });
  const said = feedback();
  const row = h("div", { class: "composer-row" }, options.before ?? [], text, h("button", { class: "primary", type: "submit" }, "Send"));
  const form = h("form", { class: "composer" }, options.above ?? [], row, said.element);
  const typing = typingSender(options.typing);
  text.addEventListener("input", () => typing.input());
  text.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const draft = text.value.trim();
    if (!draft && !options.ready?.()) return;
    typing.stop();
    text.value = "";
    const sent = await said.run(() => options.send(draft), {
      prefix: "Not sent: ",
      ...(options.sentences ? { sentences: options.sentences } : {}),
    });
    if (!sent) text.value ||= draft;
  });
  return {
    form,
    row,
    said,
    reset(name) {
      typing.stop();
      text.value = "";
      said.clear();
      text.placeholder = `Message ${name}`;
      text.setAttribute("aria-label", `Message ${name}`);
    },
    focus: () => text.focus(),
  };
}
