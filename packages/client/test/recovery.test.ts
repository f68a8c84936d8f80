import { afterEach, describe, it } from "vitest";
import { closeClients } from "./support/clients.js";
import { offlineDuringImages } from "./support/image-recovery.js";
import { startTestServer } from "./support/servers.js";
import type { Harness } from "./support/servers.js";

let h: Harness | undefined;
afterEach(async () => {
  closeClients();
  await h?.close();
  h = undefined;
});

describe("recovery of a gap larger than one packet", () => {
  it("a client offline during 50 image messages recovers every one, in order, once, with no disconnect", async () => {
    h = await startTestServer();
    await offlineDuringImages({ alice: h, bob: h });
  });
});
