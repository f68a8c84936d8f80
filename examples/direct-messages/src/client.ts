import "@roomkit/example-kit/style.css";
import { createClient } from "@roomkit/client";
import type { Message, Receipt } from "@roomkit/client";
import { dmPeer, isValidUserId } from "@roomkit/protocol";
import { appBase, signIn, signOut } from "@roomkit/example-kit/sign-in";
import { fieldForm, messageComposer } from "@roomkit/example-kit/forms";
import { emptyState, sidebar } from "@roomkit/example-kit/layout";
import { screens } from "@roomkit/example-kit/screens";
import { TypingList, avatar, clock, connectionBanner, fill, h, imageUrl, showMessages } from "@roomkit/example-kit/ui";
import type { Profile, contract } from "./contract.js";
import type { Body, Conversation } from "./conversation.js";
import { fitImage } from "./pictures.js";

const { token, user: me } = await signIn<Profile>({
  title: "Direct messages",
  tagline: "One-to-one chat on Roomkit: who is online, text and images, typing, seen and unread.",
  icon: "💬",
});

// ---- The Roomkit client: one per page, typed by the contract (a type-only import) ----

const rk = createClient<typeof contract>(location.origin, { auth: { token }, socket: { path: `${appBase}socket.io` } });
rk.connection.subscribe((state) => {
  // The demo server signs with a secret made at startup: after a restart, old tokens are refused.
  if (state.status === "disconnected" && state.reason === "refused")
    signOut("Your session ended (the demo server restarted). Sign in again.");
});
const online = rk.channel("online:everyone");
const conversations = new Map<string, Conversation>();
const typing = new TypingList(() => {
  renderPeople();
  renderHeader();
});
let openPeer: string | undefined;

/** The conversation with `peer`, its handle opened (and subscribed) on first use. */
function conversationWith(peer: string): Conversation {
  const known = conversations.get(peer);
  if (known) return known;
  const c: Conversation = { peer, dm: rk.dm(peer), messages: [], hasMore: false, latest: 0, myRead: 0, peerRead: 0 };
  conversations.set(peer, c);
  c.dm.on("subscribed", ({ seq }) => {
    c.latest = Math.max(c.latest, seq);
    renderPeople();
  });
  c.dm.on("message", (m) => {
    c.messages.push(m);
    c.latest = Math.max(c.latest, m.seq);
    // Sending moves the sender's read mark: my messages are read by me, theirs by them.
    if (m.from === me.id) c.myRead = Math.max(c.myRead, m.seq);
    else {
      c.peerRead = Math.max(c.peerRead, m.seq);
      typing.set(peer, false);
    }
    changed(c);
  });
  c.dm.on("receipt", (receipt) => {
    readUpTo(c, receipt);
    changed(c);
  });
  c.dm.on("signal", (s) => {
    if (s.name === "typing") typing.set(s.from, s.data.on);
  });
  c.dm.on("reset", ({ messages, hasMore }) => {
    Object.assign(c, { messages, hasMore, loaded: Promise.resolve() });
    changed(c);
  });
  return c;
}

const unreadOf = (c: Conversation) => Math.max(0, c.latest - c.myRead);

/** A read mark of either side: mine (read in another tab) or theirs (my messages up to it are "Seen"). */
function readUpTo(c: Conversation, { userId, seq }: Receipt): void {
  if (userId === me.id) c.myRead = Math.max(c.myRead, seq);
  else c.peerRead = Math.max(c.peerRead, seq);
}

/**
 * Where both of us have read to now: "Seen" after a reload or a drop. `receipt` events only tell
 * of marks that move while connected; `dm.receipts()` is where they stand.
 */
function loadReceipts(c: Conversation): Promise<void> {
  c.reading ??= c.dm
    .receipts()
    .then(
      (receipts) => {
        for (const receipt of receipts) readUpTo(c, receipt);
        changed(c);
      },
      () => undefined, // dropped: the next connection asks again
    )
    .finally(() => (c.reading = undefined));
  return c.reading;
}

/** Marks the open conversation read while the page is in view. */
function markRead(c: Conversation): void {
  if (openPeer !== c.peer || document.visibilityState !== "visible" || c.latest <= c.myRead) return;
  c.myRead = c.latest;
  void c.dm.markRead(c.latest);
}

function changed(c: Conversation): void {
  if (openPeer === c.peer) {
    renderMessages(c);
    markRead(c);
  }
  renderPeople();
}

// ---- The page ----

const people = h("ul", { class: "list", "aria-label": "People" });
const pane = h("section", { class: "pane", "aria-label": "Conversation" });
const side = sidebar(
  { icon: "💬", title: "Direct messages", label: "Conversations" },
  { id: me.id, name: me.profile.name },
  h("h2", { class: "section-title" }, "People"),
  people,
  newConversationForm(),
);
const layout = h("div", { class: "layout" }, side, pane);
// On a phone: the people list and the conversation are two screens, with tabs between them.
const nav = screens(layout, [
  { id: "people", label: "People", icon: "👥", panel: side },
  { id: "chat", label: "Chat", icon: "💬", panel: pane },
]);
document.body.replaceChildren(connectionBanner(rk.connection), layout);

/** Anyone, online or not, by their name (their user id). */
function newConversationForm(): HTMLElement {
  return fieldForm({
    id: "peer-name",
    label: "Message someone",
    placeholder: "Their name",
    button: "Open",
    submit: async (peer) => {
      if (peer === me.id) throw new Error("That is you: pick someone else.");
      if (!isValidUserId(peer)) throw new Error(`“${peer}” is not a name here: letters, digits and . _ - @ + = ~, no spaces.`);
      await open(peer);
    },
  });
}

function renderPeople(): void {
  const ids = new Set([...online.presence.members.map((m) => m.userId), ...conversations.keys()]);
  ids.delete(me.id);
  const sorted = [...ids].sort((a, b) => Number(online.presence.has(b)) - Number(online.presence.has(a)) || a.localeCompare(b));
  const focused = (document.activeElement as HTMLElement | null)?.dataset.peer;
  fill(
    people,
    sorted.length === 0
      ? h("li", { class: "empty-hint" }, "Nobody else is here yet. Open this page in another tab and sign in as someone else.")
      : sorted.map((peer) => {
          const c = conversations.get(peer);
          const unread = c ? unreadOf(c) : 0;
          const isOnline = online.presence.has(peer);
          const status = typing.names.includes(peer) ? "typing…" : isOnline ? "online" : "offline";
          return h(
            "li",
            null,
            h(
              "button",
              { class: "item", "data-peer": peer, "aria-current": peer === openPeer ? "true" : null, onclick: () => void open(peer) },
              avatar(peer, { online: isOnline }),
              h(
                "span",
                { class: "who" },
                h("span", { class: "name" }, peer),
                h("span", { class: `sub${status === "typing…" ? " typing" : ""}` }, status),
              ),
              unread > 0 && h("span", { class: "badge", "aria-label": `${unread} unread` }, unread),
            ),
          );
        }),
  );
  if (focused) people.querySelector<HTMLElement>(`[data-peer="${CSS.escape(focused)}"]`)?.focus();
  const total = [...conversations.values()].reduce((sum, c) => sum + unreadOf(c), 0);
  nav.count("people", total);
  document.title = `${total > 0 ? `(${total}) ` : ""}Direct messages · Roomkit`;
}

// ---- The open conversation ----

const header = h("header", { class: "pane-head" });
const list = h("ol", { class: "messages", "aria-live": "polite", "aria-relevant": "additions" });
const older = h("button", { class: "ghost older", onclick: () => void loadOlder() }, "Show older messages");

function renderHeader(): void {
  if (!openPeer) return;
  const status = typing.names.includes(openPeer) ? "typing…" : online.presence.has(openPeer) ? "online" : "offline";
  fill(
    header,
    avatar(openPeer, { online: online.presence.has(openPeer), size: "l" }),
    h(
      "div",
      { class: "who" },
      h("h2", { class: "name" }, openPeer),
      h("span", { class: `sub${status === "typing…" ? " typing" : ""}`, "aria-live": "polite" }, status),
    ),
  );
}

function showEmptyPane(): void {
  fill(pane, emptyState("💬", `Hi ${me.profile.name}!`, "Pick someone in the list of people to start a conversation."));
}

async function open(peer: string): Promise<void> {
  const c = conversationWith(peer);
  openPeer = peer;
  history.replaceState(null, "", `#${encodeURIComponent(peer)}`);
  list.setAttribute("aria-label", `Messages with ${peer}`);
  composer.reset(peer);
  clearImage();
  fill(pane, header, h("div", { class: "scroller" }, older, list), composer.form);
  nav.show("chat");
  renderHeader();
  renderPeople();
  renderMessages(c);
  void loadReceipts(c);
  await loadHistory(c);
  markRead(c);
  composer.focus();
}

/** The first page of history, once (and again when asking for it failed, e.g. on a drop). */
function loadHistory(c: Conversation): Promise<void> {
  // The page ends exactly where the live messages begin: no gap, no duplicate.
  c.loaded ??= c.dm.history({ untilSubscribed: true, limit: 50 }).then(
    (page) => {
      const first = c.messages[0]?.seq ?? Infinity; // (a `reset` may have come meanwhile)
      c.messages = [...page.messages.filter((m) => m.seq < first), ...c.messages];
      c.hasMore = page.hasMore;
      if (openPeer === c.peer) renderMessages(c);
    },
    () => {
      c.loaded = undefined;
    },
  );
  return c.loaded;
}

async function loadOlder(): Promise<void> {
  const c = openPeer ? conversations.get(openPeer) : undefined;
  const first = c?.messages[0];
  if (!c || !first) return;
  const page = await c.dm.history({ before: first.seq, limit: 50 }).catch(() => undefined);
  if (!page) return;
  c.messages = [...page.messages, ...c.messages];
  c.hasMore = page.hasMore;
  renderMessages(c);
}

const views = new Map<string, HTMLElement>();

function messageView(m: Message<Body>): HTMLElement {
  const known = views.get(m.id);
  if (known) return known;
  const { text, image } = m.body ?? { text: "This message was deleted." };
  const view = h(
    "li",
    { class: `message ${m.from === me.id ? "mine" : "theirs"}`, "data-seq": m.seq },
    h(
      "div",
      { class: "bubble" },
      image && h("img", { class: "attachment", src: imageUrl(image), alt: image.name ? `Image: ${image.name}` : "Image" }),
      text && h("p", { class: "text" }, text),
    ),
    h("span", { class: "meta" }, h("time", { datetime: new Date(m.sentAt).toISOString() }, clock(m.sentAt))),
  );
  views.set(m.id, view);
  return view;
}

function renderMessages(c: Conversation): void {
  older.hidden = !c.hasMore;
  showMessages(list, c.messages.map(messageView), `This is the start of your conversation with ${c.peer}.`);
  // "Seen" or "Sent" under my last message.
  list.querySelector(".receipt")?.remove();
  const lastMine = c.messages.findLast((m) => m.from === me.id);
  if (lastMine) {
    const seen = c.peerRead >= lastMine.seq;
    views
      .get(lastMine.id)
      ?.querySelector(".meta")
      ?.append(h("span", { class: `receipt${seen ? " seen" : ""}` }, seen ? "Seen" : "Sent"));
  }
}

// ---- Writing: text, an image with a preview, typing signals ----

let image: { type: string; data: Blob; name: string } | undefined;
const file = h("input", { id: "image", type: "file", accept: "image/*", class: "visually-hidden" });
const preview = h("div", { class: "preview", hidden: true });
const composer = messageComposer({
  typing: (on) => {
    if (openPeer) void conversations.get(openPeer)?.dm.signal("typing", { on });
  },
  ready: () => image !== undefined,
  before: [
    h(
      "label",
      { for: "image", class: "icon-button", title: "Attach an image" },
      h("span", { class: "emoji", "aria-hidden": "true" }, "🖼️"),
      h("span", { class: "visually-hidden" }, "Attach an image"),
    ),
    file,
  ],
  above: [preview],
  sentences: { INVALID: "The server could not accept it: a picture it cannot read, or more than 4,000 characters of text." },
  send: async (text) => {
    const c = openPeer ? conversations.get(openPeer) : undefined;
    if (!c) return;
    const body = { ...(text ? { text } : {}), ...(image ? { image } : {}) };
    clearImage();
    // It appears when it comes back as a `message` event, in seq order with everyone's.
    await c.dm.send(body);
  },
});

function clearImage(): void {
  const img = preview.querySelector("img");
  if (img) URL.revokeObjectURL(img.src);
  image = undefined;
  file.value = "";
  preview.hidden = true;
  preview.replaceChildren();
}

file.addEventListener("change", async () => {
  const picked = file.files?.[0];
  if (!picked) return;
  await composer.said.run(async () => {
    const fitted = await fitImage(picked);
    clearImage();
    image = fitted;
    preview.hidden = false;
    preview.append(
      h("img", { src: URL.createObjectURL(fitted.data), alt: `Preview of ${fitted.name}` }),
      h("span", { class: "file-name" }, fitted.name),
      h("button", { type: "button", class: "ghost", "aria-label": "Remove the image", onclick: clearImage }, "✕"),
    );
  });
});

// ---- Start: who is online, the conversations I have, and their unread counts ----

online.presence.on("change", () => {
  renderPeople();
  renderHeader();
});
rk.on("inbox", (m) => {
  // A message in a conversation with no handle yet: someone new wrote. Open it to follow it.
  const peer = m.channel.startsWith("dm:") ? dmPeer(m.channel.slice(3), me.id) : undefined;
  if (!peer || conversations.has(peer)) return;
  const c = conversationWith(peer);
  c.dm.unread().then(
    ({ latest, lastRead }) => {
      Object.assign(c, { latest: Math.max(c.latest, latest), myRead: Math.max(c.myRead, lastRead) });
      changed(c);
    },
    () => undefined,
  ); // dropped: the next connection's loadConversations has it
});
document.addEventListener("visibilitychange", () => {
  const c = openPeer ? conversations.get(openPeer) : undefined;
  if (c) markRead(c);
});

/** The conversations I have and their unread counts. */
async function loadConversations(): Promise<void> {
  const { channels } = await rk.unread();
  for (const { channel, latest, lastRead } of channels) {
    const peer = channel.startsWith("dm:") ? dmPeer(channel.slice(3), me.id) : undefined;
    if (!peer) continue;
    const c = conversationWith(peer);
    Object.assign(c, { latest: Math.max(c.latest, latest), myRead: Math.max(c.myRead, lastRead) });
  }
  renderPeople();
}

// On every connection, the first and each one after a drop: what changed meanwhile.
rk.connection.subscribe((state) => {
  if (state.status !== "connected") return;
  loadConversations().catch(() => undefined); // dropped again: the next connection tries again
  if (!openPeer) return;
  const c = conversationWith(openPeer);
  void loadHistory(c);
  void loadReceipts(c); // receipts sent while this page was away
});
showEmptyPane();
renderPeople();
const wanted = decodeURIComponent(location.hash.slice(1));
if (wanted && wanted !== me.id && isValidUserId(wanted)) await open(wanted);
