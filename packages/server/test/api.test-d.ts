import { describe, expectTypeOf, it } from "vitest";
import type {
  AnyContract,
  BodyInputOf,
  ChannelId,
  DeleteChange,
  EditChange,
  FamilyName,
  FamilyOfKind,
  Message,
  PresenceMember,
  ReactionOf,
  ReadMark,
  RoomMember,
} from "@roomkit/protocol";
import type { ReactionResult, Roomkit } from "@roomkit/server";
import type { TestContract } from "./support/contract.js";

// Type checks only: `rk` is never called.
declare const rk: Roomkit<TestContract>;

describe("Roomkit<TestContract>.publish", () => {
  it("takes the body of the channel's family and resolves with its message", () => {
    expectTypeOf(rk.publish("news:x", { headline: "a" })).toEqualTypeOf<Promise<Message<{ headline: string }>>>();
    expectTypeOf(rk.publish("room:42", { text: "hi" }, { as: "alice", clientId: "c1" })).toEqualTypeOf<
      Promise<Message<{ text: string }>>
    >();
    const dm = rk.publish("dm:alice|bob", { text: "hi" });
    expectTypeOf(dm).resolves.toHaveProperty("body").exclude<undefined>().toHaveProperty("text").toEqualTypeOf<string | undefined>();
    expectTypeOf(dm)
      .resolves.toHaveProperty("body")
      .exclude<undefined>()
      .toHaveProperty("image")
      .exclude<undefined>()
      .toHaveProperty("type")
      .toEqualTypeOf<string>();
  });

  it("refuses a body of the wrong shape", () => {
    // @ts-expect-error news takes { headline }, not { text }
    void rk.publish("news:x", { text: "a" });
    // @ts-expect-error headline is a string
    void rk.publish("news:x", { headline: 1 });
    // @ts-expect-error the body is required
    void rk.publish("news:x");
    // @ts-expect-error a room body is { text }
    void rk.publish("room:42", { headline: "a" });
  });

  it("refuses a channel of an undeclared family, or no channel id at all", () => {
    // @ts-expect-error "nope" is not a family of the contract
    void rk.publish("nope:x", { headline: "a" });
    // @ts-expect-error "user" is not a family of the contract
    void rk.publish("user:bob", { text: "a" });
    // @ts-expect-error a channel id is <family>:<name>
    void rk.publish("news", { headline: "a" });
  });
});

describe("the rest of the API", () => {
  it("sends DMs with the dm family's body", () => {
    expectTypeOf(rk.sendDirect("alice", "bob", { text: "hi" }))
      .resolves.toHaveProperty("from")
      .toEqualTypeOf<string>();
    // @ts-expect-error text is a string
    void rk.sendDirect("alice", "bob", { text: 5 });
    // @ts-expect-error "room" is not a dm family
    void rk.sendDirect("alice", "bob", { text: "hi" }, { family: "room" });
  });

  it("takes only declared channel ids", () => {
    expectTypeOf(rk.presence("lobby:main")).toEqualTypeOf<Promise<PresenceMember[]>>();
    expectTypeOf(rk.rooms.members("room:42")).toEqualTypeOf<Promise<RoomMember[]>>();
    // @ts-expect-error "nope" is not a family of the contract
    void rk.history("nope:1");
    // @ts-expect-error "owner" is given by leaving, not by setRole
    void rk.rooms.setRole("room:42", "bob", "owner");
  });

  it("reads receipts of rooms and DMs only", () => {
    expectTypeOf(rk.receipts("room:42")).toEqualTypeOf<Promise<ReadMark[]>>();
    expectTypeOf(rk.receipts("dm:alice|bob")).toEqualTypeOf<Promise<ReadMark[]>>();
    // @ts-expect-error a public channel has no receipts
    void rk.receipts("news:x");
    // @ts-expect-error a presence channel has no receipts
    void rk.receipts("lobby:main");
  });

  it("manages rooms only in room families (the error names them: packages/client/test/type-errors.test.ts)", () => {
    expectTypeOf(rk.rooms.invite("room:42", "carol")).toEqualTypeOf<Promise<RoomMember>>();
    // @ts-expect-error "news has no rooms; families with rooms: room"
    void rk.rooms.invite("news:x", "carol");
    // @ts-expect-error a DM is no room
    void rk.rooms.kick("dm:alice|bob", "bob");
    // @ts-expect-error "unknown family: nwes; declared: ..."
    void rk.rooms.members("nwes:1");
  });

  it("takes the channel ids of a caller generic over the contract and the family", () => {
    const publish = <K extends AnyContract, F extends FamilyName<K>>(server: Roomkit<K>, id: ChannelId<K, F>, body: BodyInputOf<K, F>) =>
      server.publish(id, body);
    const members = <K extends AnyContract, F extends FamilyOfKind<K, "room">>(server: Roomkit<K>, id: ChannelId<K, F>) =>
      server.rooms.members(id);
    expectTypeOf(publish(rk, "news:x", { headline: "a" })).toEqualTypeOf<Promise<Message<{ headline: string }>>>();
    expectTypeOf(members(rk, "room:42")).toEqualTypeOf<Promise<RoomMember[]>>();
  });

  it("creates rooms only in room families", () => {
    void rk.rooms.create({ owner: "alice", channel: "room:42" });
    // @ts-expect-error "news" is a public family, not a room family
    void rk.rooms.create({ owner: "alice", channel: "news:42" });
  });
});

describe("Roomkit<TestContract> changes", () => {
  it("edits with the family's body input and resolves with a typed edit entry", () => {
    expectTypeOf(rk.edit("room:42", 1, { text: "fixed" })).toEqualTypeOf<Promise<EditChange<{ text: string }>>>();
    expectTypeOf(rk.edit("news:x", 3, { headline: "b" }, { as: "anna" }))
      .resolves.toHaveProperty("body")
      .toEqualTypeOf<{ headline: string }>();
    expectTypeOf(rk.delete("room:42", 1)).toEqualTypeOf<Promise<DeleteChange>>();
  });

  it("refuses an edit body of the wrong shape", () => {
    // @ts-expect-error a room body is { text }
    void rk.edit("room:42", 1, { headline: "a" });
    // @ts-expect-error text is a string
    void rk.edit("room:42", 1, { text: 1 });
    // @ts-expect-error the body is required
    void rk.edit("room:42", 1);
  });

  it("takes any reaction string where the family declares no list, and only the list's where it does", () => {
    expectTypeOf(rk.react("room:42", 1, "🦄")).toEqualTypeOf<Promise<ReactionResult<string>>>();
    expectTypeOf(rk.react("chat:general", 1, "👍")).toEqualTypeOf<Promise<ReactionResult<"👍" | "❤️" | "🎉">>>();
    expectTypeOf(rk.unreact("chat:general", 1, "🎉", { as: "bob" })).resolves.toEqualTypeOf<ReactionResult<"👍" | "❤️" | "🎉">>();
    expectTypeOf<ReactionOf<TestContract, "chat">>().toEqualTypeOf<"👍" | "❤️" | "🎉">();
    expectTypeOf<ReactionOf<TestContract, "room">>().toEqualTypeOf<string>();
    // @ts-expect-error "🤡" is not in chat's reactions
    void rk.react("chat:general", 1, "🤡");
    // @ts-expect-error nor here
    void rk.unreact("chat:general", 1, "🤡");
    // @ts-expect-error a reaction is a string
    void rk.react("room:42", 1, 5);
  });
});
