import type { ConnectionState } from "@roomkit/client";
import { AttachedStore } from "./attached.js";
import type { Detach } from "./attached.js";
import type { AnyClient, AnyHandle, RoomkitRuntime } from "./runtime.js";

/** The connection state before the client exists (and during server rendering). */
export const INITIAL_CONNECTION: ConnectionState = { status: "connecting", attempt: 0 };

/** The client's `connection` observable, shared. */
export class ConnectionStore extends AttachedStore<ConnectionState> {
  constructor(runtime: RoomkitRuntime, key: string) {
    super(runtime, key, INITIAL_CONNECTION);
  }

  protected attach(client: AnyClient): Detach {
    this.set(client.connection.current);
    return client.connection.subscribe((state) => this.set(state));
  }
}

/** The client itself once it exists (`undefined` before, and during server rendering). */
export class ClientStore extends AttachedStore<AnyClient | undefined> {
  constructor(runtime: RoomkitRuntime, key: string) {
    super(runtime, key, undefined);
  }

  protected attach(client: AnyClient): Detach {
    this.set(client);
    return () => undefined;
  }
}

/** A channel's handle once the client exists, subscribed while read. */
export class ChannelStore extends AttachedStore<AnyHandle | undefined> {
  constructor(runtime: RoomkitRuntime, key: string, id: string) {
    super(runtime, key, undefined, id);
  }

  protected attach(_client: AnyClient, handle: AnyHandle | undefined): Detach {
    this.set(handle);
    return () => undefined;
  }
}
