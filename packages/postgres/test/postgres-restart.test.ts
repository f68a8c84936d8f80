import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Socket } from "socket.io-client";
import type { Message } from "@roomkit/protocol";
import { migrate } from "@roomkit/postgres";
import { testPool } from "./support/postgres.js";
import { connectUser } from "../../redis/test/support/nodes.js";
import { ok, request } from "./support/request.js";
import { needPostgresBinaries, startOwnPostgres } from "./support/own-postgres.js";
import type { OwnPostgres } from "./support/own-postgres.js";
import { startPostgresNode } from "./support/roomkit-node.js";
import type { PostgresNode } from "./support/roomkit-node.js";

const binaries = needPostgresBinaries();
const channel = "chat:restart";

describe.runIf(binaries)("PostgreSQL restarted (-m immediate) while messages flow", () => {
  let server: OwnPostgres;
  let node: PostgresNode;
  let socket: Socket;
  beforeAll(async () => {
    server = await startOwnPostgres();
    const pool = testPool({ url: server.url });
    await migrate(pool);
    await pool.end();
    node = await startPostgresNode({ url: server.url });
    socket = await connectUser(node.url, "pub");
    await ok(socket, "rk:subscribe", { channel });
  }, 120_000);
  afterAll(async () => {
    socket?.disconnect();
    await node?.close();
    await server?.stop();
  });

  it("answers UNAVAILABLE during the restart, never crashes, serves again after, and stores each retried send once", async () => {
    const acked = new Map<string, number>();
    const failed: string[] = [];
    const codes = new Set<string>();
    const send = async (clientId: string) => {
      const ack = await request<{ message: Message }>(socket, "rk:publish", { channel, body: { text: clientId }, clientId });
      if (ack.ok) acked.set(clientId, ack.message.seq);
      else {
        codes.add(ack.error.code);
        failed.push(clientId);
      }
    };
    for (let i = 1; i <= 30; i++) await send(`a${i}`);
    let restarted = false;
    const restart = server.restartImmediate().then(() => void (restarted = true));
    // Keep sending through the restart, then until 20 sends after it were acknowledged.
    let i = 0;
    let afterRestart = 0;
    while (afterRestart < 20 && i < 5000) {
      const done = restarted;
      await send(`b${++i}`);
      if (done && acked.has(`b${i}`)) afterRestart++;
      await new Promise((wait) => setTimeout(wait, 10));
    }
    await restart;
    expect(afterRestart).toBe(20);
    expect([...codes]).toEqual(failed.length > 0 ? ["UNAVAILABLE"] : []);

    const retried = [...failed];
    failed.length = 0;
    for (const clientId of retried) await send(clientId);
    expect(failed).toEqual([]);

    const { messages } = await node.stores.messages.range(channel, { after: 0, limit: 100_000 });
    expect(messages.map((m) => m.seq)).toEqual(Array.from({ length: messages.length }, (_, n) => n + 1));
    expect(new Set(messages.map((m) => m.clientId)).size).toBe(messages.length);
    expect(messages.length).toBe(acked.size);
    for (const [clientId, seq] of acked) expect(messages[seq - 1]!.clientId).toBe(clientId);
    console.log(
      `postgres restart: ${30 + i} sends, ${retried.length} answered UNAVAILABLE during the restart and retried, ` +
        `${messages.length} stored, each once`,
    );
  }, 120_000);
});
