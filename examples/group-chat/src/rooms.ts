import type { Message, MessageView, RoomChannel, RoomMember, RoomkitClient } from "@roomkit/client";
import type { BodyOf } from "@roomkit/protocol";
import { TypingList } from "@roomkit/example-kit/ui";
import { UnreadCounter } from "@roomkit/example-kit/unread";
import type { MembershipLine, contract } from "./contract.js";

/** What a room's message says: what a member wrote, or a membership line from `$system`. */
export type Body = BodyOf<typeof contract, "room">;
/** A message of a room as it is now (edited, deleted, reacted to, replied to): the SDK folds the changes in. */
export type Entry = Message<Body>;

/** One room the user is in: its handle, what the page shows, and the unread count. */
export interface Room {
  channel: string;
  name: string;
  room: RoomChannel<typeof contract, "room">;
  /**
   * Messages and membership lines as they are now, oldest first: the SDK's view, opened with the
   * room (it loads the latest page, then follows every message and change, across reconnects).
   */
  view?: MessageView<Body>;
  /** Unread messages (changes never count), and where the user has read to. */
  unread: UnreadCounter;
  typing: TypingList;
  /** The stored members with their roles, loaded while the room is open. */
  members: RoomMember[];
}

/** What the page redraws when a room changes: the store says when, and draws nothing itself. */
export interface RoomsView {
  renderRooms(): void;
  /** The open room's messages changed (a new one, an edit, a reaction...). */
  renderTimeline(r: Room): void;
  renderTyping(r: Room): void;
  renderMembers(r: Room): void;
  /** The open room is gone (left, or the user was removed), with a word on why. */
  roomClosed(notice?: string): void;
}

/** A membership line from the server, as the user reads it ("alice added you"). */
export function describe(e: MembershipLine, me: string): string {
  const who = e.userId === me ? "you" : e.userId;
  switch (e.type) {
    case "created":
      return `${who} created the room`;
    case "joined":
      return e.by ? `${e.by} added ${who}` : `${who} joined`;
    case "left":
      return `${who} left`;
    case "kicked":
      return `${e.by ?? "the server"} removed ${who}`;
    case "role":
      return `${who} ${e.userId === me ? "are" : "is"} now ${e.role}`;
    case "muted":
      return `${e.by ?? "the server"} muted ${who}`;
    case "unmuted":
      return `${e.by ?? "the server"} unmuted ${who}`;
  }
}

export const unreadOf = (r: Room) => r.unread.count;

/** The rooms the user is in, which one is open, and each kept up to date from the SDK's events. */
export class RoomStore {
  readonly rooms = new Map<string, Room>();
  /** Rooms the user left or was removed from, kept as they were in case they are added back. */
  readonly #former = new Map<string, Room>();
  openChannel: string | undefined;

  constructor(
    private readonly rk: RoomkitClient<typeof contract>,
    private readonly me: string,
    private readonly view: RoomsView,
  ) {}

  /** The room on the page, if one is open. */
  get openRoom(): Room | undefined {
    return this.openChannel ? this.rooms.get(this.openChannel) : undefined;
  }

  /** Follows a room the user is in: its messages, membership changes, typing and read marks. */
  track(channel: `room:${string}`, name: string): Room {
    const { rk, me, view } = this;
    const known = this.rooms.get(channel);
    if (known) return known;
    const back = this.#former.get(channel);
    if (back) {
      // Added again: `rk.channel` subscribes the handle again, which replays what was missed.
      this.#former.delete(channel);
      this.rooms.set(channel, back);
      rk.channel(back.room.id);
      return back;
    }
    const r: Room = {
      channel,
      name,
      room: rk.channel(channel),
      unread: new UnreadCounter(),
      members: [],
      typing: new TypingList(() => {
        view.renderRooms();
        if (this.openChannel === channel) view.renderTyping(r);
      }),
    };
    this.rooms.set(channel, r);
    r.room.on("subscribed", ({ seq }) => {
      r.unread.seen(seq);
      view.renderRooms();
    });
    // New messages move the unread count (the view shows them); changes never do.
    r.room.on("message", (message) => {
      r.unread.message(message.seq, message.from === me);
      r.typing.set(message.from, false);
      this.#changed(r);
    });
    r.room.on("receipt", ({ userId, seq }) => {
      if (userId === me && !r.unread.readUpTo(seq)) this.loadUnread(r); // read in another tab
      this.#changed(r);
    });
    r.room.on("signal", (s) => {
      if (s.name === "typing") r.typing.set(s.from, s.data.on);
    });
    // A membership change: its line comes as a `$system` message; here, the members list follows.
    r.room.on("room", () => {
      if (this.openChannel === channel) void this.loadMembers(r);
    });
    r.room.presence.on("change", () => {
      if (this.openChannel === channel) view.renderMembers(r);
    });
    return r;
  }

  /** The user is no longer in a room: it goes from the page at once, with a word on why. */
  forget(channel: string, notice?: string): void {
    const r = this.rooms.get(channel);
    if (!r) return;
    this.rooms.delete(channel);
    this.#former.set(channel, r);
    if (this.openChannel === channel) {
      this.openChannel = undefined;
      this.view.roomClosed(notice);
    }
    this.view.renderRooms();
  }

  /** The server's unread count of a room (just added to it, or read up to an older seq in another tab). */
  loadUnread(r: Room): void {
    r.room.unread().then(
      (count) => {
        r.unread.fromServer(count);
        this.#changed(r);
      },
      () => undefined,
    ); // dropped: the next connection's loadRooms has it
  }

  markRead(r: Room): void {
    const { unread } = r;
    if (this.openChannel !== r.channel || document.visibilityState !== "visible" || unread.latest <= unread.read) return;
    unread.readUpTo(unread.latest);
    void r.room.markRead(unread.latest);
  }

  /** The room's view of its messages, opened the first time the room is shown, and redrawn as it changes. */
  openView(r: Room): MessageView<Body> {
    if (r.view) return r.view;
    const view = r.room.view({ pageSize: 50 });
    r.view = view;
    view.subscribe(() => {
      if (this.openChannel === r.channel) this.view.renderTimeline(r);
    });
    return view;
  }

  async loadMembers(r: Room): Promise<void> {
    try {
      r.members = await r.room.members();
    } catch {
      return; // no longer a member: `forget` takes it from here
    }
    if (this.openChannel === r.channel) this.view.renderMembers(r);
  }

  #changed(r: Room): void {
    if (this.openChannel === r.channel) {
      this.view.renderTimeline(r);
      this.markRead(r);
    }
    this.view.renderRooms();
  }
}
