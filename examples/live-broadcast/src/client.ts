import "@roomkit/example-kit/style.css";
import { createClient } from "@roomkit/client";
import type { Message } from "@roomkit/client";
import type { BodyOf, SignalData } from "@roomkit/protocol";
import { appBase, signIn, signOut } from "@roomkit/example-kit/sign-in";
import { feedback } from "@roomkit/example-kit/errors";
import { screens } from "@roomkit/example-kit/screens";
import { avatar, clock, connectionBanner, fill, h } from "@roomkit/example-kit/ui";
import type { Profile, contract } from "./contract.js";

type Emoji = SignalData<typeof contract, "live", "react">["emoji"];
const REACTIONS: Emoji[] = ["👏", "❤️", "🎉", "😂", "😮"];

const { token, user: me } = await signIn<Profile>({
  title: "Live broadcast",
  tagline: "One-to-many on Roomkit: an announcer publishes, everyone watching gets it live, and reacts.",
  icon: "📣",
  choice: {
    field: "role",
    legend: "Join as",
    options: [
      { value: "viewer", label: "Viewer", hint: "Watch and react. Posting is refused by the server." },
      { value: "announcer", label: "Announcer", hint: "Publish announcements to everyone watching." },
    ],
  },
});
const announcer = me.profile.role === "announcer";

// ---- The Roomkit client and the broadcast channel ----

const rk = createClient<typeof contract>(location.origin, { auth: { token }, socket: { path: `${appBase}socket.io` } });
rk.connection.subscribe((state) => {
  // The demo server signs with a secret made at startup: after a restart, old tokens are refused.
  if (state.status === "disconnected" && state.reason === "refused")
    signOut("Your session ended (the demo server restarted). Sign in again.");
});
const live = rk.channel("live:main");

// ---- The page ----

const feed = h("ol", { class: "feed", "aria-live": "polite", "aria-label": "Announcements" });
const livePill = h("span", { class: "live-pill" }, "OFF AIR");
const count = h("span", { class: "count", "aria-live": "polite" });
const watching = h("ul", { class: "list", "aria-label": "Watching now" });
const tallies = new Map(REACTIONS.map((emoji) => [emoji, h("small", null, "0")]));
const column = h("section", { class: "feed-column", "aria-label": "Broadcast" });
const stream = h("div", { class: "reaction-stream", "aria-hidden": "true" });
const audience = h(
  "aside",
  { class: "side", "aria-label": "Audience" },
  h("h2", { class: "section-title" }, "Watching now"),
  watching,
  h("h2", { class: "section-title" }, "Reactions"),
  h(
    "div",
    { class: "tally" },
    REACTIONS.map((emoji) => h("div", null, h("span", { "aria-hidden": "true" }, emoji), tallies.get(emoji)!)),
  ),
);
const broadcast = h("div", { class: "broadcast" }, column, audience);
// On a phone: the feed and the audience are two screens, with tabs between them.
const nav = screens(broadcast, [
  { id: "feed", label: "Broadcast", icon: "📣", panel: column },
  { id: "audience", label: "Audience", icon: "👀", panel: audience },
]);

document.body.replaceChildren(
  connectionBanner(rk.connection),
  h(
    "div",
    { class: "stage" },
    h(
      "header",
      { class: "topbar" },
      h("span", { class: "brand-mark small", "aria-hidden": "true" }, "📣"),
      h("h1", null, "Live broadcast"),
      livePill,
      h("span", { class: "spacer" }),
      count,
      h(
        "span",
        { class: "identity" },
        avatar(me.id, { size: "s" }),
        h("span", null, h("strong", null, me.profile.name), h("span", { class: "muted" }, ` · ${announcer ? "announcer" : "viewer"}`)),
        h("button", { class: "ghost", onclick: () => signOut() }, "Sign out"),
      ),
    ),
    broadcast,
  ),
);
column.append(...(announcer ? [publisher()] : []), h("div", { class: "feed-scroll" }, feed), ...(announcer ? [] : [viewerBar()]), stream);

// ---- Announcements: the history, then live ----

function announcementView(m: Message<BodyOf<typeof contract, "live">>): HTMLElement {
  return h(
    "li",
    { class: "announcement", "data-seq": m.seq },
    h(
      "header",
      null,
      avatar(m.from, { size: "s" }),
      h("strong", null, m.from),
      h("time", { class: "muted", datetime: new Date(m.sentAt).toISOString() }, clock(m.sentAt)),
    ),
    h("p", { class: "text" }, m.body?.text ?? "This announcement was deleted."),
  );
}

function showNewest(views: HTMLElement[]): void {
  feed.querySelector(".latest")?.classList.remove("latest");
  feed.prepend(...views.reverse());
  feed.firstElementChild?.classList.add("latest");
  feed.querySelector(".empty-hint")?.remove();
  if (!feed.firstElementChild)
    feed.append(
      h(
        "li",
        { class: "empty-hint" },
        announcer
          ? "Nothing published yet: write the first announcement above."
          : "Nothing announced yet. Stay tuned: announcements appear here live.",
      ),
    );
}

live.on("message", (m) => showNewest([announcementView(m)]));
live.on("reset", ({ messages }) => {
  feed.replaceChildren();
  showNewest(messages.map(announcementView));
});

// ---- Who is watching: the presence list, one entry per person however many tabs ----

function renderAudience(): void {
  const members = live.presence.members;
  const onAir = members.some((m) => m.info.role === "announcer");
  livePill.textContent = onAir ? "LIVE" : "OFF AIR";
  livePill.classList.toggle("on", onAir);
  // The same people as the list below: everyone on the channel, announcers included.
  fill(count, h("span", { "aria-hidden": "true" }, "👀"), `${members.length} watching`);
  nav.count("audience", members.length);
  fill(
    watching,
    [...members]
      .sort((a, b) => Number(b.info.role === "announcer") - Number(a.info.role === "announcer") || a.userId.localeCompare(b.userId))
      .map((m) =>
        h(
          "li",
          { class: "member" },
          avatar(m.userId, { size: "s", online: true }),
          h("span", { class: "who" }, h("span", { class: "name" }, m.userId === me.id ? `${m.userId} (you)` : m.userId)),
          m.info.role === "announcer" && h("span", { class: "tag" }, "Announcer"),
        ),
      ),
  );
}
live.presence.on("change", renderAudience);

// ---- Reactions: signals, not stored, from anyone watching ----

function showReaction(emoji: Emoji): void {
  const tally = tallies.get(emoji);
  if (tally) tally.textContent = String(Number(tally.textContent) + 1);
  const bubble = h("span", { class: "floating", style: `left: ${Math.round(Math.random() * 60)}%` }, emoji);
  bubble.addEventListener("animationend", () => bubble.remove());
  stream.append(bubble);
}
live.on("signal", (s) => {
  if (s.name === "react") showReaction(s.data.emoji);
});

// ---- Announcers publish ----

function publisher(): HTMLElement {
  const text = h("textarea", { id: "announcement", placeholder: "What's happening?", maxlength: 2000 });
  const said = feedback();
  const form = h(
    "form",
    { class: "card publisher" },
    h("label", { for: "announcement" }, "Announce to everyone watching"),
    text,
    h(
      "div",
      { class: "row" },
      h("span", { class: "hint" }, "Viewers get it live, and late-comers in the history."),
      h("button", { class: "primary", type: "submit" }, "Publish"),
    ),
    said.element,
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (!text.value.trim()) return;
    if (await said.run(() => live.send({ text: text.value }), { prefix: "Not published: " })) text.value = "";
  });
  return form;
}

// ---- Viewers react, and may try to post: the server refuses, and the page says why ----

function viewerBar(): HTMLElement {
  const input = h("input", { id: "comment", placeholder: "Say something to everyone…", maxlength: 2000, autocomplete: "off" });
  const refusal = feedback("refusal");
  const form = h(
    "form",
    { class: "comment-row" },
    h("label", { for: "comment", class: "visually-hidden" }, "Post to the broadcast"),
    input,
    h("button", { type: "submit" }, "Post"),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (!input.value.trim()) return;
    // The server refuses a viewer's post (FORBIDDEN, from the publish policy): the page says so in words.
    const sentences = { FORBIDDEN: "Only announcers can post in this broadcast. You can react instead." };
    if (await refusal.run(() => live.send({ text: input.value }), { prefix: "Not posted: ", sentences })) input.value = "";
  });
  return h(
    "div",
    { class: "viewer-bar" },
    h(
      "div",
      { class: "card" },
      h(
        "div",
        { class: "reactions", role: "group", "aria-label": "React" },
        h("span", { class: "muted" }, "React:"),
        REACTIONS.map((emoji) =>
          h(
            "button",
            {
              type: "button",
              class: "reaction-button",
              "aria-label": `React ${emoji}`,
              onclick: () => {
                showReaction(emoji); // signals are not echoed to the sender
                void live.signal("react", { emoji });
              },
            },
            emoji,
          ),
        ),
      ),
      form,
      refusal.element,
    ),
  );
}

// ---- Start: the latest announcements, then live ones ----

let loaded: Promise<void> | undefined;

/** The latest announcements, once (and again when asking failed, e.g. on a drop). */
function loadLatest(): Promise<void> {
  // The page ends where the live messages begin: it goes below any that came meanwhile, newest first.
  loaded ??= live.history({ untilSubscribed: true, limit: 30 }).then(
    (page) => {
      feed.append(...page.messages.reverse().map(announcementView));
      showNewest([]);
    },
    () => {
      loaded = undefined;
    },
  );
  return loaded;
}

rk.connection.subscribe((state) => {
  if (state.status === "connected") void loadLatest();
});
renderAudience();
void loadLatest();
