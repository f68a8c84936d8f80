import { TEXT } from "../contract.js";
import { nowUs, sleep, until } from "../gen/clock.js";
import type { Fleet } from "../gen/fleet.js";
import { startMeter } from "../gen/meter.js";
import { openLoop } from "../gen/rate.js";
import { SocketIoClient } from "../gen/socketio-client.js";
import type { Metrics } from "../method.js";

/**
 * The measured windows of the capacity model (issue 15), each on a fleet that is already
 * connected: nothing (heartbeats only), a fan-out room at a fixed rate, and presence changes in a
 * room at a fixed rate. The DM window is `dmWindow` of workloads/direct.ts. Each returns the
 * servers' CPU over the window divided by what it did.
 */

const DRAIN_MS = 15_000;
/** After the last presence change: Roomkit's `presence.batchMs` (50 ms) and the push's way out. */
const PRESENCE_SETTLE_MS = 500;
let windows = 0;

/** Heartbeats only: the servers' CPU per connection per second over `seconds`. */
export async function idleWindow(fleet: Fleet, seconds: number): Promise<Metrics> {
  const meter = await startMeter(fleet.servers);
  await sleep(seconds * 1000);
  const usage = await meter.stop();
  const n = fleet.clients.length;
  return {
    idleCpuPct: usage.serverCpuPct,
    idleCpuUsPerConnS: usage.serverCpuUs / usage.seconds / n,
    idleS: usage.seconds,
  };
}

export interface FanoutLoad {
  /** The room every message goes to; its members are `fleet.clients[0..members-1]`. */
  room: string;
  members: number;
  /** Messages per second into the room. */
  rate: number;
  /** Members taking turns to send (Roomkit's default publish limit is 20/s per connection). */
  senders: number;
}

/** `load.rate` messages a second into one room; every member but the sender must get each one. */
export async function fanoutWindow(fleet: Fleet, load: FanoutLoad, seconds: number): Promise<Metrics> {
  const w = ++windows;
  const members = fleet.clients.slice(0, load.members);
  const count = Math.max(1, Math.round(load.rate * seconds));
  const expected = count * (members.length - 1);
  let received = 0;
  let acked = 0;
  let refused = 0;
  for (const c of fleet.clients) c.onMessage = () => {};
  for (const c of members) {
    c.onMessage = (m) => {
      if (m.body.w === w && m.channel === load.room) received++;
    };
  }
  const meter = await startMeter(fleet.servers);
  await openLoop(load.rate, count, (k) => {
    members[k % load.senders]!.sendRoom(load.room, { text: TEXT, t: nowUs(), k, w }, (err) => {
      acked++;
      if (err) refused++;
    });
  });
  await until(() => received >= expected && acked >= count, DRAIN_MS);
  const usage = await meter.stop();
  return {
    fanoutMessages: count,
    deliveries: expected,
    cpuUsPerDelivery: usage.serverCpuUs / expected,
    fanoutCpuPct: usage.serverCpuPct,
    lost: expected - received,
    errors: refused + (count - acked),
  };
}

export interface PresenceLoad {
  /** A room whose members are `fleet.clients[0..members-1]`, all connected (so all present). */
  room: string;
  members: number;
  /** Members who leave (`rk:unsubscribe`) and come back (`rk:subscribe`) in turn. */
  churners: number;
  /** Presence changes (a leave or a join) per second, all churners together. */
  rate: number;
}

/**
 * Roomkit only: `load.rate` presence changes a second in one room. Change k toggles churner
 * k mod churners (out, then back in), so a window of whole rounds leaves everyone present again.
 * Counts every `rk:presence` push of the room that reaches a connection: the servers' CPU is
 * given per change and per delivered push (Roomkit batches a channel's changes for 50 ms).
 */
export async function presenceWindow(fleet: Fleet, load: PresenceLoad, seconds: number): Promise<Metrics> {
  const members = fleet.clients.slice(0, load.members);
  const churners = members.slice(0, load.churners);
  if (!churners.every((c): c is SocketIoClient => c instanceof SocketIoClient)) throw new Error("presence needs Roomkit clients");
  const round = 2 * churners.length;
  const count = Math.max(round, Math.round((load.rate * seconds) / round) * round);
  let pushes = 0;
  let acked = 0;
  let refused = 0;
  for (const c of members) {
    if (c instanceof SocketIoClient)
      c.onPresence = (channel) => {
        if (channel === load.room) pushes++;
      };
  }
  const away = new Set<number>();
  const meter = await startMeter(fleet.servers);
  await openLoop(load.rate, count, (k) => {
    const i = k % churners.length;
    const c = churners[i]!;
    const done = (err?: string) => {
      acked++;
      if (err) refused++;
    };
    if (away.delete(i)) {
      c.subscribe(load.room).then(
        (r) => done(r.ok ? undefined : r.error),
        () => done("FAILED"),
      );
    } else {
      away.add(i);
      c.unsubscribe(load.room, done);
    }
  });
  await until(() => acked >= count, DRAIN_MS);
  await sleep(PRESENCE_SETTLE_MS);
  const usage = await meter.stop();
  for (const c of members) if (c instanceof SocketIoClient) c.onPresence = () => {};
  return {
    presenceChanges: count,
    presencePushes: pushes,
    cpuUsPerChange: usage.serverCpuUs / count,
    cpuUsPerPush: pushes > 0 ? usage.serverCpuUs / pushes : 0,
    presenceCpuPct: usage.serverCpuPct,
    errors: refused + (count - acked),
  };
}
