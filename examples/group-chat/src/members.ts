import type { RoomMember, RoomRole } from "@roomkit/client";
import { feedback } from "@roomkit/example-kit/errors";
import type { Sentences } from "@roomkit/example-kit/errors";
import { fieldForm } from "@roomkit/example-kit/forms";
import { avatar, fill, h } from "@roomkit/example-kit/ui";
import type { Room } from "./rooms.js";

const RANK: Record<RoomRole, number> = { owner: 3, admin: 2, member: 1 };

/** The user's own membership of a room: their role, and whether they are muted. */
export const myMember = (r: Room, me: string) => r.members.find((m) => m.userId === me);

/** The open room's members, beside the conversation: who is in and online, invite, mute, remove. */
export interface MemberPanel {
  element: HTMLElement;
  /** Shows the panel for a room just opened: empty until `render`, once its members load. */
  show(): void;
  hide(): void;
  /** The members list and what the user may do here: invite, and moderate those below them. */
  render(r: Room): void;
}

/** What the server's refusals of an invitation mean, for `name`. */
const inviteSentences = (name: string): Sentences => ({
  INVALID: `“${name}” is not a name here: letters, digits and . _ - @ + = ~, no spaces.`,
  CONFLICT: `${name} is in this room already.`,
  FORBIDDEN: (err) => (err.details?.userId ? `${name} is in as many rooms as a person may be.` : "Only the owner and admins can invite."),
  RATE_LIMITED: (err) =>
    err.details?.limit !== undefined
      ? `${name} is in as many rooms as a person may be.`
      : "Too many invitations at once. Try again in a moment.",
});

/** What the server's refusals of a mute or a removal mean, for `name`. */
const moderationSentences = (name: string): Sentences => ({
  FORBIDDEN: `Only someone above ${name} in this room can do that.`,
  NOT_FOUND: `${name} is not in this room any more.`,
});

/** The open room's members panel; why an invitation, a mute or a removal failed is said under the list, until the next one succeeds. */
export function memberPanel(me: string): MemberPanel {
  const memberList = h("ul", { class: "list members", "aria-label": "Members" });
  const inviteSlot = h("div", { class: "invite" });
  const said = feedback("form-error panel-error");
  const aside = h("aside", { class: "aside", "aria-label": "Members", hidden: true });
  const moderate = (name: string, action: () => Promise<unknown>) => void said.run(action, { sentences: moderationSentences(name) });

  return {
    element: aside,
    show() {
      aside.hidden = false;
      inviteSlot.replaceChildren();
      said.clear();
      fill(aside, h("h2", { class: "section-title" }, "Members"), memberList, said.element, inviteSlot);
    },
    hide() {
      aside.hidden = true;
    },
    render(r) {
      const mine = myMember(r, me);
      const online = (m: RoomMember) => r.room.presence.has(m.userId);
      const sorted = [...r.members].sort(
        (a, b) => Number(online(b)) - Number(online(a)) || RANK[b.role] - RANK[a.role] || a.userId.localeCompare(b.userId),
      );
      // Owners and admins invite (the server's default; `rooms: { invite: "members" }` lets everyone).
      const canInvite = mine !== undefined && mine.role !== "member";
      if (inviteSlot.dataset.canInvite !== String(canInvite) || !inviteSlot.firstChild) {
        inviteSlot.dataset.canInvite = String(canInvite);
        inviteSlot.replaceChildren(
          canInvite
            ? fieldForm({
                id: "invite-name",
                label: "Invite someone",
                placeholder: "Their name",
                button: "Invite",
                primary: true,
                submit: (userId) => r.room.invite(userId),
                said,
                sentences: inviteSentences,
              })
            : h("p", { class: "hint" }, "The owner and admins can invite people."),
        );
      }
      fill(
        memberList,
        sorted.map((m) => {
          // The server decides; the page only offers what it would allow: a higher role acts on a lower one.
          const canModerate = mine !== undefined && m.userId !== me && RANK[mine.role] > RANK[m.role];
          return h(
            "li",
            { class: "member", "data-member": m.userId },
            avatar(m.userId, { size: "s", online: online(m) }),
            h(
              "span",
              { class: "who" },
              h("span", { class: "name" }, m.userId === me ? `${m.userId} (you)` : m.userId),
              h(
                "span",
                { class: "sub" },
                m.role !== "member" && h("span", { class: "role" }, `${m.role} · `),
                m.muted && h("span", { class: "role muted-flag" }, "muted · "),
                online(m) ? "online" : "offline",
              ),
            ),
            canModerate &&
              h(
                "span",
                { class: "actions" },
                h(
                  "button",
                  {
                    class: "small",
                    "aria-label": `${m.muted ? "Unmute" : "Mute"} ${m.userId}`,
                    onclick: () => moderate(m.userId, () => r.room.mute(m.userId, !m.muted)),
                  },
                  m.muted ? "Unmute" : "Mute",
                ),
                h(
                  "button",
                  {
                    class: "small danger",
                    "aria-label": `Remove ${m.userId}`,
                    onclick: () => moderate(m.userId, () => r.room.kick(m.userId)),
                  },
                  "Remove",
                ),
              ),
          );
        }),
      );
    },
  };
}
