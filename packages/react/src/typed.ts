import type { Channel, ConnectionState, RoomFamily, RoomkitClient } from "@roomkit/client";
import type {
  AnyContract,
  BodyInputOf,
  BodyOf,
  ChannelId,
  FamilyName,
  FamilyOfKind,
  MemberInfoOf,
  PresenceMember,
  ProfileOf,
  ReactionOf,
  RoomMember,
  RoomSummary,
  SignalName,
  UnreadResult,
} from "@roomkit/protocol";
import type { ReactNode } from "react";
import {
  useChannelAny,
  useClientAny,
  useConnectionAny,
  useMessagesAny,
  usePresenceAny,
  useRoomMembersAny,
  useRoomsAny,
  useTypingAny,
  useUnreadAny,
} from "./hooks.js";
import type { MessagesOptions, MessagesState } from "./messages.js";
import { RoomkitProvider } from "./provider.js";
import type { RoomkitProviderProps } from "./provider.js";
import type { Fetched } from "./resource.js";
import type { TypingOptions } from "./typing.js";

/** The families with a members list: presence channels and rooms. */
export type PresenceFamily<C extends AnyContract> = FamilyOfKind<C, "presence" | "room">;

/**
 * The provider and the hooks, typed by the app's contract exactly as the client is: a channel
 * id of an undeclared family, a body of the wrong shape or a signal the family does not declare
 * does not compile. Every hook takes `undefined` for "no channel yet" and then reads nothing.
 */
export interface RoomkitHooks<C extends AnyContract> {
  /** {@link RoomkitProvider}, typed: a `client` prop must be a client of this contract. */
  RoomkitProvider(props: RoomkitProviderProps<C>): ReactNode;
  /**
   * The provider's client, for what no hook covers (`undefined` until mounted in the browser).
   * @example
   * const rk = useRoomkit();
   * const create = () => rk?.rooms.create({ name: "team" });
   */
  useRoomkit(): RoomkitClient<C> | undefined;
  /**
   * The connection state (`connecting` before the client exists and during server rendering).
   * @example
   * const connection = useConnection();
   * if (connection.status === "reconnecting") return <Banner>Reconnecting…</Banner>;
   */
  useConnection(): ConnectionState<ProfileOf<C>>;
  /**
   * A channel's shared handle, subscribed while some component reads it (`undefined` at first).
   * @example
   * const room = useChannel("room:42");
   * const invite = (id: string) => room?.invite(id);
   */
  useChannel<F extends FamilyName<C>>(id: ChannelId<C, F> | undefined): Channel<C, F> | undefined;
  /**
   * A channel's messages (or, with `thread`, one thread's replies), ready to render: the SDK's
   * view, ascending, with edits, deletes and reactions folded in, stable objects, older pages on
   * demand, the user's pending and failed sends, and the operations on messages.
   * @example
   * const { messages, pending, send, loadOlder, hasOlder } = useMessages("room:42");
   * return <>{messages.map((m) => <Row key={m.id} message={m} />)}</>;
   */
  useMessages<F extends FamilyName<C>>(
    id: ChannelId<C, F> | undefined,
    options?: MessagesOptions,
  ): MessagesState<BodyOf<C, F>, BodyInputOf<C, F>, ReactionOf<C, F>>;
  /**
   * Who is in a presence channel or room now, one entry per user.
   * @example
   * const online = usePresence("lobby:main");
   * return <p>{online.length} here</p>;
   */
  usePresence<F extends PresenceFamily<C>>(id: ChannelId<C, F> | undefined): readonly PresenceMember<MemberInfoOf<C, F>>[];
  /**
   * The ids of the other users typing in a channel, from its typing signals (each holds for a
   * while, or until a `{ on: false }` or a message from its sender).
   * @example
   * const typing = useTyping("dm:alice|bob");
   * return typing.length > 0 ? <p>{typing.join(", ")} typing…</p> : null;
   */
  useTyping<F extends FamilyName<C>>(id: ChannelId<C, F> | undefined, options?: TypingOptions<SignalName<C, F>>): readonly string[];
  /**
   * The user's unread counts, in total and per channel, kept current.
   * @example
   * const unread = useUnread();
   * const count = unread.data?.channels.find((c) => c.channel === id)?.unread ?? 0;
   */
  useUnread(): Fetched<UnreadResult>;
  /**
   * The rooms the user is a member of (every page of `rk.rooms.list`, in the order they joined
   * them), kept current as they join, leave or are added.
   * @example
   * const rooms = useRooms();
   * return <ul>{rooms.data?.map((r) => <li key={r.channel}>{r.name}</li>)}</ul>;
   */
  useRooms(): Fetched<RoomSummary[]>;
  /**
   * A room's stored members with their roles, kept current.
   * @example
   * const members = useRoomMembers("room:42");
   * const admins = members.data?.filter((m) => m.role !== "member");
   */
  useRoomMembers<F extends RoomFamily<C>>(id: ChannelId<C, F> | undefined): Fetched<RoomMember[]>;
}

/**
 * The provider and hooks for a contract, typed from it. Call once in the front end and export
 * what it returns; it makes nothing (every provider owns its own client).
 *
 * @example
 * import { createRoomkitHooks } from "@roomkit/react";
 * import type { contract } from "../shared/contract";
 *
 * export const { RoomkitProvider, useConnection, useMessages, usePresence, useTyping, useUnread, useRooms } =
 *   createRoomkitHooks<typeof contract>();
 */
export function createRoomkitHooks<C extends AnyContract>(): RoomkitHooks<C> {
  return {
    RoomkitProvider: RoomkitProvider as RoomkitHooks<C>["RoomkitProvider"],
    useRoomkit: useClientAny as RoomkitHooks<C>["useRoomkit"],
    useConnection: useConnectionAny as RoomkitHooks<C>["useConnection"],
    useChannel: useChannelAny as RoomkitHooks<C>["useChannel"],
    useMessages: useMessagesAny as RoomkitHooks<C>["useMessages"],
    usePresence: usePresenceAny as RoomkitHooks<C>["usePresence"],
    useTyping: useTypingAny as RoomkitHooks<C>["useTyping"],
    useUnread: useUnreadAny,
    useRooms: useRoomsAny,
    useRoomMembers: useRoomMembersAny,
  };
}
