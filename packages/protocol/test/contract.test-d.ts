import { describe, expectTypeOf, it } from "vitest";
import { z } from "zod";
import { defineContract, type } from "@roomkit/protocol";
import type {
  BodyInputOf,
  BodyOf,
  ChannelId,
  FamilyName,
  FamilyOfChannel,
  FamilyOfKind,
  InferInput,
  InferOutput,
  KindOf,
  MemberInfoOf,
  ProfileOf,
  SignalData,
  SignalName,
} from "@roomkit/protocol";

const contract = defineContract({
  user: type<{ name: string; avatar?: string }>(),
  channels: {
    dm: {
      kind: "dm",
      body: z.object({ text: z.string(), sentAt: z.string().transform((s) => new Date(s)) }),
      signals: { typing: z.object({ on: z.boolean() }), seen: type<{ seq: number }>() },
    },
    room: { kind: "room", body: type<{ text: string }>(), member: z.object({ name: z.string(), role: z.enum(["host", "guest"]) }) },
    stage: { kind: "room", body: z.object({ text: z.string().default("") }) },
    news: { kind: "public", body: z.object({ headline: z.string() }) },
    lobby: { kind: "presence" },
    raw: { kind: "private" },
  },
});
type C = typeof contract;

describe("defineContract", () => {
  it("keeps the literal family names and kinds", () => {
    expectTypeOf<FamilyName<C>>().toEqualTypeOf<"dm" | "room" | "stage" | "news" | "lobby" | "raw">();
    expectTypeOf<KindOf<C, "dm">>().toEqualTypeOf<"dm">();
    expectTypeOf<KindOf<C, "lobby">>().toEqualTypeOf<"presence">();
  });

  it("refuses an unknown kind at compile time", () => {
    // @ts-expect-error "group" is no channel kind
    defineContract({ channels: { room: { kind: "group" } } });
    // @ts-expect-error a family needs a kind
    defineContract({ channels: { room: {} } });
  });
});

describe("FamilyOfKind", () => {
  it("selects the families of one kind", () => {
    expectTypeOf<FamilyOfKind<C, "room">>().toEqualTypeOf<"room" | "stage">();
    expectTypeOf<FamilyOfKind<C, "dm">>().toEqualTypeOf<"dm">();
    expectTypeOf<FamilyOfKind<C, "public" | "private">>().toEqualTypeOf<"news" | "raw">();
  });
});

describe("ChannelId and FamilyOfChannel", () => {
  it("are template literals of the declared families", () => {
    expectTypeOf<ChannelId<C, "room">>().toEqualTypeOf<`room:${string}`>();
    expectTypeOf<"dm:alice|bob">().toExtend<ChannelId<C>>();
    expectTypeOf<"room:42">().toExtend<ChannelId<C>>();
    expectTypeOf<"nope:42">().not.toExtend<ChannelId<C>>();
    expectTypeOf<"room42">().not.toExtend<ChannelId<C>>();
    expectTypeOf<"room:42">().not.toExtend<ChannelId<C, "dm">>();
  });

  it("reads the family back from an id", () => {
    expectTypeOf<FamilyOfChannel<C, "news:front">>().toEqualTypeOf<"news">();
    expectTypeOf<FamilyOfChannel<C, "nope:front">>().toBeNever();
  });

  it("refuses an undeclared family", () => {
    // @ts-expect-error "nope" is not a family of the contract
    const id: ChannelId<C> = "nope:1";
    // @ts-expect-error a dm id is not a room id
    const room: ChannelId<C, "room"> = "dm:alice|bob";
    void id;
    void room;
  });
});

describe("BodyOf and BodyInputOf", () => {
  it("infer a zod schema's output and input", () => {
    expectTypeOf<BodyOf<C, "dm">>().toEqualTypeOf<{ text: string; sentAt: Date }>();
    expectTypeOf<BodyInputOf<C, "dm">>().toEqualTypeOf<{ text: string; sentAt: string }>();
    expectTypeOf<BodyOf<C, "stage">>().toEqualTypeOf<{ text: string }>();
    expectTypeOf<BodyInputOf<C, "stage">>().toEqualTypeOf<{ text?: string | undefined }>();
  });

  it("infer a type<T>() body as T both ways", () => {
    expectTypeOf<BodyOf<C, "room">>().toEqualTypeOf<{ text: string }>();
    expectTypeOf<BodyInputOf<C, "room">>().toEqualTypeOf<{ text: string }>();
  });

  it("are unknown for a family without a body", () => {
    expectTypeOf<BodyOf<C, "lobby">>().toBeUnknown();
    expectTypeOf<BodyInputOf<C, "raw">>().toBeUnknown();
  });

  it("refuse an undeclared family", () => {
    // @ts-expect-error "nope" is not a family of the contract
    type Nope = BodyOf<C, "nope">;
    expectTypeOf<Nope>().toBeUnknown();
  });
});

describe("SignalName and SignalData", () => {
  it("list a family's signals and type their data", () => {
    expectTypeOf<SignalName<C, "dm">>().toEqualTypeOf<"typing" | "seen">();
    expectTypeOf<SignalData<C, "dm", "typing">>().toEqualTypeOf<{ on: boolean }>();
    expectTypeOf<SignalData<C, "dm", "seen">>().toEqualTypeOf<{ seq: number }>();
  });

  it("are never for a family without signals", () => {
    expectTypeOf<SignalName<C, "news">>().toBeNever();
  });

  it("refuse an undeclared signal", () => {
    // @ts-expect-error "wave" is not a signal of "dm"
    type Wave = SignalData<C, "dm", "wave">;
    // @ts-expect-error "news" declares no signals
    type React = SignalData<C, "news", "typing">;
    const typing: SignalName<C, "dm"> = "typing";
    // @ts-expect-error "wave" is not a signal of "dm"
    const wave: SignalName<C, "dm"> = "wave";
    void typing;
    void wave;
    expectTypeOf<Wave | React>().not.toBeAny();
  });
});

describe("ProfileOf and MemberInfoOf", () => {
  it("type the profile from the contract's user shape", () => {
    expectTypeOf<ProfileOf<C>>().toEqualTypeOf<{ name: string; avatar?: string }>();
  });

  it("is an empty record without a user shape", () => {
    const bare = defineContract({ channels: { lobby: { kind: "presence" } } });
    expectTypeOf<ProfileOf<typeof bare>>().toEqualTypeOf<Record<string, never>>();
    expectTypeOf<MemberInfoOf<typeof bare, "lobby">>().toEqualTypeOf<Record<string, never>>();
  });

  it("uses the family's member shape, else the profile", () => {
    expectTypeOf<MemberInfoOf<C, "room">>().toEqualTypeOf<{ name: string; role: "host" | "guest" }>();
    expectTypeOf<MemberInfoOf<C, "lobby">>().toEqualTypeOf<{ name: string; avatar?: string }>();
  });
});

describe("InferInput and InferOutput", () => {
  it("read schemas and type-only shapes", () => {
    const count = z.string().transform((s) => s.length);
    expectTypeOf<InferOutput<typeof count>>().toEqualTypeOf<number>();
    expectTypeOf<InferInput<typeof count>>().toEqualTypeOf<string>();
    expectTypeOf<InferOutput<ReturnType<typeof type<[1, 2]>>>>().toEqualTypeOf<[1, 2]>();
    expectTypeOf<InferOutput<undefined>>().toBeUnknown();
  });
});
