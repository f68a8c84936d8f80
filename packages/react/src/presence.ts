import type { PresenceMember } from "@roomkit/protocol";
import { AttachedStore } from "./attached.js";
import type { Detach } from "./attached.js";
import type { AnyClient, AnyHandle, RoomkitRuntime } from "./runtime.js";

const NO_MEMBERS: readonly PresenceMember[] = [];

/** Who is in a presence or room channel now: the SDK's members array, a new one per change. */
export class PresenceStore extends AttachedStore<readonly PresenceMember[]> {
  constructor(runtime: RoomkitRuntime, key: string, id: string) {
    super(runtime, key, NO_MEMBERS, id);
  }

  protected attach(_client: AnyClient, handle: AnyHandle | undefined): Detach {
    const presence = handle?.presence;
    if (presence === undefined) return () => undefined;
    this.set(presence.members);
    return presence.on("change", (members) => this.set(members));
  }
}
