import { errorText, h, typingSender } from "./ui.js";

/**
 * A one-field form: a label, a text box and a button. `submit` gets the trimmed value; what it
 * throws is shown under the box, and the box empties when it succeeds.
 */
export function fieldForm(options: {
  id: string; label: string; placeholder: string; button: string; primary?: boolean; submit: (value: string) => unknown;
}): HTMLFormElement {
  const input = h("input", { id: options.id, placeholder: options.placeholder, autocomplete: "off", maxlength: 80 });
  const error = h("p", { class: "form-error", role: "alert" });
  const form = h("form", { class: "field-form" },
    h("label", { for: options.id }, options.label),
    h("div", { class: "row" }, input, h("button", { class: options.primary ? "primary" : null, type: "submit" }, options.button)),
    error,
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const value = input.value.trim();
    error.textContent = "";
    if (!value) return;
    try {
      await options.submit(value);
      input.value = "";
    } catch (err) {
      error.textContent = errorText(err);
    }
  });
  return form;
}

/** A message box, from {@link messageComposer}. */
export interface Composer {
  form: HTMLFormElement;
  /** The row with the text box and the button (hidden, e.g., for a muted member). */
  row: HTMLElement;
  /** Where a failure is said. */
  error: HTMLElement;
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
}): Composer {
  const text = h("textarea", { id: "message", rows: 1, "aria-label": "Message", placeholder: "Write a message" });
  const error = h("p", { class: "form-error", role: "alert" });
  const row = h("div", { class: "composer-row" }, options.before ?? [], text, h("button", { class: "primary", type: "submit" }, "Send"));
  const form = h("form", { class: "composer" }, options.above ?? [], row, error);
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
    error.textContent = "";
    text.value = "";
    try {
      await options.send(draft);
    } catch (err) {
      error.textContent = `Not sent: ${errorText(err)}`;
      text.value ||= draft;
    }
  });
  return {
    form,
    row,
    error,
    reset(name) {
      typing.stop();
      text.value = "";
      error.textContent = "";
      text.placeholder = `Message ${name}`;
      text.setAttribute("aria-label", `Message ${name}`);
    },
    focus: () => text.focus(),
  };
}
