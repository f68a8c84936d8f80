import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Pool } from "pg";
import type { Socket } from "socket.io-client";
import type { Message } from "@roomkit/protocol";
import { connectUser } from "../../redis/test/support/nodes.js";
import { DATABASE_URL, migratedSchema, needPostgres, testPool } from "./support/postgres.js";
import { ok } from "./support/request.js";
import { startPostgresNode } from "./support/roomkit-node.js";
import type { PostgresNode } from "./support/roomkit-node.js";

const postgres = await needPostgres();
const channel = "chat:retained";

describe.runIf(postgres)("recovery with retention on PostgreSQL", () => {
  let pool: Pool;
  let drop: () => Promise<void>;
  let node: PostgresNode;
  const sockets: Socket[] = [];
  beforeAll(async () => {
    pool = testPool();
    const made = await migratedSchema(pool, "retention");
    drop = made.drop;
    node = await startPostgresNode({
      url: DATABASE_URL,
      schema: made.schema,
      messages: { retention: { families: { chat: { maxPerChannel: 5 } }, intervalMs: 0 } },
    });
  });
  afterAll(async () => {
    for (const socket of sockets) socket.disconnect();
    await node?.close();
    await drop();
    await pool.end();
  });

  it("answers recovered: false only for a gap that reaches into what retention removed", async () => {
    const writer = await connectUser(node.url, "writer");
    sockets.push(writer);
    const { epoch } = await ok<{ epoch: string }>(writer, "rk:subscribe", { channel });
    for (let i = 1; i <= 12; i++) await ok(writer, "rk:publish", { channel, body: { text: `m${i}` } });
    expect(await node.stores.messages.sweep()).toBe(7);

    const resubscribe = async (since: number) => {
      const socket = await connectUser(node.url, `reader-${since}`);
      sockets.push(socket);
      return ok<{ recovered: boolean; messages: Message[] }>(socket, "rk:subscribe", { channel, since, epoch });
    };
    const kept = await resubscribe(7);
    expect(kept.recovered).toBe(true);
    expect(kept.messages.map((m) => m.seq)).toEqual([8, 9, 10, 11, 12]);
    expect((await resubscribe(10)).messages.map((m) => m.seq)).toEqual([11, 12]);
    expect((await resubscribe(6)).recovered).toBe(false);
  });
});
