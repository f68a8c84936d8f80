import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Pool } from "pg";
import type { Socket } from "socket.io-client";
import type { Message } from "@roomkit/protocol";
import { PostgresMessageStore } from "@roomkit/postgres";
import { connectUser } from "../../redis/test/support/nodes.js";
import { ok, request } from "./support/request.js";
import { startNodeProcess, stopNodeProcess } from "./support/node-process.js";
import type { NodeProcess } from "./support/node-process.js";
import { migratedSchema, needPostgres, testPool } from "./support/postgres.js";

const postgres = await needPostgres();
const TOTAL = 200;
const KILL_AFTER = 100;
const IN_FLIGHT = 8;
const channel = "chat:durable";

/** Everything a channel holds, read straight from the database. */
async function history(store: PostgresMessageStore): Promise<Message[]> {
  const all: Message[] = [];
  for (let after = 0; ; ) {
    const { messages, hasMore } = await store.range(channel, { after, limit: 100 });
    all.push(...messages);
    if (!hasMore) return all;
    after = messages.at(-1)!.seq;
  }
}

describe.runIf(postgres)("a node killed with SIGKILL while acknowledged messages flow", () => {
  let pool: Pool;
  let schema: string;
  let drop: () => Promise<void>;
  let node: NodeProcess | undefined;
  const sockets: Socket[] = [];
  beforeAll(async () => {
    pool = testPool();
    ({ schema, drop } = await migratedSchema(pool, "durability"));
  });
  afterAll(async () => {
    for (const socket of sockets) socket.disconnect();
    await stopNodeProcess(node);
    await drop();
    await pool.end();
  });

  const publisher = async () => {
    const socket = await connectUser(node!.url, "pub");
    sockets.push(socket);
    await ok(socket, "rk:subscribe", { channel });
    return socket;
  };

  it("keeps every acknowledged message exactly once, in seq order, and stores each retried send once", async () => {
    node = await startNodeProcess(schema);
    let socket = await publisher();
    const acked = new Map<string, number>();
    const failed = new Set<string>();
    const send = async (i: number, s: Socket) => {
      const clientId = `c${i}`;
      const ack = await request<{ message: Message }>(s, "rk:publish", { channel, body: { text: `m${i}` }, clientId }).catch(
        () => undefined,
      );
      if (ack?.ok) acked.set(clientId, ack.message.seq);
      else failed.add(clientId);
    };
    // Eight sends in flight at a time (group commit at work); the node dies after the 100th ack.
    let next = 1;
    const killed = new Promise<void>((done) => {
      const lane = async () => {
        while (next <= TOTAL && node!.child.exitCode === null && node!.child.signalCode === null) {
          const i = next++;
          await send(i, socket);
          if (acked.size >= KILL_AFTER && node!.child.signalCode === null) {
            node!.child.kill("SIGKILL");
            done();
          }
        }
      };
      void Promise.all(Array.from({ length: IN_FLIGHT }, lane)).then(() => done());
    });
    await killed;
    expect(await node.exited).toBe("SIGKILL");
    const ackedBeforeKill = acked.size;
    const sentBeforeKill = next - 1;

    const store = new PostgresMessageStore(pool, { schema });
    const afterCrash = await history(store);
    // Nothing acknowledged is lost; a send whose ack the crash ate may be stored too.
    for (const [clientId, seq] of acked) expect(afterCrash.find((m) => m.clientId === clientId)?.seq).toBe(seq);
    const storedUnacked = afterCrash.filter((m) => !acked.has(m.clientId!)).length;

    node = await startNodeProcess(schema);
    socket = await publisher();
    // The client retries what was never acknowledged (same clientIds), then sends the rest.
    const retries = [...Array.from({ length: sentBeforeKill }, (_, i) => `c${i + 1}`).filter((id) => !acked.has(id))];
    failed.clear();
    for (const clientId of retries) await send(Number(clientId.slice(1)), socket);
    for (let i = sentBeforeKill + 1; i <= TOTAL; i++) await send(i, socket);
    expect([...failed]).toEqual([]);

    const final = await history(store);
    expect(final.map((m) => m.seq)).toEqual(Array.from({ length: TOTAL }, (_, i) => i + 1));
    expect(new Set(final.map((m) => m.clientId)).size).toBe(TOTAL);
    for (const [clientId, seq] of acked) expect(final.find((m) => m.clientId === clientId)?.seq).toBe(seq);
    console.log(
      `durability: ${sentBeforeKill} sent and ${ackedBeforeKill} acked before SIGKILL, ${afterCrash.length} stored after it ` +
        `(${storedUnacked} stored but unacked), ${retries.length} retried, ${final.length} stored in the end, each once`,
    );
  }, 90_000);
});
