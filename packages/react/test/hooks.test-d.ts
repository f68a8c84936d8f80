import { describe, expectTypeOf, it } from "vitest";
import type { ConnectionState, Message, RoomChannel } from "@roomkit/client";
import type { PresenceMember, RoomMember, UnreadResult } from "@roomkit/protocol";
import type { Fetched } from "@roomkit/react";
import { createRoomkitHooks } from "@roomkit/react";
import type { TestContract } from "../../server/test/support/contract.js";

const rk = createRoomkitHooks<TestContract>();

describe("hooks typed from the contract", () => {
  it("types messages, bodies and sends by the channel's family", () => {
    const room = rk.useMessages("room:42");
    expectTypeOf(room.messages).toEqualTypeOf<readonly Message<{ text: string }>[]>();
    void room.send({ text: "hi" });
    // @ts-expect-error a room body is { text }
    void room.send({ headline: "no" });
    // @ts-expect-error an undeclared family
    rk.useMessages("nope:1");
    const news = rk.useMessages("news:front");
    const m = news.messages[0]!;
    if (!m.deleted) expectTypeOf(m.body).toEqualTypeOf<{ headline: string }>();
    // @ts-expect-error a deleted message has no body: test `deleted` first
    void news.messages[0]!.body.headline;
    // @ts-expect-error the chat family's reactions are a closed list
    void rk.useMessages("chat:general").react(1, "🍕");
    void rk.useMessages("chat:general").react(1, "🎉");
    // @ts-expect-error an edit takes the family's body
    void room.edit(1, { headline: "no" });
    expectTypeOf(rk.useMessages(undefined).status).toEqualTypeOf<"loading" | "ready" | "failed">();
  });

  it("types the connection's user, presence members and handles", () => {
    const state = rk.useConnection();
    expectTypeOf(state).toEqualTypeOf<ConnectionState<{ name: string; role?: "announcer" | "viewer" }>>();
    expectTypeOf(rk.usePresence("lobby:main")).toEqualTypeOf<readonly PresenceMember<{ name: string }>[]>();
    // @ts-expect-error a public channel has no members list
    rk.usePresence("news:front");
    expectTypeOf(rk.useChannel("room:42")).toEqualTypeOf<RoomChannel<TestContract, "room"> | undefined>();
  });

  it("types typing signals, rooms, members and unread counts", () => {
    rk.useTyping("dm:alice|bob", { signal: "typing" });
    // @ts-expect-error the news family has no typing signal
    rk.useTyping("news:front", { signal: "typing" });
    expectTypeOf(rk.useRoomMembers("room:42")).toEqualTypeOf<Fetched<RoomMember[]>>();
    // @ts-expect-error members are a room's
    rk.useRoomMembers("lobby:main");
    expectTypeOf(rk.useUnread()).toEqualTypeOf<Fetched<UnreadResult>>();
  });
});
