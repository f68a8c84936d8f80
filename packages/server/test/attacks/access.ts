import { expect, it } from "vitest";
import { Requests } from "@roomkit/protocol";
import type { ChannelKind } from "@roomkit/protocol";
import { RawSocket } from "../support/raw-socket.js";
import { expectNothingDelivered, record, refused } from "../support/refusals.js";
import { ok, settled } from "../support/harness.js";
import type { Client } from "../support/harness.js";
import { CHANNELS, MATRIX, ORDER, POLICIES, POLICY_CHANNELS } from "./access-matrix.js";
import type { PolicyName } from "./access-matrix.js";
import { attackServers } from "./env.js";
import type { AttackEnv } from "./env.js";

const KINDS = Object.keys(CHANNELS) as ChannelKind[];
const generous = { rate: 10_000, burst: 10_000 };

/** Finding 5: every request goes through the one access decision, whatever its kind and the family's policy. */
export function accessAttacks(env: AttackEnv): void {
  const servers = attackServers(env);

  it("has a row in the access table for every request of the wire", () => {
    expect(ORDER.slice().sort()).toEqual(Object.values(Requests).slice().sort());
  });

  it.each(POLICIES)(
    "every request x every kind under policy %s answers exactly the code of the access table",
    async (policy: PolicyName) => {
      const h = await servers.start({
        channels: POLICY_CHANNELS[policy],
        limits: {
          request: generous,
          userRequest: generous,
          publish: generous,
          userPublish: generous,
          signal: generous,
          userSignal: generous,
        },
      });
      await h.rk.rooms.create({ owner: "alice", channel: CHANNELS.room, members: ["mallory", "carol"] });
      if (policy === "room-muted") await h.rk.rooms.mute(CHANNELS.room, "mallory", true);
      if (policy === "room-admin") await h.rk.rooms.setRole(CHANNELS.room, "mallory", "admin");
      const mallory = await RawSocket.connect(h.url, { user: "mallory" });
      await mallory.find((f) => typeof f === "string" && f.includes('"rk:welcome"'));
      const column = POLICIES.indexOf(policy);
      const kinds = policy.startsWith("room-") ? (["room"] as ChannelKind[]) : KINDS;
      const got: string[] = [];
      const want: string[] = [];
      let id = 0;
      for (const kind of kinds) {
        for (const event of ORDER) {
          const row = MATRIX[event];
          const ack = (await mallory.request(id++, event, row.payload(kind))) as { ok: boolean; error?: { code: string } };
          got.push(`${event} ${kind}: ${ack.ok ? "ok" : ack.error!.code}`);
          want.push(`${event} ${kind}: ${row.expect[kind][column]}`);
        }
      }
      expect(got).toEqual(want);
      await mallory.close();
    },
  );

  it("a DM whose authorize refuses the pair: mallory's signal, publish and subscribe are FORBIDDEN and nothing reaches bob", async () => {
    const h = await servers.start({ channels: { dm: { authorize: (_user, ch) => ch.name !== "bob|mallory" } } });
    const bob = await h.client("bob");
    const seen = record(bob);
    const mallory = await RawSocket.connect(h.url, { user: "mallory" });
    const dm = "dm:bob|mallory";
    for (const [i, [event, payload]] of (
      [
        [Requests.signal, { channel: dm, name: "typing", data: { on: true } }],
        [Requests.publish, { channel: dm, body: { text: "hi bob" } }],
        [Requests.subscribe, { channel: dm }],
        [Requests.read, { channel: dm, seq: 0 }],
      ] as const
    ).entries()) {
      expect(await mallory.request(i, event, payload), event).toMatchObject({ ok: false, error: { code: "FORBIDDEN" } });
    }
    await expectNothingDelivered([bob, seen]);
    expect((await h.rk.history(dm)).messages).toEqual([]);
    await mallory.close();
  });

  it("a member of a room whose authorize refuses them may not signal it, though the server joined their connection to it", async () => {
    const h = await servers.start({ channels: { room: { authorize: (user) => user.id !== "mallory" } } });
    await h.rk.rooms.create({ owner: "alice", channel: "room:r", members: ["mallory"] });
    // Connected once welcomed: their rooms (and her presence in this one) are joined by then.
    const [alice, mallory] = (await Promise.all([h.connect({ user: "alice" }), h.connect({ user: "mallory" })])).map((c) => c.socket) as [
      Client,
      Client,
    ];
    // Delivery follows membership (docs/protocol.md §4.2): her presence in the room is no request of hers.
    await settled(alice, mallory);
    const seen = record(alice);
    await refused(mallory, Requests.signal, { channel: "room:r", name: "typing" }, "FORBIDDEN");
    await refused(mallory, Requests.publish, { channel: "room:r", body: { text: "hi" } }, "FORBIDDEN");
    await refused(mallory, Requests.roomMembers, { channel: "room:r" }, "FORBIDDEN");
    await expectNothingDelivered([alice, seen]);
    await ok(mallory, Requests.roomLeave, { channel: "room:r" });
  });
}
