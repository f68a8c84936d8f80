import type { Message, RoomChannel, RoomMember, RoomkitClient } from "@roomkit/client";
import type { BodyOf } from "@roomkit/protocol";
import { TypingList } from "@roomkit/example-kit/ui";
import type { MembershipLine, contract } from "./contract.js";

/** A message of a room: what a member wrote, or a membership line from `$system`. */
export type Entry = Message<BodyOf<typeof contract, "room">>;

/** One room the user is in: its handle, what the page shows, and the unread count. */
export interface Room {
  channel: string;
  name: string;
  room: RoomChannel<typeof contract, "room">;
  /** Messages and membership lines, oldest first: the history, then what came live. */
  timeline: Entry[];
  /** The first page of history, asked for when the room is first opened. */
  loaded?: Promise<void>;
  latest: number;
  myRead: number;
  typing: TypingList;
  /** The stored members with their roles, loaded while the room is open. */
  members: RoomMember[];
}

/** What the page redraws when a room changes: the store says when, and draws nothing itself. */
export interface RoomsView {
  renderRooms(): void;
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

export const unreadOf = (r: Room) => Math.max(0, r.latest - r.myRead);

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
      timeline: [],
      latest: 0,
      myRead: 0,
      members: [],
      typing: new TypingList(() => {
        view.renderRooms();
        if (this.openChannel === channel) view.renderTyping(r);
      }),
    };
    this.rooms.set(channel, r);
    r.room.on("subscribed", ({ seq }) => {
      r.latest = Math.max(r.latest, seq);
      view.renderRooms();
    });
    r.room.on("message", (message) => {
      r.timeline.push(message);
      r.latest = Math.max(r.latest, message.seq);
      if (message.from === me) r.myRead = Math.max(r.myRead, message.seq);
      r.typing.set(message.from, false);
      this.#changed(r);
    });
    r.room.on("receipt", ({ userId, seq }) => {
      if (userId === me) r.myRead = Math.max(r.myRead, seq); // read in another tab
      this.#changed(r);
    });
    r.room.on("signal", (s) => {
      if (s.name === "typing") r.typing.set(s.from, s.data.on);
    });
    r.room.on("reset", ({ messages }) => {
      r.timeline = messages;
      r.loaded = Promise.resolve();
      this.#changed(r);
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

  /** Where the user has read to in a room they were just added to (the server's lines before that are read). */
  loadUnread(r: Room): void {
    r.room.unread().then(
      ({ latest, lastRead }) => {
        Object.assign(r, { latest: Math.max(r.latest, latest), myRead: Math.max(r.myRead, lastRead) });
        this.#changed(r);
      },
      () => undefined,
    ); // dropped: the next connection's loadRooms has it
  }

  markRead(r: Room): void {
    if (this.openChannel !== r.channel || document.visibilityState !== "visible" || r.latest <= r.myRead) return;
    r.myRead = r.latest;
    void r.room.markRead(r.latest);
  }

  /** The first page of history, once (and again when asking for it failed, e.g. on a drop). */
  loadHistory(r: Room): Promise<void> {
    // The page ends exactly where the live messages begin: no gap, no duplicate.
    r.loaded ??= r.room.history({ untilSubscribed: true, limit: 50 }).then(
      (page) => {
        const shown = r.timeline[0]?.seq ?? Infinity;
        r.timeline = [...page.messages.filter((m) => m.seq < shown), ...r.timeline];
        if (this.openChannel === r.channel) this.view.renderTimeline(r);
      },
      () => {
        r.loaded = undefined;
      },
    );
    return r.loaded;
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
