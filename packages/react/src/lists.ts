import type { RoomMember, RoomSummary, UnreadResult } from "@roomkit/protocol";
import type { Detach } from "./attached.js";
import { FetchedStore } from "./resource.js";
import type { AnyClient, AnyHandle, RoomkitRuntime } from "./runtime.js";

/** The user's unread counts: refetched on a message anywhere the client hears one and on each read mark set through a hook. */
export class UnreadStore extends FetchedStore<UnreadResult> {
  constructor(runtime: RoomkitRuntime, key: string) {
    super(runtime, key);
  }

  protected fetch(client: AnyClient): Promise<UnreadResult> {
    return client.unread();
  }

  protected watch(client: AnyClient, _handle: AnyHandle | undefined, changed: () => void): Detach {
    const stops = [client.on("inbox", changed), client.rooms.on("change", changed), this.runtime.onUnreadMoved(changed)];
    return () => {
      for (const stop of stops) stop();
    };
  }
}

/** The rooms the user is in, every page of them: refetched on every membership change the client hears. */
export class RoomsStore extends FetchedStore<RoomSummary[]> {
  constructor(runtime: RoomkitRuntime, key: string) {
    super(runtime, key);
  }

  protected fetch(client: AnyClient): Promise<RoomSummary[]> {
    return client.rooms.listAll();
  }

  protected watch(client: AnyClient, _handle: AnyHandle | undefined, changed: () => void): Detach {
    return client.rooms.on("change", changed);
  }
}

/** A room's stored members with their roles: refetched on each membership change of that room. */
export class MembersStore extends FetchedStore<RoomMember[]> {
  constructor(runtime: RoomkitRuntime, key: string, id: string) {
    super(runtime, key, id);
  }

  protected fetch(_client: AnyClient, handle: AnyHandle | undefined): Promise<RoomMember[]> {
    return (handle as AnyHandle).members();
  }

  protected watch(client: AnyClient, _handle: AnyHandle | undefined, changed: () => void): Detach {
    return client.rooms.on("change", (event) => event.channel === this.channelId && changed());
  }
}
