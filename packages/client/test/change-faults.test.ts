import { afterEach, describe, it } from "vitest";
import { changesWhileDropping, offlineDuringImageChanges } from "./support/change-scenarios.js";
import { closeClients } from "./support/clients.js";
import { startTestServer } from "./support/servers.js";
import type { Harness } from "./support/servers.js";

let h: Harness | undefined;
afterEach(async () => {
  closeClients();
  await h?.close();
  h = undefined;
});

describe("faults while messages change", () => {
  it("transports close while three users edit, delete, react and reply: every folded view ends equal to the server's history", async () => {
    h = await startTestServer();
    await changesWhileDropping({ alice: h, bob: h, carol: h });
  });

  it("a client offline during image messages, image edits, reactions and deletes recovers them through a cut replay", async () => {
    h = await startTestServer();
    await offlineDuringImageChanges({ alice: h, bob: h });
  });
});
