import type { ReactNode } from "react";
import { StrictMode } from "react";
import { cleanup } from "@testing-library/react";
import { afterEach } from "vitest";
import { createRoomkitHooks } from "@roomkit/react";
import type { TestContract } from "../../../server/test/support/contract.js";
import { closeClients } from "../../../client/test/support/clients.js";
import { socketsOf, startTestServer } from "../../../client/test/support/servers.js";
import type { Harness } from "../../../client/test/support/servers.js";

export { connect, next } from "../../../client/test/support/clients.js";
export { socketsOf };
export type { Harness };

/** The hooks, typed by the server tests' contract, as an app would make them. */
export const rk = createRoomkitHooks<TestContract>();

let servers: Harness[] = [];

/** A real Roomkit server on port 0, closed after the test (with every hook-rendered tree and SDK client). */
export async function server(): Promise<Harness> {
  const h = await startTestServer();
  servers.push(h);
  return h;
}

afterEach(async () => {
  cleanup();
  closeClients();
  await Promise.all(servers.map((h) => h.close()));
  servers = [];
});

/**
 * A `wrapper` for `render` / `renderHook`: a provider connecting as `userId` (websocket, short
 * reconnect delays), in StrictMode unless told otherwise.
 */
export function as(h: Harness, userId: string, { strict = true } = {}) {
  const options = {
    auth: { user: userId },
    reconnect: { minDelayMs: 20, maxDelayMs: 200 },
    socket: { transports: ["websocket"] as ("websocket" | "polling")[], forceNew: true },
  };
  // biome-ignore lint/correctness/noComponentHookFactories: a testing-library wrapper is made once per render call, by design.
  return function Wrapper({ children }: { children?: ReactNode }) {
    const tree = (
      <rk.RoomkitProvider url={h.url} options={options}>
        {children}
      </rk.RoomkitProvider>
    );
    return strict ? <StrictMode>{tree}</StrictMode> : tree;
  };
}

/** Waits (on the test's generous timeout, checking as React renders) for `condition`. */
export const settle = { timeout: 15_000, interval: 20 };
