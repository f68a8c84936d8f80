import "@roomkit/example-kit/style.css";
import { createClient } from "@roomkit/client";
import type { Message, RoomChannel, RoomEvent, RoomMember, RoomRole } from "@roomkit/client";
import type { BodyOf } from "@roomkit/protocol";
import { appBase, signIn, signOut } from "@roomkit/example-kit/sign-in";
import { fieldForm, messageComposer } from "@roomkit/example-kit/forms";
import { emptyState, sidebar } from "@roomkit/example-kit/layout";
import { TypingList, avatar, clock, connectionBanner, errorText, fill, h, showMessages, typingText } from "@roomkit/example-kit/ui";
import type { Profile, contract } from "./contract.js";

type Entry = { message: Message<BodyOf<typeof contract, "room">> } | { event: string };

/** One room the user is in: its handle, what the page shows, and the unread count. */
interface Room {
  channel: string;
  name: string;
  room: RoomChannel<typeof contract, "room">;
  /** Messages and membership changes, oldest first: the history, then what came live. */
  timeline: Entry[];
  /** The first page of history, asked for when the room is first opened. */
  loaded?: Promise<void>;
  latest: number;
  myRead: number;
  typing: TypingList;
  /** The stored members with their roles, loaded while the room is open. */
  members: RoomMember[];
}

const { token, user: me } = await signIn<Profile>({
  title: "Group chat",
  tagline: "Many-to-many on Roomkit: private rooms, invitations, who is online, kick and mute.",
  icon: "👥",
});

// ---- The Roomkit client ----

const rk = createClient<typeof contract>(location.origin, { auth: { token }, socket: { path: `${appBase}socket.io` } });
rk.connection.subscribe((state) => {
  // The demo server signs with a secret made at startup: after a restart, old tokens are refused.
  if (state.status === "disconnected" && state.reason === "refused") signOut("Your session ended (the demo server restarted). Sign in again.");
});
const rooms = new Map<string, Room>();
/** Rooms the user left or was removed from, kept as they were in case they are added back. */
const former = new Map<string, Room>();
let openChannel: string | undefined;

/** Follows a room the user is in: its messages, membership changes, typing and read marks. */
function track(channel: `room:${string}`, name: string): Room {
  const known = rooms.get(channel);
  if (known) return known;
  const back = former.get(channel);
  if (back) {
    // Added again: `rk.channel` subscribes the handle again, which replays what was missed.
    former.delete(channel);
    rooms.set(channel, back);
    rk.channel(back.room.id);
    return back;
  }
  const r: Room = {
    channel, name, room: rk.channel(channel), timeline: [], latest: 0, myRead: 0, members: [],
    typing: new TypingList(() => {
      renderRooms();
      if (openChannel === channel) renderTyping(r);
    }),
  };
  rooms.set(channel, r);
  r.room.on("subscribed", ({ seq }) => {
    r.latest = Math.max(r.latest, seq);
    renderRooms();
  });
  r.room.on("message", (message) => {
    r.timeline.push({ message });
    r.latest = Math.max(r.latest, message.seq);
    if (message.from === me.id) r.myRead = Math.max(r.myRead, message.seq);
    r.typing.set(message.from, false);
    changed(r);
  });
  r.room.on("receipt", ({ userId, seq }) => {
    if (userId === me.id) r.myRead = Math.max(r.myRead, seq); // read in another tab
    changed(r);
  });
  r.room.on("signal", (s) => {
    if (s.name === "typing") r.typing.set(s.from, s.data.on);
  });
  r.room.on("reset", ({ messages }) => {
    r.timeline = messages.map((message) => ({ message }));
    r.loaded = Promise.resolve();
    changed(r);
  });
  r.room.on("room", (event) => {
    const line = describe(event);
    if (line) r.timeline.push({ event: line });
    if (openChannel === channel) void loadMembers(r);
    changed(r);
  });
  r.room.presence.on("change", () => {
    if (openChannel === channel) renderMembers(r);
  });
  return r;
}

/** A membership change as a line in the conversation. */
function describe(e: RoomEvent): string | undefined {
  const who = e.userId === me.id ? "you" : e.userId;
  switch (e.type) {
    case "joined": return e.by ? `${e.by} added ${who}` : `${who} joined`;
    case "left": return `${who} left`;
    case "kicked": return `${e.by ?? "the server"} removed ${who}`;
    case "role": return `${who} ${e.userId === me.id ? "are" : "is"} now ${e.role}`;
    case "muted": return `${e.by ?? "the server"} muted ${who}`;
    case "unmuted": return `${e.by ?? "the server"} unmuted ${who}`;
    default: return undefined;
  }
}

const unreadOf = (r: Room) => Math.max(0, r.latest - r.myRead);

function markRead(r: Room): void {
  if (openChannel !== r.channel || document.visibilityState !== "visible" || r.latest <= r.myRead) return;
  r.myRead = r.latest;
  void r.room.markRead(r.latest);
}

function changed(r: Room): void {
  if (openChannel === r.channel) {
    renderTimeline(r);
    markRead(r);
  }
  renderRooms();
}

/** The user is no longer in a room: it goes from the page at once, with a word on why. */
function forget(channel: string, notice?: string): void {
  const r = rooms.get(channel);
  if (!r) return;
  rooms.delete(channel);
  former.set(channel, r);
  if (openChannel === channel) {
    openChannel = undefined;
    history.replaceState(null, "", location.pathname);
    showEmptyPane(notice);
  }
  renderRooms();
}

// ---- The page ----

const roomList = h("ul", { class: "list", "aria-label": "Rooms" });
const pane = h("section", { class: "pane", "aria-label": "Room" });
const memberList = h("ul", { class: "list members", "aria-label": "Members" });
const inviteSlot = h("div", { class: "invite" });
const aside = h("aside", { class: "aside", "aria-label": "Members", hidden: true });
document.body.replaceChildren(
  connectionBanner(rk.connection),
  h("div", { class: "layout with-aside" },
    sidebar({ icon: "👥", title: "Group chat", label: "Rooms" }, { id: me.id, name: me.profile.name },
      h("h2", { class: "section-title" }, "Rooms"),
      newRoomForm(),
      roomList,
    ),
    pane,
    aside,
  ),
);

function newRoomForm(): HTMLElement {
  return fieldForm({
    id: "room-name", label: "New private room", placeholder: "Room name", button: "Create", primary: true,
    submit: async (name) => {
      // A private room: only the people its owner and admins invite can get in.
      const room = await rk.rooms.create({ name, open: false });
      track(room.id, name);
      await open(room.id);
    },
  });
}

function renderRooms(): void {
  fill(roomList, rooms.size === 0
    ? h("li", { class: "empty-hint" }, "No rooms yet. Create one, or ask someone to invite you.")
    : [...rooms.values()].map((r) => {
        const unread = unreadOf(r);
        const typing = typingText(r.typing.names);
        return h("li", null, h("button", { class: "item", "data-room": r.channel, "aria-current": r.channel === openChannel ? "true" : null, onclick: () => void open(r.channel) },
          avatar(r.name, { shape: "square" }),
          h("span", { class: "who" }, h("span", { class: "name" }, r.name), h("span", { class: `sub${typing ? " typing" : ""}` }, typing || "private room")),
          unread > 0 && h("span", { class: "badge", "aria-label": `${unread} unread` }, unread),
        ));
      }));
  const total = [...rooms.values()].reduce((sum, r) => sum + unreadOf(r), 0);
  document.title = `${total > 0 ? `(${total}) ` : ""}Group chat · Roomkit`;
}

function showEmptyPane(notice?: string): void {
  aside.hidden = true;
  fill(pane,
    notice ? h("p", { class: "toast", role: "alert" }, notice) : null,
    emptyState("👥", `Hi ${me.profile.name}!`, "Create a private room on the left and invite people, or open one you were added to."),
  );
}

// ---- The open room ----

const header = h("header", { class: "pane-head" });
const list = h("ol", { class: "messages", "aria-live": "polite", "aria-relevant": "additions" });
const typingLine = h("p", { class: "typing-line", "aria-live": "polite" });

async function open(channel: string): Promise<void> {
  const r = rooms.get(channel);
  if (!r) return;
  openChannel = channel;
  history.replaceState(null, "", `#${encodeURIComponent(channel)}`);
  list.setAttribute("aria-label", `Messages in ${r.name}`);
  composer.reset(r.name);
  showMuted(r);
  fill(pane, header, h("div", { class: "scroller" }, list), typingLine, composer.form);
  aside.hidden = false;
  inviteSlot.replaceChildren();
  fill(aside, h("h2", { class: "section-title" }, "Members"), memberList, inviteSlot);
  renderRooms();
  renderHeader(r);
  renderTimeline(r);
  renderTyping(r);
  await loadMembers(r);
  await loadHistory(r);
  markRead(r);
}

/** The first page of history, once (and again when asking for it failed, e.g. on a drop). */
function loadHistory(r: Room): Promise<void> {
  // The page ends exactly where the live messages begin: no gap, no duplicate.
  r.loaded ??= r.room.history({ untilSubscribed: true, limit: 50 }).then((page) => {
    const shown = r.timeline.find((e): e is Extract<Entry, { message: unknown }> => "message" in e)?.message.seq ?? Infinity;
    r.timeline = [...page.messages.filter((m) => m.seq < shown).map((message) => ({ message })), ...r.timeline];
    if (openChannel === r.channel) renderTimeline(r);
  }, () => {
    r.loaded = undefined;
  });
  return r.loaded;
}

async function loadMembers(r: Room): Promise<void> {
  try {
    r.members = await r.room.members();
  } catch {
    return; // no longer a member: `forget` takes it from here
  }
  if (openChannel === r.channel) renderMembers(r);
}

function renderHeader(r: Room): void {
  const online = r.members.filter((m) => r.room.presence.has(m.userId)).length;
  fill(header,
    avatar(r.name, { size: "l", shape: "square" }),
    h("div", { class: "who" },
      h("h2", { class: "name" }, r.name),
      h("span", { class: "sub" }, r.members.length > 0 ? `${r.members.length} members · ${online} online` : "private room"),
    ),
    h("div", { class: "actions" }, h("button", { class: "ghost", onclick: () => void r.room.leave().then(() => forget(r.channel)) }, "Leave room")),
  );
}

const RANK: Record<RoomRole, number> = { owner: 3, admin: 2, member: 1 };
const myMember = (r: Room) => r.members.find((m) => m.userId === me.id);

/** The members list, the header's counts, and what the user may do: invite, moderate, write. */
function renderMembers(r: Room): void {
  renderHeader(r);
  showMuted(r);
  const mine = myMember(r);
  const online = (m: RoomMember) => r.room.presence.has(m.userId);
  const sorted = [...r.members].sort((a, b) => Number(online(b)) - Number(online(a)) || RANK[b.role] - RANK[a.role] || a.userId.localeCompare(b.userId));
  // Owners and admins invite (the server's default; `rooms: { invite: "members" }` lets everyone).
  const canInvite = mine !== undefined && mine.role !== "member";
  if (inviteSlot.dataset.canInvite !== String(canInvite) || !inviteSlot.firstChild) {
    inviteSlot.dataset.canInvite = String(canInvite);
    inviteSlot.replaceChildren(canInvite
      ? fieldForm({ id: "invite-name", label: "Invite someone", placeholder: "Their name", button: "Invite", primary: true, submit: (userId) => r.room.invite(userId) })
      : h("p", { class: "hint" }, "The owner and admins can invite people."));
  }
  fill(memberList, sorted.map((m) => {
    // The server decides; the page only offers what it would allow: a higher role acts on a lower one.
    const canModerate = mine !== undefined && m.userId !== me.id && RANK[mine.role] > RANK[m.role];
    return h("li", { class: "member", "data-member": m.userId },
      avatar(m.userId, { size: "s", online: online(m) }),
      h("span", { class: "who" },
        h("span", { class: "name" }, m.userId === me.id ? `${m.userId} (you)` : m.userId),
        h("span", { class: "sub" },
          m.role !== "member" && h("span", { class: "role" }, `${m.role} · `),
          m.muted && h("span", { class: "role muted-flag" }, "muted · "),
          online(m) ? "online" : "offline",
        ),
      ),
      canModerate && h("span", { class: "actions" },
        h("button", { class: "small", "aria-label": `${m.muted ? "Unmute" : "Mute"} ${m.userId}`, onclick: () => void moderate(r, () => r.room.mute(m.userId, !m.muted)) }, m.muted ? "Unmute" : "Mute"),
        h("button", { class: "small danger", "aria-label": `Remove ${m.userId}`, onclick: () => void moderate(r, () => r.room.kick(m.userId)) }, "Remove"),
      ),
    );
  }));
}

async function moderate(r: Room, action: () => Promise<unknown>): Promise<void> {
  try {
    await action();
  } catch (err) {
    r.timeline.push({ event: `Not done: ${errorText(err)}` });
    renderTimeline(r);
  }
}

const views = new Map<Entry, HTMLElement>();

function entryView(entry: Entry, previous: Entry | undefined): HTMLElement {
  const known = views.get(entry);
  if (known) return known;
  let view: HTMLElement;
  if ("event" in entry) view = h("li", { class: "system" }, entry.event);
  else {
    const { message: m } = entry;
    const mine = m.from === me.id;
    const continued = previous !== undefined && "message" in previous && previous.message.from === m.from;
    view = h("li", { class: `message ${mine ? "mine" : "theirs"}`, "data-seq": m.seq },
      !mine && !continued && h("span", { class: "from" }, m.from),
      h("div", { class: "bubble" }, h("p", { class: "text" }, m.body.text)),
      h("span", { class: "meta" }, h("time", { datetime: new Date(m.sentAt).toISOString() }, clock(m.sentAt))),
    );
  }
  views.set(entry, view);
  return view;
}

function renderTimeline(r: Room): void {
  showMessages(list, r.timeline.map((entry, i) => entryView(entry, r.timeline[i - 1])), `This is the start of ${r.name}.`);
}

function renderTyping(r: Room): void {
  typingLine.textContent = typingText(r.typing.names);
}

const mutedNote = h("p", { class: "composer-note", hidden: true }, "You are muted in this room: you can read, but not write.");
const composer = messageComposer({
  typing: (on) => {
    if (openChannel) void rooms.get(openChannel)?.room.signal("typing", { on });
  },
  above: [mutedNote],
  send: async (text) => {
    // It appears when it comes back as a `message` event, in seq order with everyone's.
    await (openChannel ? rooms.get(openChannel) : undefined)?.room.send({ text });
  },
});

/** A muted member gets a note instead of the message box (the server would refuse anyway). */
function showMuted(r: Room): void {
  const muted = myMember(r)?.muted === true;
  mutedNote.hidden = !muted;
  composer.row.hidden = muted;
}

// ---- Start: my rooms and their unread counts, and rooms I am added to or removed from ----

rk.rooms.on("change", (e) => {
  if (e.userId !== me.id) return;
  if (e.type === "created" || e.type === "joined") {
    if (!rooms.has(e.channel)) track(e.channel, e.room?.name ?? e.channel.slice(5));
    renderRooms();
  } else if (e.type === "kicked") {
    forget(e.channel, `You were removed from “${rooms.get(e.channel)?.name ?? e.channel}” by ${e.by ?? "the server"}.`);
  } else if (e.type === "left") forget(e.channel);
});
document.addEventListener("visibilitychange", () => {
  const r = openChannel ? rooms.get(openChannel) : undefined;
  if (r) markRead(r);
});

let wanted: string | undefined = decodeURIComponent(location.hash.slice(1));

/** My rooms and their unread counts; rooms I was removed from while offline go. */
async function loadRooms(): Promise<void> {
  const known = [...rooms.keys()];
  const [mine, unread] = await Promise.all([rk.rooms.list(), rk.unread()]);
  for (const summary of mine) track(summary.channel as `room:${string}`, summary.name);
  for (const channel of known) {
    if (!mine.some((summary) => summary.channel === channel)) forget(channel, `You are no longer in “${rooms.get(channel)?.name}”.`);
  }
  for (const { channel, latest, lastRead } of unread.channels) {
    const r = rooms.get(channel);
    if (r) Object.assign(r, { latest: Math.max(r.latest, latest), myRead: Math.max(r.myRead, lastRead) });
  }
  renderRooms();
  if (wanted && rooms.has(wanted)) void open(wanted);
  wanted = undefined;
}

// On every connection, the first and each one after a drop: what changed meanwhile.
rk.connection.subscribe((state) => {
  if (state.status !== "connected") return;
  loadRooms().catch(() => undefined); // dropped again: the next connection tries again
  const r = openChannel ? rooms.get(openChannel) : undefined;
  if (r) {
    void loadHistory(r);
    void loadMembers(r);
  }
});
showEmptyPane();
renderRooms();
