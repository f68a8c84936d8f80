import { useState } from "react";
import type { FormEvent } from "react";
import { errorSentence } from "@roomkit/example-kit/errors";
import type { RoomId } from "./hooks.js";
import { useChannel, usePresence, useRoomMembers } from "./hooks.js";

/** The open room's members, who of them is online, and adding someone. */
export function People(props: { className: string; me: string; room: RoomId | undefined }) {
  const members = useRoomMembers(props.room);
  const online = usePresence(props.room);
  const room = useChannel(props.room);
  const [error, setError] = useState("");
  const isOnline = (userId: string) => online.some((m) => m.userId === userId);

  async function invite(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const name = String(new FormData(form).get("name") ?? "").trim();
    try {
      await room?.invite(name);
      setError("");
      form.reset();
    } catch (err) {
      setError(errorSentence(err, { INVALID: `“${name}” is not a name here.` }));
    }
  }

  return (
    <aside className={`aside ${props.className}`} aria-label="People">
      <p className="section-title">{props.room ? `${members.data?.length ?? 0} members · ${online.length} online` : "People"}</p>
      <ul className="list members">
        {members.data?.map((m) => (
          <li key={m.userId} className="member" data-member={m.userId}>
            <span className={`presence-dot${isOnline(m.userId) ? " online" : ""}`} aria-hidden="true" />
            <span className="who">
              <span className="name">{m.userId === props.me ? `${m.userId} (you)` : m.userId}</span>
              <span className="sub">
                {m.role} · {isOnline(m.userId) ? "online" : "offline"}
              </span>
            </span>
          </li>
        ))}
      </ul>
      {props.room && (
        <form className="field-form invite" onSubmit={invite}>
          <label htmlFor="invite-name">Add someone</label>
          <input id="invite-name" name="name" required placeholder="e.g. dave" spellCheck={false} />
          <button type="submit">Add</button>
          <p className="form-error" role="alert">
            {error}
          </p>
        </form>
      )}
    </aside>
  );
}
