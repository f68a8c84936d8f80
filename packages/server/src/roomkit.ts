import { SNIFFABLE_TYPES, defineContract } from "@roomkit/protocol";
import type { AnyContract } from "@roomkit/protocol";
import type { Server } from "socket.io";
import { createApi } from "./api.js";
import type { Roomkit } from "./api.js";
import { authMiddleware } from "./auth/authenticate.js";
import { onConnection } from "./connection.js";
import type { Context } from "./context.js";
import { DEFAULT_LIMITS } from "./options.js";
import { checkLimits } from "./limits/check-limits.js";
import type { ChannelPolicies, CheckedPolicies, RoomkitOptions } from "./options.js";
import { checkPolicies } from "./channels/check-policies.js";
import { memoryStores } from "./stores/memory/index.js";
import { logger } from "./log.js";
import { callHook } from "./hooks.js";
import { countRoomJoins, watchPresenceStore } from "./presence/presence.js";
import { PresenceBatcher } from "./presence/batch.js";
import { ReadMarkBatch } from "./read-state/mark-batch.js";
import { startTransportGuards } from "./transport/watch.js";

const log = logger("server");

/**
 * Turns a Socket.IO server the app owns into a Roomkit server: authentication at the
 * handshake, channels of every kind, rooms, DMs, presence, history and read state, on the
 * default namespace. Returns the server-side API.
 *
 * @example
 * const io = new Server(httpServer);
 * const rk = createRoomkit(io, {
 *   contract,
 *   authenticate: jwtAuth({ key: process.env.JWT_SECRET! }),
 *   channels: { news: { publish: (user) => user.profile.role === "editor" } },
 * });
 */
export function createRoomkit<C extends AnyContract, const P extends object = ChannelPolicies<C>>(
  io: Server,
  options: RoomkitOptions<C> & { channels?: CheckedPolicies<C, P> },
): Roomkit<C> {
  if (!options?.contract?.channels) throw new TypeError("createRoomkit: options.contract is required (see defineContract)");
  if (typeof options.authenticate !== "function") throw new TypeError("createRoomkit: options.authenticate is required");
  // A contract written as a plain object gets the checks of defineContract too (an unknown kind would be unguarded).
  defineContract(options.contract);
  checkPolicies(options.contract, options.channels);
  const unsniffable = (options.limits?.attachmentTypes ?? []).filter((t) => !(SNIFFABLE_TYPES as readonly string[]).includes(t));
  if (unsniffable.length > 0) {
    throw new TypeError(
      `createRoomkit: attachment types are checked against their bytes; ${unsniffable.join(", ")} cannot be (use ${SNIFFABLE_TYPES.join(", ")})`,
    );
  }
  const limits = checkLimits({ ...DEFAULT_LIMITS, ...options.limits });
  const editWindowMs = options.messages?.editWindowMs;
  if (editWindowMs !== undefined && !(typeof editWindowMs === "number" && editWindowMs > 0)) {
    throw new TypeError("createRoomkit: messages.editWindowMs must be a positive number of ms");
  }
  const presencePage = options.presence?.pageSize ?? 100;
  if (!(Number.isInteger(presencePage) && presencePage >= 1 && presencePage <= 1000)) {
    throw new TypeError("createRoomkit: presence.pageSize must be an integer from 1 to 1000");
  }
  const defaults = memoryStores();
  const stores = { ...defaults, ...options.stores };
  const ctx: Context = {
    io,
    contract: options.contract,
    options: options as unknown as RoomkitOptions<AnyContract>,
    stores,
    hooks: options.hooks ?? {},
    limits,
    graceMs: options.presence?.graceMs ?? 3000,
    presencePage,
    maxPage: options.history?.maxPage ?? 100,
    maxReplay: options.history?.maxReplay ?? 1000,
    sessions: new Map(),
    inflight: new Set(),
    track(work) {
      ctx.inflight.add(work);
      // One handler for both outcomes: a single extra promise per tracked piece of work.
      const settled = () => ctx.inflight.delete(work);
      work.then(settled, settled);
      return work;
    },
    graceTimers: new Map(),
    presenceBatch: new PresenceBatcher(io, options.presence?.batchMs ?? 50, (channel) =>
      stores.presence.page(channel, { limit: 1 }).then((page) => page.count),
    ),
    readMarks: new ReadMarkBatch(stores.readState),
    unwatchPresence: () => undefined,
    closing: false,
  };
  options.metrics?.attach(ctx);
  ctx.unwatchPresence = watchPresenceStore(ctx);
  io.use(authMiddleware(ctx));
  io.on("connection", (socket) => onConnection(ctx, socket));
  watchOccupancy(ctx);
  countRoomJoins(ctx);
  startTransportGuards(ctx);
  log("ready with families %o", Object.keys(options.contract.channels));
  return createApi<C>(ctx);
}

/** `channelOccupied` / `channelVacated` from the adapter's room events, for channel rooms only. */
function watchOccupancy(ctx: Context): void {
  const { channelOccupied, channelVacated } = ctx.hooks;
  if (!channelOccupied && !channelVacated) return;
  const adapter = ctx.io.of("/").adapter;
  const isChannel = (room: string) => {
    const family = room.slice(0, room.indexOf(":"));
    return room.includes(":") && Object.hasOwn(ctx.contract.channels, family);
  };
  adapter.on("create-room", (room: string) => isChannel(room) && callHook("channelOccupied", channelOccupied, { channel: room }));
  adapter.on("delete-room", (room: string) => isChannel(room) && callHook("channelVacated", channelVacated, { channel: room }));
}
