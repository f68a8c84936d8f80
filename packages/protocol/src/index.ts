/**
 * Wire names, envelopes, error codes, channel ids and the typed contract, shared by server and
 * client (no runtime dependencies).
 * @module @roomkit/protocol
 */
export type { ErrorCode, ErrorPayload } from "./errors.js";
export { ERROR_CODES, RoomkitError, isErrorCode } from "./errors.js";

export type { ChannelKind, ParsedChannel, ParseResult } from "./channels.js";
export {
  CHANNEL_KINDS,
  DM_SEPARATOR,
  SYSTEM_SENDER,
  dmChannel,
  dmPeer,
  formatChannel,
  isValidFamily,
  isValidUserId,
  parseChannel,
  parseDmName,
  userRoom,
} from "./channels.js";

export type { InferInput, InferOutput, Shape, TypeOnly, ValidationIssue, ValidationResult } from "./schema.js";
export { type, validate } from "./schema.js";

export type {
  AnyContract,
  BodyInputOf,
  BodyOf,
  ChannelId,
  ContractDefinition,
  FamilyDefinition,
  FamilyName,
  FamilyOfChannel,
  FamilyOfKind,
  KindOf,
  MemberInfoOf,
  ProfileOf,
  ReactionOf,
  ResolvedChannel,
  SignalData,
  SignalName,
} from "./contract.js";
export { defineContract, resolveChannel } from "./contract.js";
export type { ChannelIdOf, CheckedChannelId, JoinNames, UnknownFamily, WrongChannelId } from "./type-errors.js";

export type {
  Attachment,
  Deletion,
  DeletedMessage,
  LiveMessage,
  Message,
  MessageCommon,
  PresenceMember,
  ReactionCount,
  ReadMark,
  ReplySummary,
  RoomInfo,
  RoomMember,
  RoomRole,
  RoomSummary,
  UnreadCount,
  User,
} from "./messages.js";
export type { ChangeEntry, ChangeType, DeleteChange, EditChange, ReactionChange } from "./changes.js";
export { CHANGE_TYPES, MAX_REACTION_LENGTH, isValidReaction } from "./changes.js";
export type { AttachmentBytesCheck, SniffableType } from "./attachments.js";
export { MAX_ATTACHMENTS, SNIFFABLE_TYPES, asBytes, checkAttachmentBytes, isAttachment, isBinary, sniffType } from "./attachments.js";

export type * from "./wire.js";
export { PROTOCOL_VERSION, Pushes, Requests } from "./wire.js";
