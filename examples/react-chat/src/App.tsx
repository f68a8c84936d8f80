import { useState } from "react";
import { signOut } from "@roomkit/example-kit/sign-in";
import { Conversation } from "./Conversation.js";
import { People } from "./People.js";
import { Rooms } from "./Rooms.js";
import type { RoomId } from "./hooks.js";
import { useConnection, useUnread } from "./hooks.js";

type ScreenId = "rooms" | "chat" | "people";

/** The page: rooms on the left, the open room in the middle, its people on the right (one at a time on a phone). */
export function App({ me }: { me: string }) {
  const [open, setOpen] = useState<RoomId | undefined>(undefined);
  const [screen, setScreen] = useState<ScreenId>("rooms");
  const connection = useConnection();
  const unread = useUnread();
  if (connection.status === "disconnected" && connection.reason === "refused") signOut("Your session ended: please sign in again.");

  const panel = (id: ScreenId) => `screen${screen === id ? " screen-current" : ""}`;
  const tab = (id: ScreenId, icon: string, label: string, count = 0) => (
    <button type="button" data-screen={id} aria-current={screen === id ? "page" : undefined} onClick={() => setScreen(id)}>
      <span className="emoji" aria-hidden="true">
        {icon}
      </span>
      <span>{label}</span>
      {count > 0 && <span className="badge">{count}</span>}
    </button>
  );
  return (
    <div className="layout with-aside screens">
      {connection.status !== "connected" && (
        <p className="banner" role="status">
          {connection.status === "disconnected" ? "Disconnected" : "Connecting…"}
        </p>
      )}
      <Rooms
        className={panel("rooms")}
        me={me}
        open={open}
        onOpen={(room) => {
          setOpen(room);
          setScreen("chat");
        }}
      />
      <Conversation className={panel("chat")} me={me} room={open} />
      <People className={panel("people")} me={me} room={open} />
      <nav className="tabbar" aria-label="Screens">
        {tab("rooms", "💬", "Rooms", unread.data?.total ?? 0)}
        {tab("chat", "🗨️", "Chat")}
        {open && tab("people", "👥", "People")}
      </nav>
    </div>
  );
}
