// A Roomkit server in its own process, for restart tests. Run with `node --import tsx` and
// TSX_TSCONFIG_PATH pointing at the root tsconfig.test.json (its paths map @roomkit/* to source).
// Listens on PORT (0: any free port) and prints "listening <port>"; SIGTERM closes it
// gracefully (rk:bye, then the transport closes), SIGKILL is a crash.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Server } from "socket.io";
import { createRoomkit } from "../../../server/src/index.js";
import { contract } from "../../../server/test/support/contract.js";

const UNLIMITED = { rate: 1_000_000, burst: 1_000_000 };

const http = createServer();
const io = new Server(http);
const rk = createRoomkit(io, {
  contract,
  authenticate: (hs) => {
    const id = (hs.auth as { user?: unknown }).user;
    return typeof id === "string" ? { id, profile: { name: id } } : null;
  },
  limits: {
    publish: UNLIMITED,
    signal: UNLIMITED,
    request: UNLIMITED,
    userPublish: UNLIMITED,
    userSignal: UNLIMITED,
    userRequest: UNLIMITED,
  },
  presence: { graceMs: 0 },
});

http.listen(Number(process.env.PORT ?? 0), "127.0.0.1", () => {
  process.stdout.write(`listening ${(http.address() as AddressInfo).port}\n`);
});

process.on("SIGTERM", async () => {
  await rk.close();
  io.close();
  process.exit(0);
});
