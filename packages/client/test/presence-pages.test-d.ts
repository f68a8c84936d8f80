import { describe, expectTypeOf, it } from "vitest";
import { createClient } from "@roomkit/client";
import type { PresenceMember } from "@roomkit/client";
import type { TestContract } from "../../server/test/support/contract.js";

// Type tests are compiled, never run: these values only carry types.
const rk = createClient<TestContract>("http://localhost:3000");

describe("a presence list of one page or more", () => {
  it("has a count, whether it is complete, and loadMore", () => {
    const lobby = rk.channel("lobby:main");
    expectTypeOf(lobby.presence.count).toEqualTypeOf<number>();
    expectTypeOf(lobby.presence.complete).toEqualTypeOf<boolean>();
    expectTypeOf(lobby.presence.loadMore).returns.toEqualTypeOf<Promise<boolean>>();
    expectTypeOf(lobby.presence.members).toEqualTypeOf<readonly PresenceMember<{ name: string }>[]>();
    // @ts-expect-error the count is the server's, not the app's to set
    lobby.presence.count = 3;
    // @ts-expect-error loadMore takes no cursor: the list keeps its own
    void lobby.presence.loadMore("1");
  });

  it("is only on channels with presence", () => {
    // @ts-expect-error a chat channel has no members list
    void rk.channel("chat:general").presence;
  });
});
