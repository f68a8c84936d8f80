import { useEffect, useMemo, useRef, useState } from "react";
import type { FormEvent } from "react";
import { errorSentence } from "@roomkit/example-kit/errors";
import { typingSender, typingText } from "@roomkit/example-kit/ui";
import { MessageRow } from "./MessageRow.js";
import type { RoomId } from "./hooks.js";
import { useChannel, useMessages, useRooms, useTyping } from "./hooks.js";

/** The open room: its messages (older ones on demand), pending sends, who is typing, and the message box. */
export function Conversation(props: { className: string; me: string; room: RoomId | undefined }) {
  const view = useMessages(props.room, { pageSize: 30 });
  const typing = useTyping(props.room);
  const room = useChannel(props.room);
  const name = useRooms().data?.find((r) => r.channel === props.room)?.name ?? "";
  const [text, setText] = useState("");
  const scroller = useRef<HTMLDivElement>(null);
  const signals = useMemo(() => typingSender((on) => void room?.signal("typing", { on }).catch(() => undefined)), [room]);
  const lastSeq = view.messages.at(-1)?.seq;
  // The operations, one object for the room's life: rows stay memoized.
  const ops = useMemo(
    () => ({ edit: view.edit, delete: view.delete, react: view.react, unreact: view.unreact }),
    [view.edit, view.delete, view.react, view.unreact],
  );

  // Read what is shown; keep the newest message in sight.
  useEffect(() => {
    if (lastSeq === undefined) return;
    void view.markRead(lastSeq).catch(() => undefined);
    scroller.current?.scrollTo({ top: scroller.current.scrollHeight });
  }, [lastSeq, view.markRead]);

  if (props.room === undefined)
    return (
      <section className={`pane ${props.className}`} aria-label="Chat">
        <div className="empty">
          <h2>Pick a room</h2>
          <p>Or make one, with the people you want in it.</p>
        </div>
      </section>
    );

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const body = text.trim();
    if (!body) return;
    setText("");
    signals.stop();
    void view.send({ text: body });
  }

  return (
    <section className={`pane ${props.className}`} aria-label="Chat">
      <header className="pane-head">
        <span className="who">
          <span className="name">{name}</span>
          <span className="sub">private room</span>
        </span>
      </header>
      <div className="scroller" ref={scroller}>
        {view.hasOlder && (
          <button type="button" className="older ghost small" disabled={view.loadingOlder} onClick={() => void view.loadOlder()}>
            {view.loadingOlder ? "Loading…" : "Show older messages"}
          </button>
        )}
        <ul className="messages">
          {view.status === "ready" && view.messages.length === 0 && view.pending.length === 0 && (
            <li className="empty-hint">No messages yet</li>
          )}
          {view.messages.map((m) => (
            <MessageRow key={m.id} message={m} mine={m.from === props.me} ops={ops} />
          ))}
          {view.pending.map((p) => (
            <li key={p.key} className={`message mine pending ${p.state}`}>
              <div className="bubble">
                <span className="text">{p.body.text}</span>
              </div>
              <span className="meta">
                {p.state === "sending" ? (
                  "Sending…"
                ) : (
                  <>
                    <span role="alert">Not sent: {errorSentence(p.error)}</span>
                    <button type="button" className="ghost small" onClick={() => view.retry(p.key)}>
                      Retry
                    </button>
                    <button type="button" className="ghost small" onClick={() => view.discard(p.key)}>
                      Discard
                    </button>
                  </>
                )}
              </span>
            </li>
          ))}
        </ul>
      </div>
      <p className="typing-line" aria-live="polite">
        {typingText([...typing])}
      </p>
      <form className="composer" onSubmit={submit}>
        <div className="composer-row">
          <textarea
            aria-label={`Message ${name}`}
            rows={1}
            value={text}
            maxLength={4000}
            onChange={(e) => {
              setText(e.target.value);
              signals.input();
            }}
            onKeyDown={(e) => {
              if (e.key === "Enter" && !e.shiftKey) {
                e.preventDefault();
                e.currentTarget.form?.requestSubmit();
              }
            }}
          />
          <button type="submit">Send</button>
        </div>
      </form>
    </section>
  );
}
