import "@roomkit/example-kit/style.css";
import { createClient } from "@roomkit/client";
import { appBase, signIn, signOut } from "@roomkit/example-kit/sign-in";
import { fieldForm, messageComposer } from "@roomkit/example-kit/forms";
import { emptyState, sidebar } from "@roomkit/example-kit/layout";
import { screens } from "@roomkit/example-kit/screens";
import { avatar, connectionBanner, fill, h, typingText } from "@roomkit/example-kit/ui";
import type { Profile, contract } from "./contract.js";
import { memberPanel, myMember } from "./members.js";
import { RoomStore, unreadOf } from "./rooms.js";
import type { Room } from "./rooms.js";
import { roomTimeline } from "./timeline.js";

// The page and its start-up; the rooms' state is in rooms.ts, the members panel in members.ts,
// the messages (edits, deletes, reactions, threads) in timeline.ts.

const { token, user: me } = await signIn<Profile>({
  title: "Group chat",
  tagline: "Many-to-many on Roomkit: private rooms, invitations, who is online, kick and mute.",
  icon: "👥",
});

// ---- The Roomkit client ----

const rk = createClient<typeof contract>(location.origin, { auth: { token }, socket: { path: `${appBase}socket.io` } });
rk.connection.subscribe((state) => {
  // The demo server signs with a secret made at startup: after a restart, old tokens are refused.
  if (state.status === "disconnected" && state.reason === "refused")
    signOut("Your session ended (the demo server restarted). Sign in again.");
});
const store = new RoomStore(rk, me.id, { renderRooms, renderTimeline, renderTyping, renderMembers, roomClosed });
const { rooms } = store;

// ---- The page ----

const roomList = h("ul", { class: "list", "aria-label": "Rooms" });
const pane = h("section", { class: "pane", "aria-label": "Room" });
const members = memberPanel(me.id);
const side = sidebar(
  { icon: "👥", title: "Group chat", label: "Rooms" },
  { id: me.id, name: me.profile.name },
  h("h2", { class: "section-title" }, "Rooms"),
  newRoomForm(),
  roomList,
);
const layout = h("div", { class: "layout with-aside" }, side, pane, members.element);
// On a phone: the rooms, the open room and its members are three screens, with tabs between them.
const nav = screens(layout, [
  { id: "rooms", label: "Rooms", icon: "🗂️", panel: side },
  { id: "chat", label: "Chat", icon: "💬", panel: pane },
  { id: "members", label: "Members", icon: "👥", panel: members.element },
]);
document.body.replaceChildren(connectionBanner(rk.connection), layout);

function newRoomForm(): HTMLElement {
  return fieldForm({
    id: "room-name",
    label: "New private room",
    placeholder: "Room name",
    button: "Create",
    primary: true,
    submit: async (name) => {
      // A private room: only the people its owner and admins invite can get in.
      const room = await rk.rooms.create({ name, open: false });
      store.track(room.id, name);
      await open(room.id);
    },
  });
}

function renderRooms(): void {
  fill(
    roomList,
    rooms.size === 0
      ? h("li", { class: "empty-hint" }, "No rooms yet. Create one, or ask someone to invite you.")
      : [...rooms.values()].map((r) => {
          const unread = unreadOf(r);
          const typing = typingText(r.typing.names);
          return h(
            "li",
            null,
            h(
              "button",
              {
                class: "item",
                "data-room": r.channel,
                "aria-current": r.channel === store.openChannel ? "true" : null,
                onclick: () => void open(r.channel),
              },
              avatar(r.name, { shape: "square" }),
              h(
                "span",
                { class: "who" },
                h("span", { class: "name" }, r.name),
                h("span", { class: `sub${typing ? " typing" : ""}` }, typing || "private room"),
              ),
              unread > 0 && h("span", { class: "badge", "aria-label": `${unread} unread` }, unread),
            ),
          );
        }),
  );
  const total = [...rooms.values()].reduce((sum, r) => sum + unreadOf(r), 0);
  nav.count("rooms", total);
  document.title = `${total > 0 ? `(${total}) ` : ""}Group chat · Roomkit`;
}

function showEmptyPane(notice?: string): void {
  timeline.closeThread();
  members.hide();
  nav.offer("members", false);
  fill(
    pane,
    notice ? h("p", { class: "toast", role: "alert" }, notice) : null,
    emptyState(
      "👥",
      `Hi ${me.profile.name}!`,
      "Create a private room in the list of rooms and invite people, or open one you were added to.",
    ),
  );
}

/** The open room was left or taken away: the page goes back to empty, with a word on why. */
function roomClosed(notice?: string): void {
  history.replaceState(null, "", location.pathname);
  showEmptyPane(notice);
  nav.show(notice ? "chat" : "rooms"); // on a phone, where the notice is
}

// ---- The open room ----

const header = h("header", { class: "pane-head" });
const typingLine = h("p", { class: "typing-line", "aria-live": "polite" });

async function open(channel: string): Promise<void> {
  const r = rooms.get(channel);
  if (!r) return;
  timeline.closeThread();
  store.openChannel = channel;
  store.openView(r);
  history.replaceState(null, "", `#${encodeURIComponent(channel)}`);
  timeline.list.setAttribute("aria-label", `Messages in ${r.name}`);
  composer.reset(r.name);
  showMuted(r);
  fill(pane, header, h("div", { class: "scroller" }, timeline.list), typingLine, composer.form);
  members.show();
  nav.offer("members", true);
  nav.show("chat");
  renderRooms();
  renderHeader(r);
  renderTimeline(r);
  renderTyping(r);
  await store.loadMembers(r);
  store.markRead(r);
}

function renderHeader(r: Room): void {
  const online = r.members.filter((m) => r.room.presence.has(m.userId)).length;
  fill(
    header,
    avatar(r.name, { size: "l", shape: "square" }),
    h(
      "div",
      { class: "who" },
      h("h2", { class: "name" }, r.name),
      h("span", { class: "sub" }, r.members.length > 0 ? `${r.members.length} members · ${online} online` : "private room"),
    ),
    h("div", { class: "actions" }, h("button", { class: "ghost", onclick: () => void leave(r) }, "Leave room")),
  );
}

async function leave(r: Room): Promise<void> {
  if (await composer.said.run(() => r.room.leave(), { prefix: "Not left: " })) store.forget(r.channel);
}

/** The members list, the header's counts, and what the user may do: invite, moderate, write. */
function renderMembers(r: Room): void {
  renderHeader(r);
  showMuted(r);
  members.render(r);
}

function renderTimeline(r: Room): void {
  timeline.render(r);
}

function renderTyping(r: Room): void {
  typingLine.textContent = typingText(r.typing.names);
}

const mutedNote = h("p", { class: "composer-note", hidden: true }, "You are muted in this room: you can read, but not write.");
const composer = messageComposer({
  typing: (on) => {
    void store.openRoom?.room.signal("typing", { on });
  },
  above: [mutedNote],
  sentences: { FORBIDDEN: "You are muted in this room, or no longer in it." },
  send: async (text) => {
    // It appears when it comes back as a `message` event, in seq order with everyone's.
    await store.openRoom?.room.send({ text });
  },
});

const timeline = roomTimeline({
  me: me.id,
  pane,
  said: composer.said,
  typing: (r, on) => void r.room.signal("typing", { on }),
});

/** A muted member gets a note instead of the message box (the server would refuse anyway). */
function showMuted(r: Room): void {
  const muted = myMember(r, me.id)?.muted === true;
  mutedNote.hidden = !muted;
  composer.row.hidden = muted;
}

// ---- Start: my rooms and their unread counts, and rooms I am added to or removed from ----

rk.rooms.on("change", (e) => {
  if (e.userId !== me.id) return;
  if (e.type === "created" || e.type === "joined") {
    if (!rooms.has(e.channel)) store.loadUnread(store.track(e.channel, e.room?.name ?? e.channel.slice(5)));
    renderRooms();
  } else if (e.type === "kicked") {
    store.forget(e.channel, `You were removed from “${rooms.get(e.channel)?.name ?? e.channel}” by ${e.by ?? "the server"}.`);
  } else if (e.type === "left") store.forget(e.channel);
});
document.addEventListener("visibilitychange", () => {
  const r = store.openRoom;
  if (r) store.markRead(r);
});

let wanted: string | undefined = decodeURIComponent(location.hash.slice(1));

/** My rooms and their unread counts; rooms I was removed from while offline go. */
async function loadRooms(): Promise<void> {
  const known = [...rooms.keys()];
  const [mine, unread] = await Promise.all([rk.rooms.listAll(), rk.unread()]);
  for (const summary of mine) store.track(summary.channel as `room:${string}`, summary.name);
  for (const channel of known) {
    if (!mine.some((summary) => summary.channel === channel)) store.forget(channel, `You are no longer in “${rooms.get(channel)?.name}”.`);
  }
  for (const count of unread.channels) rooms.get(count.channel)?.unread.fromServer(count);
  renderRooms();
  if (wanted && rooms.has(wanted)) void open(wanted);
  wanted = undefined;
}

// On every connection, the first and each one after a drop: what changed meanwhile.
rk.connection.subscribe((state) => {
  if (state.status !== "connected") return;
  loadRooms().catch(() => undefined); // dropped again: the next connection tries again
  const r = store.openRoom;
  if (r) void store.loadMembers(r); // the view catches up on messages by itself
});
showEmptyPane();
renderRooms();
