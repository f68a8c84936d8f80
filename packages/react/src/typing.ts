import { AttachedStore } from "./attached.js";
import type { Detach } from "./attached.js";
import type { AnyClient, AnyHandle, RoomkitRuntime } from "./runtime.js";

const NOBODY: readonly string[] = [];

/** How typing signals are read: which signal, how long one holds, and whether its data says "stopped". */
export interface TypingOptions<S extends string = string> {
  /** The signal's name. Default `"typing"`. */
  signal?: S;
  /** How long a signal holds when no other follows (the "stopped" one may never come). Default 6000 ms. */
  expiresMs?: number;
}

/** A signal's data that says the sender stopped: `{ on: false }`, as the example apps send. */
const stopped = (data: unknown) => (data as { on?: unknown } | null | undefined)?.on === false;

/**
 * The users typing in a channel (not the user themself), from its typing signals: each one
 * holds for `expiresMs` unless a `{ on: false }` ends it sooner, in the order they began.
 */
export class TypingStore extends AttachedStore<readonly string[]> {
  readonly #signal: string;
  readonly #expiresMs: number;

  constructor(runtime: RoomkitRuntime, key: string, id: string, options: TypingOptions) {
    super(runtime, key, NOBODY, id);
    this.#signal = options.signal ?? "typing";
    this.#expiresMs = options.expiresMs ?? 6000;
  }

  protected attach(client: AnyClient, handle: AnyHandle | undefined): Detach {
    if (handle === undefined) return () => undefined;
    const timers = new Map<string, ReturnType<typeof setTimeout>>();
    const end = (userId: string) => {
      clearTimeout(timers.get(userId));
      if (!timers.delete(userId)) return;
      this.set(this.snapshot.filter((id) => id !== userId));
    };
    const off = handle.on("signal", (event) => {
      const { name, data, from } = event as { name: string; data: unknown; from: string };
      if (name !== this.#signal || from === client.user?.id) return;
      if (stopped(data)) return end(from);
      clearTimeout(timers.get(from));
      timers.set(
        from,
        setTimeout(() => end(from), this.#expiresMs),
      );
      if (!this.snapshot.includes(from)) this.set([...this.snapshot, from]);
    });
    // A message ends its sender's typing.
    const offMessage = handle.on("message", (message) => end((message as { from: string }).from));
    return () => {
      off();
      offMessage();
      for (const timer of timers.values()) clearTimeout(timer);
    };
  }
}
