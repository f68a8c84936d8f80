import type { Server, Socket } from "socket.io";
import type { AnyContract, User } from "@roomkit/protocol";
import type { RoomkitHooks, RoomkitLimits, RoomkitOptions } from "./options.js";
import type { Stores } from "./stores/types.js";
import type { ConnectionBuckets } from "./limits/token-bucket.js";
import type { UserBuckets } from "./limits/user-quotas.js";
import type { PresenceBatcher } from "./presence/batch.js";
import type { MetricsRecorder } from "./metrics/recorder.js";
import type { ReadMarkBatch } from "./read-state/mark-batch.js";
import type { SmallSet } from "./small-set.js";

/** What the server keeps about one live connection, on this node only. */
export interface Session {
  socket: Socket;
  user: User;
  buckets: ConnectionBuckets;
  /** The user's buckets on this node (limits/user-quotas.ts), kept here from the connection's first request on: they live as long as the user has a connection. */
  userBuckets?: UserBuckets;
  /** Presence and room channels this connection is counted in. */
  presence: SmallSet<string>;
  /** Public, private and presence channels this connection subscribed to itself: what `limits.subscriptions` counts (rooms are capped by `roomMemberships`). */
  subscriptions: number;
}

/** Everything the server's parts share; made once by `createRoomkit`. */
export interface Context {
  io: Server;
  contract: AnyContract;
  options: RoomkitOptions<AnyContract>;
  stores: Stores;
  hooks: RoomkitHooks;
  limits: RoomkitLimits;
  graceMs: number;
  /** The most members a subscribe ack or an `rk:presence` page lists (`presence.pageSize`). */
  presencePage: number;
  maxPage: number;
  maxReplay: number;
  /** Live connections on this node, by user id. */
  sessions: Map<string, SmallSet<Session>>;
  /** Work in flight, so `close()` can let it finish. */
  inflight: Set<Promise<unknown>>;
  /** Adds work to `inflight` until it settles. */
  track<T>(work: Promise<T>): Promise<T>;
  /** Pending presence removals (grace period) and the function that runs each at once. */
  graceTimers: Map<ReturnType<typeof setTimeout>, () => void>;
  /** Presence changes waiting to go out, one push per channel per batch. */
  presenceBatch: PresenceBatcher;
  /** The senders' read marks, one store write per user and channel per tick. */
  readMarks: ReadMarkBatch;
  /** Stops announcing the presence changes the store makes on its own. */
  unwatchPresence: () => void;
  closing: boolean;
  /** Set by the `metrics` option's collector; undefined (and no work done) when metrics are off. */
  metrics?: MetricsRecorder;
}
