import { memo, useState } from "react";
import type { Message } from "@roomkit/client";
import { errorSentence } from "@roomkit/example-kit/errors";
import { clock } from "@roomkit/example-kit/ui";
import type { MessagesState } from "@roomkit/react";

type Body = { text: string };
/** The reactions the contract declares for rooms. */
export const REACTIONS = ["👍", "❤️", "😂", "🎉"] as const;
type Reaction = (typeof REACTIONS)[number];
type Operations = Pick<MessagesState<Body, Body, Reaction>, "edit" | "delete" | "react" | "unreact">;

/**
 * One message, with its reactions, and edit and delete for the user's own. Memoized: the hook
 * gives a new object only for a message that changed, and its functions never change, so a new
 * message or an edit renders that one row alone.
 */
export const MessageRow = memo(function MessageRow({ message, mine, ops }: { message: Message<Body>; mine: boolean; ops: Operations }) {
  const [draft, setDraft] = useState<string | undefined>(undefined);
  const [error, setError] = useState("");
  const run = (action: () => Promise<unknown>) =>
    action().then(
      () => setError(""),
      (err: unknown) => setError(errorSentence(err)),
    );

  if (message.deleted)
    return (
      <li className={`message ${mine ? "mine" : "theirs"} deleted`} data-seq={message.seq}>
        <div className="bubble">
          <span className="text muted">Message deleted</span>
        </div>
      </li>
    );
  const counts = new Map(message.reactions?.map((r) => [r.reaction, r]));
  return (
    <li className={`message ${mine ? "mine" : "theirs"}`} data-seq={message.seq}>
      {!mine && <span className="from">{message.from}</span>}
      <div className="bubble">
        {draft === undefined ? (
          <span className="text">{message.body.text}</span>
        ) : (
          <form
            className="edit-form"
            onSubmit={(e) => {
              e.preventDefault();
              void run(() => ops.edit(message.seq, { text: draft })).then(() => setDraft(undefined));
            }}
          >
            <input aria-label="Edit message" value={draft} onChange={(e) => setDraft(e.target.value)} maxLength={4000} />
            <button type="submit" className="small">
              Save
            </button>
            <button type="button" className="ghost small" onClick={() => setDraft(undefined)}>
              Cancel
            </button>
          </form>
        )}
      </div>
      <span className="meta">
        {clock(message.sentAt)}
        {message.editedAt !== undefined && " · edited"}
      </span>
      <span className="reactions">
        {REACTIONS.map((reaction) => {
          const given = counts.get(reaction);
          return (
            <button
              key={reaction}
              type="button"
              className={`reaction-button small${given?.mine ? " mine" : ""}`}
              aria-pressed={given?.mine ?? false}
              aria-label={`${reaction} ${given?.count ?? 0}`}
              onClick={() => void run(() => (given?.mine ? ops.unreact(message.seq, reaction) : ops.react(message.seq, reaction)))}
            >
              {reaction}
              {given && <span className="n">{given.count}</span>}
            </button>
          );
        })}
        {mine && draft === undefined && (
          <>
            <button type="button" className="ghost small" onClick={() => setDraft(message.body.text)}>
              Edit
            </button>
            <button type="button" className="ghost small" onClick={() => void run(() => ops.delete(message.seq))}>
              Delete
            </button>
          </>
        )}
      </span>
      {error && (
        <span className="form-error" role="alert">
          {error}
        </span>
      )}
    </li>
  );
});
