/**
 * React hooks for Roomkit: one provider owning a client, and hooks typed from the app's
 * contract for the connection, messages, presence, typing, unread counts and rooms, built on
 * `useSyncExternalStore` (StrictMode and concurrent rendering safe; no socket during server rendering).
 * @module @roomkit/react
 */
export { createRoomkitHooks } from "./typed.js";
export type { PresenceFamily, RoomkitHooks } from "./typed.js";
export { RoomkitProvider } from "./provider.js";
export type { RoomkitProviderProps } from "./provider.js";
export type { MessagesOptions, MessagesState } from "./messages.js";
export type { TypingOptions } from "./typing.js";
export type { Fetched } from "./resource.js";
