import { tagged } from "./keys.js";
import { FORGET_NODE, SWEEP_CHANNEL } from "./presence-scripts.js";
import type { CommandClient } from "./script.js";
import { guard } from "./unavailable.js";

/** Where presence lives (see presence-scripts.ts): a channel's keys, a node's channel list, the heartbeats. */
export class PresenceKeys {
  readonly nodes: string;

  constructor(readonly prefix: string) {
    this.nodes = `${prefix}nodes`;
  }

  /** The first key of a channel's scripts (`pr/{<channel>}/m`), which routes them to its slot. */
  channel(channel: string): string {
    return `${this.prefix}pr/${tagged(channel)}/m`;
  }

  nodeChannels(node: string): string {
    return `${this.prefix}node/${tagged(node)}/channels`;
  }
}

/**
 * Removes up to `budget` connections of `node`, one channel (one atomic script in its slot) at
 * a time, and appends (channel, user, info) per departure to `out`. A channel the node has no
 * connection left in leaves its list; a node with none left anywhere leaves the heartbeats
 * (unless it beat again meanwhile, or `retire`). Concurrent sweeps of one node by several
 * nodes report each departure once: each connection is removed by one script. Returns the
 * budget left.
 */
export async function sweepNode(
  client: CommandClient,
  keys: PresenceKeys,
  node: string,
  budget: number,
  out: string[],
  retire = false,
): Promise<number> {
  const list = keys.nodeChannels(node);
  const channels = (await guard(client.sendCommand(["SMEMBERS", list]))) as string[];
  let finished = true;
  for (const channel of channels) {
    if (budget <= 0) {
      finished = false;
      break;
    }
    const args = [keys.prefix, channel, node, String(Number.isFinite(budget) ? budget : 1e9)];
    const [done, removed, ...departures] = (await guard(SWEEP_CHANNEL.run(client, [keys.channel(channel)], args))) as [
      number,
      number,
      ...string[],
    ];
    budget -= removed;
    for (let i = 0; i < departures.length; i += 2) out.push(channel, departures[i]!, departures[i + 1]!);
    if (done === 1) await guard(client.sendCommand(["SREM", list, channel]));
    else finished = false;
  }
  if (finished) await guard(FORGET_NODE.run(client, [keys.nodes], [node, retire ? "1" : "0"]));
  return budget;
}
