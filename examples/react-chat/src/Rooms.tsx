import { useState } from "react";
import type { FormEvent } from "react";
import { errorSentence } from "@roomkit/example-kit/errors";
import { signOut } from "@roomkit/example-kit/sign-in";
import type { RoomId } from "./hooks.js";
import { useRoomkit, useRooms, useUnread } from "./hooks.js";

/** The user's rooms with their unread counts, and a form to make one. */
export function Rooms(props: { className: string; me: string; open: RoomId | undefined; onOpen: (room: RoomId) => void }) {
  const rooms = useRooms();
  const unread = useUnread();
  const rk = useRoomkit();
  const [error, setError] = useState("");
  const unreadOf = (channel: string) => unread.data?.channels.find((c) => c.channel === channel)?.unread ?? 0;

  async function create(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const members = String(data.get("members") ?? "")
      .split(/[\s,]+/)
      .filter(Boolean);
    try {
      const room = await rk?.rooms.create({ name: String(data.get("name")).trim() || "Room", members });
      setError("");
      form.reset();
      if (room) props.onOpen(room.id);
    } catch (err) {
      setError(errorSentence(err, { INVALID: "Names are 1-64 letters, digits or . _ - @ + = ~." }));
    }
  }

  return (
    <nav className={`sidebar ${props.className}`} aria-label="Rooms">
      <header className="sidebar-head">
        <span className="brand-mark small" aria-hidden="true">
          ⚛️
        </span>
        <h1>React chat</h1>
      </header>
      <p className="section-title">Rooms</p>
      <ul className="list">
        {rooms.data?.length === 0 && <li className="empty-hint">No rooms yet</li>}
        {rooms.data?.map((room) => (
          <li key={room.channel}>
            <button
              type="button"
              className="item"
              data-room={room.channel}
              aria-current={room.channel === props.open ? "true" : undefined}
              onClick={() => props.onOpen(room.channel as RoomId)}
            >
              <span className="who">
                <span className="name">{room.name}</span>
                <span className="sub">{room.role}</span>
              </span>
              {unreadOf(room.channel) > 0 && <span className="badge">{unreadOf(room.channel)}</span>}
            </button>
          </li>
        ))}
      </ul>
      <form className="field-form invite" onSubmit={create}>
        <label htmlFor="room-name">New room</label>
        <input id="room-name" name="name" placeholder="e.g. Weekend trip" maxLength={80} />
        <label htmlFor="room-members">With (names, comma-separated)</label>
        <input id="room-members" name="members" placeholder="e.g. bob, carol" spellCheck={false} />
        <button type="submit">Create room</button>
        <p className="form-error" role="alert">
          {error}
        </p>
      </form>
      <footer className="me">
        <span className="who">
          <span className="name">{props.me}</span>
          <span className="sub">signed in</span>
        </span>
        <button type="button" className="ghost" onClick={() => signOut()}>
          Sign out
        </button>
      </footer>
    </nav>
  );
}
