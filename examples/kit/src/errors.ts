import { RoomkitError } from "@roomkit/client";
import type { ErrorCode } from "@roomkit/client";
import { h } from "./ui.js";

/** An app's own sentence for a code where it knows better what went wrong ("Only announcers can post."). */
export type Sentences = Partial<Record<ErrorCode, string | ((err: RoomkitError) => string)>>;

const seconds = (ms: unknown) => Math.max(1, Math.ceil(Number(ms) / 1000));

/** What a person is told for each code when the app has nothing more precise. */
const DEFAULTS: Record<ErrorCode, (err: RoomkitError) => string> = {
  UNAUTHENTICATED: () => "Your session has ended. Sign in again.",
  FORBIDDEN: () => "You are not allowed to do that here.",
  NOT_FOUND: () => "That is not here any more.",
  INVALID: () => "The server did not accept that. Check it and try again.",
  TOO_LARGE: () => "That is too large to send.",
  RATE_LIMITED: (err) =>
    err.details?.retryAfterMs !== undefined
      ? `That was too many at once. Try again in ${seconds(err.details.retryAfterMs)} s.`
      : "You have reached the most this server allows here.",
  CONFLICT: () => "That clashes with something already there.",
  UNAVAILABLE: (err) => {
    switch (err.details?.failure) {
      case "timeout":
        return "The server did not answer in time. Try again.";
      case "disconnected":
        return "The connection dropped before the server answered. Try again once it is back.";
      case "outbox-full":
        return "Too much is waiting to be sent while offline. Try again once the connection is back.";
      case "closed":
        return "This page is no longer connected. Reload it.";
      default:
        return "The server cannot do that right now. Try again in a moment.";
    }
  },
  INTERNAL: () => "Something went wrong on the server. Try again.",
};

/**
 * The sentence a person sees for a failure, never a raw code or the server's technical text: a
 * `RoomkitError` by its code and details (the app's `sentences` first, then the defaults); any
 * other error is the app's own and says its message (the kit's forms throw sentences).
 *
 * @example
 * errorSentence(err, { FORBIDDEN: "Only announcers can post in this broadcast." })
 */
export function errorSentence(err: unknown, sentences: Sentences = {}): string {
  if (!(err instanceof RoomkitError)) return err instanceof Error ? err.message : String(err);
  const own = sentences[err.code];
  if (typeof own === "string") return own;
  return (own ?? DEFAULTS[err.code])(err);
}

/** One place on the page that says why the last action failed, from {@link feedback}. */
export interface Feedback {
  element: HTMLElement;
  /** Runs `action`: its success clears what was said (and is true), its failure says why (with `prefix`, e.g. "Not sent: "). */
  run(action: () => unknown, options?: { sentences?: Sentences; prefix?: string }): Promise<boolean>;
  say(err: unknown, options?: { sentences?: Sentences; prefix?: string }): void;
  clear(): void;
}

/**
 * A line that says why an action failed and goes at the next success: share one among the
 * actions of an area (invite, mute and remove), so an old failure never sits beside new results.
 */
export function feedback(className = "form-error"): Feedback {
  const element = h("p", { class: className, role: "alert" });
  const say: Feedback["say"] = (err, { sentences, prefix = "" } = {}) => {
    element.textContent = prefix + errorSentence(err, sentences);
  };
  return {
    element,
    say,
    clear: () => {
      element.textContent = "";
    },
    async run(action, options) {
      try {
        await action();
        element.textContent = "";
        return true;
      } catch (err) {
        say(err, options);
        return false;
      }
    },
  };
}
