import type { ChannelKind } from "@roomkit/protocol";

/**
 * What a request does to a channel. Each request type maps to one action
 * (docs/protocol.md §4.2): `read` is `rk:history`, `rk:presence`, `rk:read`, `rk:unread` and
 * `rk:receipts`; `manage` is every room operation on an existing room but join, leave and create;
 * `edit` is `rk:edit`, `delete` is `rk:delete`, `react` is `rk:react` and `rk:unreact`.
 */
export type Action = "subscribe" | "read" | "publish" | "signal" | "edit" | "delete" | "react" | "manage" | "join" | "create";

/**
 * One check of an access decision, refused with `FORBIDDEN`:
 * - `subscribed`: the connection is subscribed to the channel (its subscribe passed this table);
 * - `policyRequired`: the family has an `authorize` policy (private and presence have none by default);
 * - `authorize`: the family's `authorize`, when it has one, says yes;
 * - `parties`: the user is one of the DM's two users;
 * - `member`: the user is a stored member of the room;
 * - `unmuted`: that member is not muted;
 * - `publisher`: the family's `publish` policy, when it has one, says yes.
 */
export type Step = "subscribed" | "policyRequired" | "authorize" | "parties" | "member" | "unmuted" | "publisher";

/** The steps of one action on one kind, in order; a row keyed by policy depends on whether the family has a `publish` policy. */
export type Row = readonly Step[] | { readonly withPublish: readonly Step[]; readonly otherwise: readonly Step[] };

/**
 * Who may do what, per channel kind and action: the one table every request's access goes
 * through. An action on a subscription (`subscribed`) inherits the `authorize` its subscribe
 * asked; every other row asks `authorize` itself, on every request. Rooms ask it even for
 * signals: their members are joined to the room without a subscribe. A DM has no subscription
 * at all, so every action checks its parties and `authorize`. An action missing from a kind's
 * row is not one that kind has (a room operation on a DM, say). Editing needs what publishing
 * needs (a muted member or a revoked publisher edits nothing); deleting needs what reading
 * needs, and the author or a room's owner or admin is checked on the message itself; reacting
 * is open to whoever listens (the viewers of a feed only announcers publish to), but not to a
 * muted room member.
 */
export const ACCESS: { readonly [K in ChannelKind]: { readonly [A in Action]?: Row } } = {
  public: {
    subscribe: ["authorize"],
    read: ["authorize"],
    // A feed with a publish policy takes publishers who need not subscribe (an announcer).
    publish: { withPublish: ["authorize", "publisher"], otherwise: ["subscribed"] },
    signal: ["subscribed"],
    edit: { withPublish: ["authorize", "publisher"], otherwise: ["subscribed"] },
    delete: ["authorize"],
    react: ["subscribed"],
  },
  private: {
    subscribe: ["policyRequired", "authorize"],
    read: ["policyRequired", "authorize"],
    publish: ["subscribed", "publisher"],
    signal: ["subscribed"],
    edit: ["subscribed", "publisher"],
    delete: ["policyRequired", "authorize"],
    react: ["subscribed"],
  },
  presence: {
    subscribe: ["policyRequired", "authorize"],
    read: ["policyRequired", "authorize"],
    publish: ["subscribed", "publisher"],
    signal: ["subscribed"],
    edit: ["subscribed", "publisher"],
    delete: ["policyRequired", "authorize"],
    react: ["subscribed"],
  },
  room: {
    subscribe: ["member", "authorize"],
    read: ["member", "authorize"],
    publish: ["member", "unmuted", "authorize", "publisher"],
    signal: ["subscribed", "member", "unmuted", "authorize"],
    edit: ["member", "unmuted", "authorize", "publisher"],
    delete: ["member", "authorize"],
    react: ["member", "unmuted", "authorize"],
    manage: ["member", "authorize"],
    join: ["authorize"],
    create: ["authorize"],
  },
  dm: {
    subscribe: ["parties", "authorize"],
    read: ["parties", "authorize"],
    publish: ["parties", "authorize", "publisher"],
    signal: ["parties", "authorize"],
    edit: ["parties", "authorize", "publisher"],
    delete: ["parties", "authorize"],
    react: ["parties", "authorize"],
  },
};

/** The steps for `action` on `kind`, given whether the family has a `publish` policy; `undefined` when the kind has no such action. */
export function stepsOf(kind: ChannelKind, action: Action, hasPublishPolicy: boolean): readonly Step[] | undefined {
  const row = ACCESS[kind][action];
  if (row === undefined || Array.isArray(row)) return row as readonly Step[] | undefined;
  const keyed = row as Exclude<Row, readonly Step[]>;
  return hasPublishPolicy ? keyed.withPublish : keyed.otherwise;
}
