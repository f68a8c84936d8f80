import type { AnyContract, BodyOf, ChannelId, FamilyName, Message } from "@roomkit/protocol";
import { createClient } from "@roomkit/client";
import type { ClientOptions, ConnectionState, RoomkitClient } from "@roomkit/client";
import type { Link } from "./link.js";
import { Mailbox } from "./mailbox.js";
import type { Match } from "./match.js";
import type { PushName, Pushes, Received } from "./pushes.js";
import { pushOf, replayOf } from "./pushes.js";
import { recordingParser } from "./recording-parser.js";

/** How long a wait may take; every wait of the kit takes one. */
export interface WaitOptions {
  /** Default: the app's `timeoutMs` (5000 ms unless `startApp` says otherwise). */
  timeoutMs?: number;
}

/** What the kit adds to a user's SDK client: waiting for what it receives, and faults. */
export interface TestClientControls<C extends AnyContract> {
  /** The user id it connected as. */
  readonly name: string;
  /**
   * Resolves with the first `event` push matching `match` that no earlier `next` took: one that
   * already arrived, or the next one to. Rejects after the timeout with what did arrive instead.
   * A `message` matched by a channel id is typed by that channel's family.
   *
   * @example
   * const message = await bob.next("message", { channel: "room:team", body: { text: "hi" } });
   * const join = await bob.next("presence", (p) => p.joins.some((m) => m.userId === "alice"));
   */
  next<F extends FamilyName<C>>(
    event: "message",
    match: { channel: ChannelId<C, F> } & Match<Message<BodyOf<C, F>>>,
    options?: WaitOptions,
  ): Promise<Message<BodyOf<C, F>>>;
  next<E extends PushName>(event: E, match?: Match<Pushes<C>[E]>, options?: WaitOptions): Promise<Pushes<C>[E]>;
  /**
   * Proves that no `event` push matching `match` has arrived by now and none is on its way from
   * this client's node: waits out one presence batch, then a request round trip (the server
   * writes what it sent this client before the answer). Throws, listing them, otherwise.
   *
   * @example
   * await bob.room.kick("mallory");
   * await alice.send(...);
   * await mallory.none("message", { channel: "room:team" });
   */
  none<E extends PushName>(event: E, match?: Match<Pushes<C>[E]>): Promise<void>;
  /**
   * The pushes received that no `next` took yet, oldest first (of one event, or all).
   *
   * @example
   * expect(alice.received("message").map((r) => r.push)).toHaveLength(0);
   */
  received(event?: PushName): Received[];
  /** Waits until everything the server sent this client so far has arrived (see {@link none}). */
  settle(): Promise<void>;
  /**
   * Resolves once the SDK is connected (at once if it is); rejects after the timeout with its state.
   *
   * @example
   * await alice.drop();
   * await alice.connected();
   */
  connected(options?: WaitOptions): Promise<void>;
  /** Resolves once the SDK is not connected (at once if it is not); rejects after the timeout. */
  disconnected(options?: WaitOptions): Promise<void>;
  /** Whether its connection goes to the node on `port` now. */
  isOn(port: number): boolean;
  /**
   * Breaks the connection as a network failure would (no goodbye either way); resolves once the
   * SDK has seen it. The SDK reconnects by itself, to the same node while it is up.
   *
   * @example
   * await alice.drop();
   */
  drop(): Promise<void>;
  /**
   * Takes the client off the network: its connection breaks and reconnecting fails (`unreachable`)
   * until {@link online}. Resolves once the SDK has seen the drop.
   *
   * @example
   * await bob.offline();
   * await alice.dm("bob").send({ text: "while you were away" });
   * await bob.online();
   */
  offline(): Promise<void>;
  /** Puts the client back on the network and resolves once it is connected again. */
  online(options?: WaitOptions): Promise<void>;
  /**
   * Makes the client a slow consumer: its connection stays open, but no byte moves either way
   * until {@link resume}; what the server sends piles up in its buffers (and in the server's
   * `outboundSoftBytes` / `outboundHardBytes` accounting), as with a stalled mobile link.
   *
   * @example
   * bob.pause();
   * await alice.send(...);
   * bob.resume();
   */
  pause(): void;
  /** Lets bytes flow again after {@link pause}; what was held arrives in order. */
  resume(): void;
  /**
   * Moves the client to another node (with Redis): its connection breaks and comes back there.
   *
   * @example
   * await alice.moveTo(2); // now on app.nodes[2]
   */
  moveTo(node: number): Promise<void>;
  /** Closes the SDK client and its network path. `TestApp.close()` does it for every client. */
  close(): Promise<void>;
}

/** A user's typed SDK client (`@roomkit/client`), with the kit's {@link TestClientControls}. */
export type TestClient<C extends AnyContract> = Omit<RoomkitClient<C>, "close"> & TestClientControls<C>;

/** What a test client needs from its app. */
export interface ClientSetup {
  name: string;
  url: string;
  link: Link;
  auth: () => Record<string, unknown> | Promise<Record<string, unknown>>;
  options: ClientOptions;
  timeoutMs: number;
  settleMs: number;
  /** Points the link at another node. */
  route(node: number): void;
}

/** A readable form of a connection state for failure messages. */
export function describeState(state: ConnectionState): string {
  const why =
    "reason" in state && state.reason ? ` (${state.reason}${state.error ? `: ${state.error.code} ${state.error.message}` : ""})` : "";
  return `${state.status}${why}`;
}

/** Resolves once `ready(state)` holds, or rejects after `timeoutMs` with `what` and the state. */
function until(sdk: RoomkitClient<AnyContract>, ready: (s: ConnectionState) => boolean, timeoutMs: number, what: string): Promise<void> {
  if (ready(sdk.connection.current)) return Promise.resolve();
  const error = new Error();
  return new Promise((done, fail) => {
    const timer = setTimeout(() => {
      stop();
      error.message = `${what} within ${timeoutMs} ms (connection: ${describeState(sdk.connection.current)})`;
      fail(error);
    }, timeoutMs);
    const stop = sdk.connection.subscribe((state) => {
      if (!ready(state)) return;
      clearTimeout(timer);
      stop();
      done();
    });
  });
}

/** Connects a user's SDK client through its link, recording every push; resolves once connected. */
export async function connectClient<C extends AnyContract>(setup: ClientSetup): Promise<TestClient<C>> {
  const { name, link, timeoutMs } = setup;
  const mailbox = new Mailbox({ name, state: () => describeState(sdk.connection.current) });
  const sdk = createClient<C>(setup.url, {
    reconnect: { minDelayMs: 50, maxDelayMs: 250 },
    ...setup.options,
    auth: setup.auth,
    socket: {
      transports: ["websocket"],
      ...setup.options.socket,
      forceNew: true,
      parser: recordingParser({
        event(event, payload) {
          const received = pushOf(event, payload);
          if (received) mailbox.add(received);
        },
        reply(request, payload) {
          for (const received of replayOf(request, payload)) mailbox.add(received);
        },
      }),
    },
  });
  const any = sdk as unknown as RoomkitClient<AnyContract>;
  const isUp = (s: ConnectionState) => s.status === "connected";
  const down = (options?: WaitOptions) =>
    until(any, (s) => !isUp(s), options?.timeoutMs ?? timeoutMs, `${name}'s SDK did not notice its connection break`);
  const closeAll = async () => {
    sdk.close();
    await link.close();
  };
  try {
    await Promise.race([sdk.ready(), until(any, isUp, timeoutMs, `${name} could not connect`)]);
  } catch (err) {
    await closeAll();
    throw err;
  }
  const controls: TestClientControls<C> = {
    name,
    next: ((event: string, match?: unknown, options?: WaitOptions) => mailbox.take(event, match, options?.timeoutMs ?? timeoutMs)) as never,
    async none(event, match) {
      await controls.settle();
      mailbox.assertNone(event, match);
    },
    received: (event) => mailbox.pending(event),
    async settle() {
      await new Promise((done) => setTimeout(done, setup.settleMs));
      await sdk.unread();
    },
    connected: (options) => until(any, isUp, options?.timeoutMs ?? timeoutMs, `${name} did not connect`),
    disconnected: down,
    isOn: (port) => link.reaches(port),
    async drop() {
      link.cut();
      await down();
    },
    async offline() {
      link.block(true);
      link.cut();
      await down();
    },
    async online(options) {
      link.block(false);
      sdk.connect();
      await controls.connected(options);
    },
    pause: () => link.pause(true),
    resume: () => link.pause(false),
    async moveTo(node) {
      setup.route(node);
      await controls.drop();
      await controls.connected();
    },
    close: closeAll,
  };
  // The SDK's own members stay its own (getters such as `user` included); the kit's sit on top.
  return Object.assign(Object.create(sdk) as RoomkitClient<C>, controls) as unknown as TestClient<C>;
}
