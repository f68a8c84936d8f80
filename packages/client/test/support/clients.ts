import { createClient } from "@roomkit/client";
import type { ClientOptions, ConnectionState, Listenable, Listener, RoomkitClient } from "@roomkit/client";
import type { EventArgs } from "../../src/emitter.js";
import type { TestContract } from "../../../server/test/support/contract.js";

export type TestClient = RoomkitClient<TestContract>;

const open = new Set<TestClient>();

/**
 * A client of the test contract, as `userId` (the test servers trust `auth.user`), over
 * websocket, with short reconnect delays. Closed by {@link closeClients}.
 */
export function connect(url: string, userId: string, options: ClientOptions = {}): TestClient {
  const rk = createClient<TestContract>(url, {
    auth: { user: userId },
    reconnect: { minDelayMs: 20, maxDelayMs: 200 },
    ...options,
    socket: { transports: ["websocket"], forceNew: true, ...options.socket },
  });
  open.add(rk);
  return rk;
}

/** Closes every client made by {@link connect}. */
export function closeClients(): void {
  for (const rk of open) rk.close();
  open.clear();
}

/** Resolves with the arguments of the next `event` whose arguments pass `match`. */
export function next<Events, E extends keyof Events>(
  source: Listenable<Events>,
  event: E,
  match: (...args: Events[E] & unknown[]) => boolean = () => true,
): Promise<Events[E]> {
  return new Promise((done) => {
    const stop = source.on(event, ((...args: Events[E] & unknown[]) => {
      if (!match(...args)) return;
      stop();
      done(args as Events[E]);
    }) as never);
  });
}

/** Resolves when the connection state passes `match` (at once if it does now). */
export function state(rk: TestClient, match: (s: ConnectionState) => boolean): Promise<ConnectionState> {
  return new Promise((done) => {
    if (match(rk.connection.current)) return done(rk.connection.current);
    const stop = rk.connection.subscribe((s) => {
      if (!match(s)) return;
      stop();
      done(s);
    });
  });
}

/**
 * Resolves once `condition` holds, checking after every event of the given sources (and now).
 * Waits on events, never on the clock.
 */
export function until<Events>(condition: () => boolean, sources: [Listenable<Events>, keyof Events][]): Promise<void> {
  return new Promise((done) => {
    if (condition()) return done();
    const stops = sources.map(([source, event]) =>
      source.on(event, (() => {
        if (!condition()) return;
        for (const stop of stops) stop();
        done();
      }) as never),
    );
  });
}

/** Collects the first argument of every `event` from now on. */
export function collect<Events, E extends keyof Events>(source: Listenable<Events>, event: E): EventArgs<Events[E]>[0][] {
  const seen: EventArgs<Events[E]>[0][] = [];
  source.on(event, ((...args: EventArgs<Events[E]>) => seen.push(args[0])) as Listener<Events[E]>);
  return seen;
}
