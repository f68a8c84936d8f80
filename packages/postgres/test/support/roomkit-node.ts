import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Server } from "socket.io";
import { createRoomkit } from "../../../server/src/index.js";
import type { Roomkit } from "../../../server/src/index.js";
import { contract } from "../../../server/test/support/contract.js";
import type { TestContract } from "../../../server/test/support/contract.js";
import { postgresStores } from "../../src/index.js";
import type { PostgresStores, PostgresStoresOptions } from "../../src/index.js";

export interface PostgresNode {
  url: string;
  rk: Roomkit<TestContract>;
  stores: PostgresStores;
  close(): Promise<void>;
}

/**
 * A Roomkit server on PostgreSQL stores (presence in memory), on port 0, with the server tests'
 * contract: `auth.user` is trusted as the user id.
 */
export async function startPostgresNode(options: PostgresStoresOptions): Promise<PostgresNode> {
  const http = createServer();
  const io = new Server(http);
  // Generous timeouts: the test machine may be loaded; an unreachable server is refused at once anyway.
  const stores = await postgresStores({ connectTimeoutMs: 15_000, statementTimeoutMs: 30_000, ...options });
  const rk = createRoomkit(io, {
    contract,
    authenticate: (hs) => {
      const id = (hs.auth as { user?: unknown }).user;
      return typeof id === "string" ? { id, profile: { name: id } } : null;
    },
    stores,
    limits: { publish: { rate: 1000, burst: 1000 }, userPublish: { rate: 1000, burst: 1000 } },
  });
  await new Promise<void>((done) => http.listen(0, "127.0.0.1", done));
  return {
    url: `http://127.0.0.1:${(http.address() as AddressInfo).port}`,
    rk,
    stores,
    async close() {
      await rk.close();
      await new Promise((done) => io.close(done));
      await stores.close();
    },
  };
}
