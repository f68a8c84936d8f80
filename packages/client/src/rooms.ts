import type {
  AnyContract,
  ChannelId,
  ChannelIdOf,
  RoomCreateRequest,
  RoomListRequest,
  RoomListResult,
  RoomPush,
  RoomSummary,
  WrongChannelId,
} from "@roomkit/protocol";
import type { FamilyOf } from "./family.js";
import type { ChannelHost } from "./channel.js";
import type { Listenable } from "./emitter.js";
import { Emitter } from "./emitter.js";
import type { ChannelRegistry } from "./registry.js";
import type { RoomEvent, RoomFamily, RoomHandle } from "./types.js";

/** What `rk.rooms.create` takes. */
export interface CreateRoomInput<C extends AnyContract, F extends RoomFamily<C>> {
  /** The room family, when the contract has several (default: the server's default room family). */
  family?: F;
  /** A channel id of your choosing, only on a server that sets `rooms.clientIds` (else `INVALID`); by default the server makes one. */
  channel?: ChannelId<C, F>;
  /** A display name (default: the channel name). */
  name?: string;
  /** Users who are members from the start. */
  members?: string[];
  /** Whether anyone may join without an invitation. Default false. */
  open?: boolean;
}

/** What `rk.rooms.list` takes: both optional. */
export interface RoomListQuery {
  /** The `next` of the page before; without it, the first page. */
  after?: string;
  /** At most this many rooms, 1 to 500 (the default); the server refuses others with `INVALID`. */
  limit?: number;
}

/** One page of `rk.rooms.list`. */
export interface RoomListPage {
  /** The user's rooms, in the order they joined them, each with their role. */
  rooms: RoomSummary[];
  /** How many rooms the user is a member of. */
  count: number;
  /** Present when more rooms follow: pass it as `after` for the next page. */
  next?: string;
}

/** The events of `rk.rooms`. */
export type RoomsEvents<C extends AnyContract = AnyContract> = {
  /** Any membership change of a room the user is in or was just added to or removed from. */
  change: [event: RoomEvent<ChannelId<C, RoomFamily<C>>>];
};

/** Rooms the user is in, and making and joining them. */
export interface Rooms<C extends AnyContract> extends Listenable<RoomsEvents<C>> {
  /**
   * Creates a room owned by the user and resolves with its handle, subscribed.
   *
   * @example
   * const room = await rk.rooms.create({ name: "team", members: ["bob", "carol"] });
   * room.presence.on("change", (members) => renderOnline(members));
   */
  create<F extends RoomFamily<C> = RoomFamily<C>>(input?: CreateRoomInput<C, F>): Promise<RoomHandle<FamilyOf<C, F>>>;
  /**
   * Joins an open room (a no-op for a member) and resolves with its handle. A channel id of a
   * family that is not a room does not compile.
   *
   * @example
   * const room = await rk.rooms.join("room:open-chat");
   */
  join<F extends string, const Id extends string = never>(
    channel: ChannelIdOf<F, RoomFamily<C>> | WrongChannelId<C, Id, RoomFamily<C>, "rooms">,
  ): Promise<RoomHandle<FamilyOf<C, F & RoomFamily<C>>>>;
  /**
   * One page of the rooms the user is a member of (the first, or the one after `query.after`), in
   * the order they joined them, with their role, how many rooms they are in, and `next` when
   * more follow. A cursor the server did not give answers no rooms.
   *
   * @example
   * const page = await rk.rooms.list({ limit: 50 });
   * for (const room of page.rooms) addToSidebar(room.channel, room.name);
   * if (page.next) showMoreButton(() => rk.rooms.list({ after: page.next, limit: 50 }));
   */
  list(query?: RoomListQuery): Promise<RoomListPage>;
  /**
   * Every room the user is a member of, read page by page (500 a page): for a sidebar that
   * shows them all. A room joined or left while the pages are read may be missing or appear.
   *
   * @example
   * for (const room of await rk.rooms.listAll()) addToSidebar(room.channel, room.name);
   */
  listAll(): Promise<RoomSummary[]>;
}

/** `rk.rooms`: room requests, and the room pushes for the app. */
export class RoomDirectory {
  readonly #events = new Emitter<{ change: [event: RoomEvent] }>();

  constructor(
    private readonly host: ChannelHost,
    private readonly registry: ChannelRegistry,
  ) {}

  on = this.#events.on.bind(this.#events);
  off = this.#events.off.bind(this.#events);

  async create(input: RoomCreateRequest = {}): Promise<unknown> {
    const { room } = await this.host.call("rk:room:create", input);
    return this.registry.open(room.channel);
  }

  async join(channel: string): Promise<unknown> {
    const { room } = await this.host.call("rk:room:join", { channel });
    return this.registry.open(room.channel);
  }

  async list(query: RoomListQuery = {}): Promise<RoomListPage> {
    const request: RoomListRequest = {};
    if (query.after !== undefined) request.after = query.after;
    if (query.limit !== undefined) request.limit = query.limit;
    const page: RoomListResult = await this.host.call("rk:room:list", request);
    return page.next === undefined ? { rooms: page.rooms, count: page.count } : { rooms: page.rooms, count: page.count, next: page.next };
  }

  async listAll(): Promise<RoomSummary[]> {
    const all: RoomSummary[] = [];
    let after: string | undefined;
    do {
      const page = await this.list(after === undefined ? {} : { after });
      all.push(...page.rooms);
      after = page.next;
    } while (after !== undefined);
    return all;
  }

  receive(push: RoomPush): void {
    const { v: _v, ...event } = push;
    this.#events.emit("change", event);
  }
}
