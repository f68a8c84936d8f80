import { edit, react, remove, unreact } from "../channels/change-requests.js";
import { history } from "../channels/history.js";
import { publish } from "../channels/publish.js";
import { sendSignal } from "../channels/signals.js";
import { subscribe, unsubscribe } from "../channels/subscribe.js";
import { presenceRequest } from "../presence/presence.js";
import { markRead, receipts, unread } from "../read-state/read-state.js";
import { roomHandlers } from "../rooms/handlers.js";
import type { Handlers } from "./dispatch.js";

/** Every request a client can make, by wire name. */
export const handlers: Handlers = {
  "rk:subscribe": subscribe,
  "rk:unsubscribe": unsubscribe,
  "rk:publish": publish,
  "rk:signal": sendSignal,
  "rk:history": history,
  "rk:presence": presenceRequest,
  "rk:read": markRead,
  "rk:unread": unread,
  "rk:receipts": receipts,
  "rk:edit": edit,
  "rk:delete": remove,
  "rk:react": react,
  "rk:unreact": unreact,
  ...roomHandlers,
};
