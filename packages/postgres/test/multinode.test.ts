import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Pool } from "pg";
import type { Socket } from "socket.io-client";
import type { Message } from "@roomkit/protocol";
import { connectUser } from "../../redis/test/support/nodes.js";
import { ok } from "./support/request.js";
import { migratedSchema, needPostgres, testPool } from "./support/postgres.js";
import { DATABASE_URL } from "./support/postgres.js";
import { startPostgresNode } from "./support/roomkit-node.js";
import type { PostgresNode } from "./support/roomkit-node.js";

const postgres = await needPostgres();
const PER_PUBLISHER = 40;

describe.runIf(postgres)("several Roomkit nodes on one database", () => {
  let pool: Pool;
  let schema: string;
  let drop: () => Promise<void>;
  let nodes: PostgresNode[] = [];
  const sockets: Socket[] = [];
  const startNodes = async () => {
    nodes = await Promise.all([1, 2, 3].map(() => startPostgresNode({ url: DATABASE_URL, schema, max: 4 })));
  };
  const stopNodes = () => Promise.all(nodes.map((node) => node.close()));
  const user = async (node: PostgresNode, id: string) => {
    const socket = await connectUser(node.url, id);
    sockets.push(socket);
    return socket;
  };
  beforeAll(async () => {
    pool = testPool();
    ({ schema, drop } = await migratedSchema(pool, "multinode"));
    await startNodes();
  });
  afterAll(async () => {
    for (const socket of sockets) socket.disconnect();
    await stopNodes();
    await drop();
    await pool.end();
  });

  it("gives concurrent appends from every node to the same channels unique, gap-free seqs", async () => {
    const channels = ["chat:shared-1", "chat:shared-2"];
    const publishers = await Promise.all(nodes.flatMap((node, n) => [0, 1].map((k) => user(node, `p${n}-${k}`))));
    await Promise.all(publishers.flatMap((socket) => channels.map((channel) => ok(socket, "rk:subscribe", { channel }))));
    await Promise.all(
      publishers.flatMap((socket, p) =>
        Array.from({ length: PER_PUBLISHER }, (_, i) =>
          ok(socket, "rk:publish", { channel: channels[i % 2], body: { text: `p${p}-${i}` }, clientId: `p${p}-${i}` }),
        ),
      ),
    );
    const perChannel = (publishers.length * PER_PUBLISHER) / 2;
    for (const channel of channels) {
      const { messages } = await nodes[0]!.stores.messages.range(channel, { after: 0, limit: 1000 });
      expect(messages.map((m) => m.seq)).toEqual(Array.from({ length: perChannel }, (_, i) => i + 1));
      expect(new Set(messages.map((m) => m.clientId)).size).toBe(perChannel);
    }
  });

  it("answers a user's unread counts over their channels (one countAfterMany query)", async () => {
    const { stores, rk } = nodes[0]!;
    await stores.readState.mark("counter", "chat:shared-1", 10);
    await stores.readState.mark("counter", "chat:shared-2", 0);
    const perChannel = (nodes.length * 2 * PER_PUBLISHER) / 2;
    const { channels, total } = await rk.unread("counter");
    expect(channels.sort((a, b) => a.channel.localeCompare(b.channel))).toEqual([
      { channel: "chat:shared-1", lastRead: 10, latest: perChannel, unread: perChannel - 10 },
      { channel: "chat:shared-2", lastRead: 0, latest: perChannel, unread: perChannel },
    ]);
    expect(total).toBe(2 * perChannel - 10);
  });

  it("recovers a client that was offline across a restart of every node, gap-free, from PostgreSQL", async () => {
    const channel = "chat:offline";
    const reader = await user(nodes[0]!, "reader");
    // The nodes share no adapter: the reader hears the writer of its own node.
    const publisher = await user(nodes[0]!, "writer");
    const { epoch } = await ok<{ epoch: string }>(reader, "rk:subscribe", { channel });
    await ok(publisher, "rk:subscribe", { channel });
    const seen: number[] = [];
    reader.on("rk:message", (push: { message: Message }) => void seen.push(push.message.seq));
    for (let i = 1; i <= 10; i++) await ok(publisher, "rk:publish", { channel, body: { text: `m${i}` } });
    await ok(reader, "rk:history", { channel, limit: 1 }); // pushes sent before this ack have arrived
    const last = Math.max(...seen);
    reader.disconnect();
    for (let i = 11; i <= 20; i++) await ok(publisher, "rk:publish", { channel, body: { text: `m${i}` } });

    await stopNodes();
    await startNodes();
    const writer = await user(nodes[2]!, "writer");
    await ok(writer, "rk:subscribe", { channel });
    for (let i = 21; i <= 25; i++) await ok(writer, "rk:publish", { channel, body: { text: `m${i}` } });

    const back = await user(nodes[1]!, "reader");
    const ack = await ok<{ recovered: boolean; epoch: string; messages: Message[] }>(back, "rk:subscribe", { channel, since: last, epoch });
    expect(ack.recovered).toBe(true);
    expect(ack.epoch).toBe(epoch);
    expect([...seen.filter((s) => s <= last), ...ack.messages.map((m) => m.seq)]).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
    expect(ack.messages.map((m) => m.body)).toEqual(Array.from({ length: 25 - last }, (_, i) => ({ text: `m${last + i + 1}` })));
  });
});
