import "@roomkit/example-kit/style.css";
import { createClient } from "@roomkit/client";
import type { Message } from "@roomkit/client";
import type { BodyOf } from "@roomkit/protocol";
import { appBase, signIn, signOut } from "@roomkit/example-kit/sign-in";
import { CHANGE_SENTENCES, reactionChips } from "@roomkit/example-kit/changes";
import { feedback } from "@roomkit/example-kit/errors";
import { screens } from "@roomkit/example-kit/screens";
import { avatar, clock, connectionBanner, fill, h } from "@roomkit/example-kit/ui";
import type { Profile, contract } from "./contract.js";
import { REACTIONS } from "./reactions.js";

type Emoji = (typeof REACTIONS)[number];
type Announcement = Message<BodyOf<typeof contract, "live">>;

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
// The announcements as they are now, with their stored reactions: the SDK's view loads the latest
// ones, then follows new ones and every reaction, across reconnects (a reload keeps the counts).
const announcements = live.view({ pageSize: 30 });
/** Why a reaction was not counted, under the feed. */
const reacting = feedback("reaction-refusal");

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
column.append(
  ...(announcer ? [publisher()] : []),
  h("div", { class: "feed-scroll" }, feed),
  announcer ? reacting.element : viewerBar(),
  stream,
);

// ---- Announcements and their reactions, newest first, from the view ----

const items = new WeakMap<Announcement, HTMLElement>();

/** Gives or takes back my reaction to an announcement; why it failed is said under the feed. */
function toggle(m: Announcement, emoji: Emoji, give: boolean): void {
  void reacting.run(() => (give ? live.react(m.seq, emoji) : live.unreact(m.seq, emoji)), {
    prefix: "Not counted: ",
    sentences: CHANGE_SENTENCES,
  });
}

function announcementView(m: Announcement): HTMLElement {
  const known = items.get(m); // a message the view did not change is the same object
  if (known) return known;
  const item = h(
    "li",
    { class: "announcement", "data-seq": m.seq },
    h(
      "header",
      null,
      avatar(m.from, { size: "s" }),
      h("strong", null, m.from),
      h("time", { class: "muted", datetime: new Date(m.sentAt).toISOString() }, clock(m.sentAt)),
    ),
    h("p", { class: "text" }, m.deleted ? "This announcement was withdrawn." : m.body.text),
    reactionChips(m.reactions, (reaction, give) => toggle(m, reaction as Emoji, give)),
  );
  items.set(m, item);
  return item;
}

function renderFeed(): void {
  const messages = announcements.current.messages;
  const views = [...messages].reverse().map(announcementView);
  if (views.length !== feed.children.length || views.some((v, i) => feed.children[i] !== v)) feed.replaceChildren(...views);
  feed.querySelector(".latest")?.classList.remove("latest");
  feed.firstElementChild?.classList.add("latest");
  if (views.length === 0 && !announcements.current.loading)
    feed.append(
      h(
        "li",
        { class: "empty-hint" },
        announcer
          ? "Nothing published yet: write the first announcement above."
          : "Nothing announced yet. Stay tuned: announcements appear here live.",
      ),
    );
  // The side's tally: every reaction to the announcements shown; the bar's buttons: mine on the latest.
  for (const emoji of REACTIONS) {
    const total = messages.reduce((sum, m) => sum + (m.reactions?.find((r) => r.reaction === emoji)?.count ?? 0), 0);
    const tally = tallies.get(emoji);
    if (tally) tally.textContent = String(total);
  }
  const latest = messages.at(-1);
  for (const button of document.querySelectorAll<HTMLButtonElement>(".reaction-button")) {
    const mine = latest?.reactions?.some((r) => r.reaction === button.dataset.reaction && r.mine) === true;
    button.setAttribute("aria-pressed", String(mine));
    button.disabled = latest === undefined || latest.deleted !== undefined;
  }
}
announcements.subscribe(renderFeed);

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

// ---- Reactions as they come: a bubble floats up for each one given, mine included ----

live.on("change", (change) => {
  if (change.type !== "react") return;
  const bubble = h("span", { class: "floating", style: `left: ${Math.round(Math.random() * 60)}%` }, change.reaction);
  bubble.addEventListener("animationend", () => bubble.remove());
  stream.append(bubble);
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
    const draft = text.value;
    // Emptied once stored, unless the announcer already wrote the next one meanwhile.
    if ((await said.run(() => live.send({ text: draft }), { prefix: "Not published: " })) && text.value === draft) text.value = "";
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
        h("span", { class: "muted" }, "React to the latest:"),
        REACTIONS.map((emoji) =>
          h(
            "button",
            {
              type: "button",
              class: "reaction-button",
              "data-reaction": emoji,
              "aria-label": `React ${emoji}`,
              "aria-pressed": "false",
              onclick: (event: MouseEvent) => {
                const latest = announcements.current.messages.at(-1);
                const mine = (event.currentTarget as HTMLElement).getAttribute("aria-pressed") === "true";
                if (latest) toggle(latest, emoji, !mine); // one of each per person: a second click takes it back
              },
            },
            emoji,
          ),
        ),
      ),
      form,
      refusal.element,
      reacting.element,
    ),
  );
}

// ---- Start ----

renderAudience();
renderFeed();
