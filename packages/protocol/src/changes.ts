/** The kinds of change entry a channel's stream holds beside its messages. */
export type ChangeType = "edit" | "delete" | "react" | "unreact";

/** All change types, in documentation order. */
export const CHANGE_TYPES: readonly ChangeType[] = ["edit", "delete", "react", "unreact"];

/** What every change entry carries. */
interface ChangeBase {
  channel: string;
  /** Its own seq in the channel's stream, gap-free with the messages. */
  seq: number;
  /** The seq of the message it changes. */
  target: number;
  /** The user who made the change, or `$system`. */
  by: string;
  /** Server time of the change, epoch ms. */
  at: number;
}

/** The target's new body. `body` is absent once the target was deleted (a delete scrubs its edits too). */
export interface EditChange<Body = unknown> extends ChangeBase {
  type: "edit";
  body: Body;
}

/** The target was deleted by `by`: its body is gone. */
export interface DeleteChange extends ChangeBase {
  type: "delete";
}

/** One user added (`react`) or removed (`unreact`) one reaction; `count` is that reaction's count after it. */
export interface ReactionChange<Reaction extends string = string> extends ChangeBase {
  type: "react" | "unreact";
  reaction: Reaction;
  count: number;
}

/**
 * One change to a stored message, as `rk:change` pushes it and recovery replays it. Fold it into
 * the message at `target` only when `seq` is above that message's `version` (see docs/protocol.md §8.5).
 */
export type ChangeEntry<Body = unknown, Reaction extends string = string> = EditChange<Body> | DeleteChange | ReactionChange<Reaction>;

/** The longest reaction, in UTF-16 code units: room for an emoji ZWJ sequence or a short word. */
export const MAX_REACTION_LENGTH = 32;

// C0 and C1 controls and DEL: a reaction is shown as text, and "\n" separates stored keys.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is this regex's job
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * True when `value` can be a reaction: a string of 1 to {@link MAX_REACTION_LENGTH} UTF-16 code
 * units, with no control characters and no lone surrogate, that is not only whitespace.
 *
 * @example
 * isValidReaction("👍");     // true
 * isValidReaction("a\nb");  // false
 */
export function isValidReaction(value: unknown): value is string {
  return (
    typeof value === "string" &&
    value.length >= 1 &&
    value.length <= MAX_REACTION_LENGTH &&
    !CONTROL.test(value) &&
    !LONE_SURROGATE.test(value) &&
    value.trim() !== ""
  );
}
