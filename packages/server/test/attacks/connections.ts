import { expect, it } from "vitest";
import { ok } from "../support/harness.js";
import { RawSocket } from "../support/raw-socket.js";
import { attackServers } from "./env.js";
import type { AttackEnv } from "./env.js";

/** Finding 4 and the per-user connection cap: more sockets must not mean more deliveries or more quota. */
export function connectionAttacks(env: AttackEnv): void {
  const servers = attackServers(env);

  it("200 CONNECT frames sent at once make one socket, and a DM reaches that connection at most once", async () => {
    const h = await servers.start();
    let sockets = 0;
    h.io.on("connection", (s) => s.data.user?.id === "mallory" && sockets++);
    const raw = await RawSocket.open(h.url);
    // Back to back, before the first is answered: its authentication is still pending for the rest.
    raw.send(...Array.from({ length: 200 }, () => `40${JSON.stringify({ user: "mallory" })}`));
    await raw.find((f) => typeof f === "string" && f.startsWith('40{"sid"'));
    const refusals = () => raw.frames.filter((f) => typeof f === "string" && f.startsWith("44")).length;
    // Each extra CONNECT is refused (CONFLICT) while the first is pending; Socket.IO closes the connection on one after it.
    await expect.poll(() => raw.closed || refusals() === 199).toBe(true);
    expect(raw.frames.find((f) => typeof f === "string" && f.startsWith("44"))).toContain("CONFLICT");
    const bob = await h.client("bob");
    await ok(bob, "rk:publish", { channel: "dm:bob|mallory", body: { text: "once" } });
    if (!raw.closed) expect(await raw.request(1, "rk:unread", {})).toMatchObject({ ok: true });
    expect(raw.events("rk:message").length).toBeLessThanOrEqual(1);
    expect(sockets).toBe(1);
    await raw.close();
  });

  it("one user with 30 connections gets connectionsPerUser (5) of them; a closed one frees its slot", async () => {
    const h = await servers.start({ limits: { connectionsPerUser: 5 } });
    const attempts = await Promise.allSettled(Array.from({ length: 30 }, () => RawSocket.connect(h.url, { user: "mallory" })));
    const admitted = attempts.flatMap((a) => (a.status === "fulfilled" ? [a.value] : []));
    const refused = attempts.flatMap((a) => (a.status === "rejected" ? [String(a.reason)] : []));
    expect(admitted).toHaveLength(5);
    expect(refused.every((r) => r.includes("RATE_LIMITED"))).toBe(true);
    await admitted[0]!.close();
    await expect.poll(() => [...h.io.of("/").sockets.values()].filter((s) => s.data.user?.id === "mallory").length).toBe(4);
    const again = await RawSocket.connect(h.url, { user: "mallory" });
    await Promise.all([again, ...admitted.slice(1)].map((r) => r.close()));
  });
}
