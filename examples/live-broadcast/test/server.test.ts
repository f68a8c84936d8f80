import { randomBytes } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { signToken } from "@roomkit/server";
import { autoClose, startApp } from "@roomkit/testing";
import { liveBroadcastRoomkit } from "../src/server.js";

// The app's own configuration, with a secret of the test's: "maya" signs in as an announcer, everyone else as a viewer.
const secret = randomBytes(32);
const start = () =>
  startApp({
    app: liveBroadcastRoomkit(secret),
    login: async (id) => ({ token: await signToken(secret, { id, profile: { name: id, role: id === "maya" ? "announcer" : "viewer" } }) }),
  });

autoClose(afterEach);

describe("live broadcast: the server's policies", () => {
  it("an announcer's post reaches every viewer; a viewer's post is refused and reaches nobody", async () => {
    const app = await start();
    const maya = await app.connect("maya");
    const leo = await app.connect("leo");
    const sam = await app.connect("sam");
    for (const user of [maya, leo, sam]) await user.channel("live:main").subscribe();
    await maya.channel("live:main").send({ text: "we are live" });
    for (const viewer of [leo, sam]) {
      expect(await viewer.next("message", { channel: "live:main" })).toMatchObject({ from: "maya", body: { text: "we are live" } });
    }
    await expect(leo.channel("live:main").send({ text: "me too" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await sam.none("message");
    await maya.none("message", { from: "leo" });
  });

  it("lets any viewer react to an announcement with the contract's emoji; the counts are stored, so a reload keeps them", async () => {
    const app = await start();
    const maya = await app.connect("maya");
    const announcement = await maya.channel("live:main").send({ text: "doors open" });
    await app.rk.react("live:main", announcement.seq, "🎉", { as: "sam" });
    await app.rk.react("live:main", announcement.seq, "🎉", { as: "leo" });
    expect(await app.rk.react("live:main", announcement.seq, "🎉", { as: "leo" })).toMatchObject({ changed: false });
    // @ts-expect-error: not an emoji of the contract
    await expect(app.rk.react("live:main", announcement.seq, "💩", { as: "sam" })).rejects.toMatchObject({ code: "INVALID" });
    // What a page loads after a reload: the announcement with its counts, and which are the reader's.
    const [forSam] = (await app.rk.history("live:main", { reader: "sam" })).messages;
    expect(forSam?.reactions).toEqual([{ reaction: "🎉", count: 2, mine: true }]);
    const [forMaya] = (await app.rk.history("live:main", { reader: "maya" })).messages;
    expect(forMaya?.reactions).toEqual([{ reaction: "🎉", count: 2, mine: false }]);
  });

  it("counts viewers with presence, each with the profile other viewers see", async () => {
    const app = await start();
    const maya = await app.connect("maya");
    const leo = await app.connect("leo");
    await maya.channel("live:main").subscribe();
    await leo.channel("live:main").subscribe();
    const join = await maya.next("presence", (p) => p.joins.some((m) => m.userId === "leo"));
    expect(join.joins.find((m) => m.userId === "leo")?.info).toEqual({ name: "leo", role: "viewer" });
    expect((await app.rk.presence("live:main")).map((m) => m.userId).sort()).toEqual(["leo", "maya"]);
  });
});
