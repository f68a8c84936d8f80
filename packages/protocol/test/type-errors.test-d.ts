import { describe, expectTypeOf, it } from "vitest";
import { defineContract, type } from "@roomkit/protocol";
import type { CheckedChannelId, JoinNames, UnknownFamily } from "@roomkit/protocol";

const contract = defineContract({
  channels: { chat: { kind: "dm", body: type<{ text: string }>() }, lobby: { kind: "presence" } },
});
type C = typeof contract;

// What the compiler prints for wrong code: the family at fault and what the contract declares.
describe("readable type errors", () => {
  it("join names into one message", () => {
    expectTypeOf<JoinNames<"dm">>().toEqualTypeOf<"dm">();
    expectTypeOf<JoinNames<never>>().toEqualTypeOf<"">();
    expectTypeOf<JoinNames<"a" | "b">>().toMatchTypeOf<"a, b" | "b, a">();
  });

  it("name an unknown family and the declared ones", () => {
    expectTypeOf<UnknownFamily<C, "nwes">>().toMatchTypeOf<
      "unknown family: nwes; declared: chat, lobby" | "unknown family: nwes; declared: lobby, chat"
    >();
  });

  it("check a channel id against the families that fit", () => {
    type Presence = "lobby";
    expectTypeOf<CheckedChannelId<C, "lobby:main", Presence, "presence">>().toEqualTypeOf<"lobby:main">();
    expectTypeOf<CheckedChannelId<C, `lobby:${string}`, Presence, "presence">>().toEqualTypeOf<`lobby:${string}`>();
    expectTypeOf<
      CheckedChannelId<C, "chat:a|b", Presence, "presence">
    >().toEqualTypeOf<"chat has no presence; families with presence: lobby">();
    expectTypeOf<
      CheckedChannelId<C, "chat:a|b", never, "presence">
    >().toEqualTypeOf<"chat has no presence; families with presence: none">();
    expectTypeOf<CheckedChannelId<C, "nwes:1", Presence, "presence">>().toMatchTypeOf<`unknown family: nwes; declared: ${string}`>();
    expectTypeOf<CheckedChannelId<C, "lobby", Presence, "presence">>().toMatchTypeOf<`a channel id is <family>:<name>; ${string}`>();
  });
});
