import { createRoomkitHooks } from "@roomkit/react";
import type { contract } from "./contract.js";

// The provider and the hooks, typed by the app's contract (a type import: no server code in the page).
export const {
  RoomkitProvider,
  useRoomkit,
  useConnection,
  useChannel,
  useMessages,
  usePresence,
  useTyping,
  useUnread,
  useRooms,
  useRoomMembers,
} = createRoomkitHooks<typeof contract>();

/** A room's channel id. */
export type RoomId = `room:${string}`;
