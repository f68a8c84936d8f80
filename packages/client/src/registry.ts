import { RoomkitError, dmChannel, isValidUserId, parseChannel } from "@roomkit/protocol";
import type { ChannelHost } from "./channel.js";
import { ChannelHandle } from "./channel.js";

/**
 * The client's channel handles, one per channel id, so that opening a channel twice shares
 * one handle. A DM opened before the user is known waits here by peer until `rk:welcome`.
 */
export class ChannelRegistry {
  readonly #byId = new Map<string, ChannelHandle[]>();
  readonly #pendingDms = new Map<string, { handle: ChannelHandle; family: string; peer: string }>();

  constructor(private readonly host: ChannelHost) {}

  /** The handle of a channel id, made (and subscribing) on first use, subscribed again if it was not. */
  open(id: string): ChannelHandle {
    const parsed = parseChannel(id);
    if (!parsed.ok) throw new TypeError(`invalid channel id "${String(id)}": ${parsed.reason}`);
    const existing = this.#byId.get(id)?.[0];
    if (existing) {
      void existing.subscribe();
      return existing;
    }
    const handle = new ChannelHandle(this.host, id);
    this.#byId.set(id, [handle]);
    return handle;
  }

  /** The DM handle with `peer` in `family`; `me` is the user when known. */
  dm(peer: string, family: string, me: string | undefined): ChannelHandle {
    if (me !== undefined) return this.open(dmChannel(me, peer, family));
    if (!isValidUserId(peer)) throw new TypeError(`invalid user id "${String(peer)}"`);
    const key = `${family}:${peer}`;
    const pending = this.#pendingDms.get(key);
    if (pending) {
      void pending.handle.subscribe();
      return pending.handle;
    }
    const handle = new ChannelHandle(this.host, undefined);
    this.#pendingDms.set(key, { handle, family, peer });
    return handle;
  }

  /** The user is known: DMs opened before get their ids. */
  identify(me: string): void {
    for (const { handle, family, peer } of this.#pendingDms.values()) {
      let id: string;
      try {
        id = dmChannel(me, peer, family);
      } catch (err) {
        handle.identify(new RoomkitError("INVALID", (err as Error).message));
        continue;
      }
      handle.identify(id);
      // Opened twice before connecting (rk.dm and rk.channel): both handles hear the channel.
      this.#byId.set(id, [...(this.#byId.get(id) ?? []), handle]);
    }
    this.#pendingDms.clear();
  }

  /** The handles that hear a channel. */
  handlesOf(id: string): readonly ChannelHandle[] {
    return this.#byId.get(id) ?? [];
  }

  /** Every handle, pending DMs included. */
  all(): ChannelHandle[] {
    return [...[...this.#byId.values()].flat(), ...[...this.#pendingDms.values()].map((p) => p.handle)];
  }
}
