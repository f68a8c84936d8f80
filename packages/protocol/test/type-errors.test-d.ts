import { describe, expectTypeOf, it } from "vitest";
import { defineContract, type } from "@roomkit/protocol";
import type { ChannelIdOf, CheckedChannelId, JoinNames, UnknownFamily, WrongChannelId } from "@roomkit/protocol";

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

  it("split the check in two for parameters that generic callers can pass a ChannelId<C, F> to", () => {
    expectTypeOf<ChannelIdOf<"lobby", "lobby" | "chat">>().toEqualTypeOf<`lobby:${string}`>();
    expectTypeOf<ChannelIdOf<"nwes", "lobby" | "chat">>().toBeNever();
    expectTypeOf<WrongChannelId<C, "lobby:main", "lobby", "presence">>().toBeNever();
    expectTypeOf<WrongChannelId<C, `lobby:${string}`, "lobby", "presence">>().toBeNever();
    expectTypeOf<
      WrongChannelId<C, "chat:a|b", "lobby", "presence">
    >().toEqualTypeOf<"chat has no presence; families with presence: lobby">();
    expectTypeOf<WrongChannelId<C, "nwes:1", "lobby", "presence">>().toMatchTypeOf<`unknown family: nwes; declared: ${string}`>();
  });
});
