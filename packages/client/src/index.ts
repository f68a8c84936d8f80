/**
 * The typed client SDK for browsers and Node: channels, DMs, rooms, presence, history, recovery and
 * an offline outbox.
 * @module @roomkit/client
 */
export { createClient } from "./client.js";
export type { ClientEvents, DmArgs, RoomkitClient } from "./client.js";
export type { AuthPayload, ClientOptions } from "./options.js";
export type { ConnectionState, ConnectionStatus, DropReason, StopReason } from "./state.js";
export type { Observable } from "./observable.js";
export type { EventsOf, Listenable, Listener, Off, On } from "./emitter.js";
export type { Presence, PresenceEvents } from "./presence.js";
export type { CreateRoomInput, RoomListPage, RoomListQuery, Rooms, RoomsEvents } from "./rooms.js";
export type {
  AnyMessage,
  BasicChannel,
  BasicHandle,
  Channel,
  ChannelEvents,
  DmChannel,
  DmFamily,
  DmHandle,
  FamilyEvents,
  FamilySignal,
  HandleBase,
  HistoryPage,
  HistoryQuery,
  PresenceChannel,
  PresenceHandle,
  Receipt,
  ResetEvent,
  RoomChannel,
  RoomChannelEvents,
  RoomEvent,
  RoomFamily,
  RoomFamilyEvents,
  RoomHandle,
  SendOptions,
  SignalArgs,
  SignalEvent,
  SubscribedEvent,
  SubscriptionStatus,
} from "./types.js";
export type { FamilyOf, FamilyTypes, SignalNameOf } from "./family.js";
export type { BinaryInput, Sendable } from "./attachments.js";
export type { ChangeOf, FamilyChange, MessageOperations } from "./operation-types.js";
export type { MessageView, ViewOptions, ViewSnapshot } from "./view-types.js";
export type { PendingSend } from "./pending.js";
export { countReply, foldChange, foldMessage } from "./folding.js";
export type { ClientFailure } from "./errors.js";
export { failureOf } from "./errors.js";
export { RoomkitError, dmChannel } from "@roomkit/protocol";
export type {
  ChangeEntry,
  DeleteChange,
  DeletedMessage,
  EditChange,
  ErrorCode,
  LiveMessage,
  Message,
  ReactionChange,
  ReactionCount,
  PresenceMember,
  RoomInfo,
  RoomMember,
  RoomRole,
  RoomSummary,
  UnreadCount,
  UnreadResult,
  User,
} from "@roomkit/protocol";
