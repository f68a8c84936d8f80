import { expect } from "vitest";
import type { Socket } from "socket.io-client";
import type { ChangePush, ChangeResult, MessagePush, SubscribeResult } from "@roomkit/protocol";
import type { Roomkit } from "@roomkit/server";
import type { TestContract } from "./contract.js";
import { FoldedView } from "./fold.js";

/** A server node as the scenario needs it: its server API (any node's reads the shared stores). */
export interface ChangeNode {
  rk: Roomkit<TestContract>;
}

/** Connects `userId` to a node: a raw socket.io client, welcomed. */
export type Connect = (node: ChangeNode, userId: string) => Promise<Socket>;

const seqs = (from: number, to: number) => Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i);

async function ack<T extends object>(socket: Socket, event: string, payload: unknown): Promise<T> {
  const answer = (await socket.timeout(5000).emitWithAck(event, payload)) as { ok: boolean; error?: { code: string; message: string } } & T;
  if (!answer.ok) throw new Error(`${event} refused: ${answer.error!.code} ${answer.error!.message}`);
  return answer;
}

/**
 * A reader of a channel that folds what the wire gives (test support: the SDK's view replaces
 * it): pushes live, or held while a subscribe is in flight and folded after its ack, as
 * docs/protocol.md §8.2 says; its own changes from their acks.
 */
export class Reader {
  readonly view: FoldedView;
  #held: (MessagePush | ChangePush)[] | undefined;

  constructor(
    readonly socket: Socket,
    user: string,
    view?: FoldedView,
  ) {
    this.view = view ?? new FoldedView(user);
    const take = (push: MessagePush | ChangePush) => {
      if (this.#held) this.#held.push(push);
      else this.#apply(push);
    };
    socket.on("rk:message", take);
    socket.on("rk:change", take);
  }

  #apply(push: MessagePush | ChangePush): void {
    if ("message" in push) this.view.message(push.message);
    else this.view.change(push.change);
  }

  /** Subscribes with `since` (and again from the replay's last seq while it says `hasMore`), then folds the held pushes. */
  async recover(channel: string, epoch?: string): Promise<SubscribeResult[]> {
    this.#held = [];
    const acks: SubscribeResult[] = [];
    try {
      for (;;) {
        const result = await ack<SubscribeResult>(this.socket, "rk:subscribe", {
          channel,
          since: this.view.last,
          ...(epoch ? { epoch } : {}),
        });
        expect(result.recovered, `recovered since ${this.view.last}`).toBe(true);
        acks.push(result);
        this.view.fold(result);
        if (!result.hasMore) break;
      }
    } finally {
      const held = this.#held.sort(
        (a, b) => ("message" in a ? a.message.seq : a.change.seq) - ("message" in b ? b.message.seq : b.change.seq),
      );
      this.#held = undefined;
      for (const push of held) this.#apply(push);
    }
    return acks;
  }

  /** Sends a change request; its ack's entry is folded (the push skips the connection that made it). */
  async send(event: string, payload: unknown): Promise<void> {
    const result = await ack<ChangeResult>(this.socket, event, payload);
    if (result.changed) this.view.change(result.change);
  }
}

/**
 * Bob is offline while edits, deletes, reactions and replies flow on a room, to messages older
 * than his last seq and newer, some of them his own through the server API; more flow while he
 * resubscribes with `since`. His folded view ends equal to the server's history as he sees it,
 * and he was given every seq of the gap. `writer` and `reader` may be different nodes.
 */
export async function offlineDuringChanges(
  nodes: { writer: ChangeNode; reader: ChangeNode },
  connect: Connect,
  channel: `room:${string}`,
): Promise<void> {
  const { writer, reader } = nodes;
  const rk = writer.rk;
  await rk.rooms.create({ owner: "alice", channel, members: ["bob", "carol"] });
  const [alice, carol] = await Promise.all([connect(writer, "alice"), connect(writer, "carol")]);
  const first = new Reader(await connect(reader, "bob"), "bob");
  const { epoch } = (await first.recover(channel))[0]!;
  const publish = (socket: Socket, text: string, replyTo?: number) =>
    ack<{ message: { seq: number } }>(socket, "rk:publish", { channel, body: { text }, ...(replyTo ? { replyTo } : {}) }).then(
      (a) => a.message.seq,
    );
  for (let i = 1; i <= 5; i++) await publish(alice, `m${i}`);
  await ack(carol, "rk:react", { channel, seq: 1, reaction: "👍" });
  await first.send("rk:react", { channel, seq: 2, reaction: "👍" });
  const latest = async () => (await rk.stores.messages.stream(channel)).latest;
  const caughtUp = async (r: Reader) => expect.poll(async () => r.view.last === (await latest()), { timeout: 5000 }).toBe(true);
  await caughtUp(first);
  const since = first.view.last;
  first.socket.disconnect();

  await ack(alice, "rk:edit", { channel, seq: 1, body: { text: "m1 edited" } });
  await ack(carol, "rk:react", { channel, seq: 3, reaction: "🎉" });
  const reply = await publish(alice, "a reply", 1);
  await publish(carol, "a reply to the reply", reply);
  await ack(alice, "rk:edit", { channel, seq: reply, body: { text: "a reply, edited" } });
  await ack(alice, "rk:delete", { channel, seq: 2 });
  await rk.react(channel, 4, "🎉", { as: "bob" });
  await ack(carol, "rk:unreact", { channel, seq: 3, reaction: "🎉" });
  await ack(alice, "rk:edit", { channel, seq: 5, body: { text: "m5 secret edit" } });
  await ack(alice, "rk:delete", { channel, seq: 5 });
  const carols = await publish(carol, "carol's");
  await ack(alice, "rk:delete", { channel, seq: carols });

  const bob = new Reader(await connect(reader, "bob"), "bob", first.view);
  const during = Promise.all([
    ack(alice, "rk:edit", { channel, seq: 1, body: { text: "m1 edited twice" } }),
    ack(carol, "rk:react", { channel, seq: 4, reaction: "🎉" }),
    publish(alice, "m-during", 1),
  ]);
  await bob.recover(channel, epoch);
  await during;
  await caughtUp(bob);

  const end = await latest();
  expect([...bob.view.seen].filter((s) => s > since).sort((a, b) => a - b)).toEqual(seqs(since + 1, end));
  const history = await rk.history(channel, { reader: "bob", limit: 100 });
  expect(bob.view.list()).toEqual(history.messages);
  expect(JSON.stringify(bob.view.list())).not.toContain("secret");
  expect(history.messages.find((m) => m.seq === 4)?.reactions).toEqual([{ reaction: "🎉", count: 2, mine: true }]);
  expect(history.messages.find((m) => m.seq === 1)).toMatchObject({ body: { text: "m1 edited twice" }, replies: { count: 3 } });
}
