/**
 * `createRoomkit(io, options)` on a Socket.IO server you own: authentication, channels, DMs, rooms,
 * presence, history, recovery and the in-memory stores.
 * @module @roomkit/server
 */
export { createRoomkit } from "./roomkit.js";
export type { ActAs, ChangeOptions, HistoryQuery, PublishOptions, ReactionResult, Roomkit } from "./api.js";
export type {
  AddMemberEvent,
  AttachmentCheck,
  AuthUser,
  BeforeChangeResult,
  BeforeMessageResult,
  ChangeDraft,
  ChannelPolicies,
  ChannelRef,
  CheckedPolicies,
  FamilyPolicy,
  Handshake,
  MessageDraft,
  RateLimit,
  RoomChange,
  RoomkitHooks,
  RoomkitLimits,
  RoomkitOptions,
} from "./options.js";
export { DEFAULT_LIMITS } from "./options.js";
export type { CreateRoomInput } from "./rooms/rooms.js";
export type { MetricsCollector } from "./metrics/recorder.js";
export { bearerToken, jwtAuth, signToken } from "./auth/jwt.js";
export type { JwtAuthOptions, JwtKey, NonEmptyKey } from "./auth/jwt.js";
export type {
  AppendInput,
  AppendResult,
  ChangeInput,
  ChangeOutcome,
  CountQuery,
  MessageCount,
  MemberPage,
  MessageStore,
  PageQuery,
  PresenceChange,
  PresenceEntry,
  PresenceStore,
  RangeQuery,
  RangeResult,
  ReadStateStore,
  ReplayQuery,
  ReplayResult,
  RoomCounts,
  RoomMembership,
  RoomStore,
  Stores,
  StreamInfo,
} from "./stores/types.js";
export { checkAppendInput, checkChangeInput, checkRangeQuery, checkReplayQuery } from "./stores/checks.js";
export { decodeBody, encodeBody } from "./stores/body-codec.js";
export type { EncodedBody } from "./stores/body-codec.js";
export {
  MemoryMessageStore,
  MemoryPresenceStore,
  MemoryReadStateStore,
  MemoryRoomStore,
  memoryStores,
} from "./stores/memory/index.js";
export type { MemoryMessageStoreOptions } from "./stores/memory/index.js";
export { RoomkitError, defineContract, dmChannel, isValidUserId, type } from "@roomkit/protocol";
