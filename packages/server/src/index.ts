/**
 * `createRoomkit(io, options)` on a Socket.IO server you own: authentication, channels, DMs, rooms,
 * presence, history, recovery and the in-memory stores.
 * @module @roomkit/server
 */
export { createRoomkit } from "./roomkit.js";
export type { ActAs, PublishOptions, Roomkit } from "./api.js";
export type {
  AddMemberEvent, AttachmentCheck, AuthUser, BeforeMessageResult, ChannelPolicies, ChannelRef, CheckedPolicies, FamilyPolicy, Handshake, MessageDraft, RateLimit, RoomChange,
  RoomkitHooks,
  RoomkitLimits, RoomkitOptions,
} from "./options.js";
export { DEFAULT_LIMITS } from "./options.js";
export type { CreateRoomInput } from "./rooms/rooms.js";
export { bearerToken, jwtAuth, signToken } from "./auth/jwt.js";
export type { JwtAuthOptions, JwtKey, NonEmptyKey } from "./auth/jwt.js";
export type {
  AppendInput, AppendResult, MessageStore, PresenceChange, PresenceEntry, PresenceStore, RangeQuery, RangeResult, ReadStateStore,
  RoomCounts, RoomStore, Stores, StreamInfo,
} from "./stores/types.js";
export { checkAppendInput, checkRangeQuery } from "./stores/checks.js";
export {
  MemoryMessageStore, MemoryPresenceStore, MemoryReadStateStore, MemoryRoomStore, memoryStores,
} from "./stores/memory/index.js";
export type { MemoryMessageStoreOptions } from "./stores/memory/index.js";
export { RoomkitError, defineContract, dmChannel, isValidUserId, type } from "@roomkit/protocol";
