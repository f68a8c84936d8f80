import { describe, expectTypeOf, it } from "vitest";
import type { Message } from "@roomkit/protocol";
import type { TestApp, TestClient } from "@roomkit/testing";
import type { ChatContract } from "./support/chat-app.js";

declare const app: TestApp<ChatContract>;
declare const alice: TestClient<ChatContract>;

describe("the kit is typed from the app's contract", () => {
  it("types a message waited for by channel with that channel's body", () => {
    expectTypeOf(alice.next("message", { channel: "news:today" })).resolves.toEqualTypeOf<Message<{ headline: string }>>();
    expectTypeOf(alice.next("message", { channel: "room:team" })).resolves.toEqualTypeOf<Message<{ text: string }>>();
  });

  it("does not compile a wait for an undeclared family, a wrong body or an unknown push", () => {
    // @ts-expect-error: no family "nope" in the contract
    void alice.next("message", { channel: "nope:x" });
    // @ts-expect-error: a news body has no "text"
    void alice.next("message", { channel: "news:today", body: { text: "x" } });
    // @ts-expect-error: not a push the server sends
    void alice.next("mesage");
  });

  it("keeps the SDK's typed API on the client and its server API on the app", () => {
    expectTypeOf(app.connect("bob")).resolves.toEqualTypeOf<TestClient<ChatContract>>();
    // @ts-expect-error: a news body needs a headline
    void alice.channel("news:today").send({ text: "x" });
    // @ts-expect-error: rooms of the server API take a room id of the contract
    void app.rk.rooms.members("lobby2:x");
  });
});
