import { describe, expectTypeOf, it } from "vitest";
import { createClient, failureOf } from "@roomkit/client";
import type { AnyContract, ChannelId, FamilyName } from "@roomkit/protocol";
import type {
  BasicChannel,
  Channel,
  ClientFailure,
  DmChannel,
  ErrorCode,
  EventsOf,
  FamilyOf,
  HistoryPage,
  Message,
  PresenceChannel,
  PresenceMember,
  Receipt,
  RoomChannel,
  RoomHandle,
  RoomFamily,
  RoomMember,
  RoomkitClient,
  RoomkitError,
  SignalEvent,
  UnreadCount,
  UnreadResult,
  User,
} from "@roomkit/client";
import { defineContract, type } from "@roomkit/protocol";
import type { BodyOf, RoomPush } from "@roomkit/protocol";
import type { TestContract } from "../../server/test/support/contract.js";

type C = TestContract;
type Profile = { name: string; role?: "announcer" | "viewer" };

// Type tests are compiled, never run: these values only carry types.
const rk = createClient<C>("http://localhost:3000");
const dm = rk.dm("bob");
const room = rk.channel("room:42");
const lobby = rk.channel("lobby:main");
const news = rk.channel("news:front");

describe("channel ids", () => {
  it("accept the families the contract declares and refuse any other", () => {
    rk.channel("chat:general");
    rk.channel("dm:alice|bob");
    // @ts-expect-error an undeclared family
    rk.channel("nope:1");
    // @ts-expect-error a channel id is <family>:<name>
    rk.channel("news");
    // @ts-expect-error a misspelt family
    rk.channel("lobbby:main");
  });

  it("give each kind its handle type", () => {
    expectTypeOf(room).toEqualTypeOf<RoomChannel<C, "room">>();
    expectTypeOf(lobby).toEqualTypeOf<PresenceChannel<C, "lobby">>();
    expectTypeOf(news).toEqualTypeOf<BasicChannel<C, "news">>();
    expectTypeOf(rk.channel("team:a")).toEqualTypeOf<BasicChannel<C, "team">>();
    expectTypeOf(dm).toEqualTypeOf<DmChannel<C, "dm">>();
    expectTypeOf(room.id).toEqualTypeOf<`room:${string}`>();
    expectTypeOf(dm.id).toEqualTypeOf<`dm:${string}` | undefined>();
  });

  it("offer presence and membership operations only where the kind has them", () => {
    expectTypeOf(lobby.presence.members).toEqualTypeOf<readonly PresenceMember<{ name: string }>[]>();
    expectTypeOf(room.presence.members).toEqualTypeOf<readonly PresenceMember<Profile>[]>();
    // @ts-expect-error a public channel has no presence
    void news.presence;
    // @ts-expect-error only rooms have membership operations
    void lobby.invite("bob");
    // @ts-expect-error a DM has no members list on the server
    void dm.presence;
  });

  it("offer everyone's read marks only on rooms and DMs, the kinds with receipts", () => {
    expectTypeOf(dm.receipts()).toEqualTypeOf<Promise<Receipt[]>>();
    expectTypeOf(room.receipts()).toEqualTypeOf<Promise<Receipt[]>>();
    expectTypeOf<Receipt>().toEqualTypeOf<{ channel: string; userId: string; seq: number }>();
    // @ts-expect-error a public channel has no receipts
    void news.receipts();
    // @ts-expect-error a presence channel has no receipts
    void lobby.receipts();
    // @ts-expect-error a private channel has no receipts
    void rk.channel("team:a").receipts();
    expectTypeOf(news).not.toHaveProperty("receipts");
    expectTypeOf(lobby).not.toHaveProperty("receipts");
  });
});

describe("handle types resolved per family", () => {
  it("resolve a family once into a plain type: its kind, ids, bodies, signals, members and reactions", () => {
    expectTypeOf<FamilyOf<C, "room">>().toEqualTypeOf<{
      kind: "room";
      id: `room:${string}`;
      body: { text: string };
      input: { text: string };
      signals: { typing: undefined };
      member: Profile;
      reaction: string;
    }>();
    expectTypeOf<FamilyOf<C, "chat">["reaction"]>().toEqualTypeOf<"👍" | "❤️" | "🎉">();
    expectTypeOf<FamilyOf<C, "news">["signals"]>().toEqualTypeOf<{ react: { emoji: string } }>();
  });

  it("make the handles generic on it: the contract-named aliases are the same types", () => {
    expectTypeOf(room).toEqualTypeOf<RoomHandle<FamilyOf<C, "room">>>();
    expectTypeOf<RoomChannel<C, "room">>().toEqualTypeOf<RoomHandle<FamilyOf<C, "room">>>();
  });

  it("check channel ids (the error names the family and the declared ones: type-errors.test.ts)", () => {
    // @ts-expect-error "unknown family: nwes; declared: ..."
    rk.channel("nwes:1");
    // @ts-expect-error "news has no rooms; families with rooms: room"
    void rk.rooms.join("news:1");
    // @ts-expect-error a plain string is no channel id of the contract
    rk.channel("x" as string);
    const id = "room:1" as `room:${string}`;
    expectTypeOf(rk.channel(id)).toEqualTypeOf<RoomChannel<C, "room">>();
    expectTypeOf(rk.rooms.join(id)).toEqualTypeOf<Promise<RoomChannel<C, "room">>>();
  });

  it("take a channel id of a caller generic over the contract and the family, as a hook's", () => {
    function open<K extends AnyContract, F extends FamilyName<K>>(client: RoomkitClient<K>, id: ChannelId<K, F>): Channel<K, F> {
      return client.channel(id);
    }
    function join<K extends AnyContract, F extends RoomFamily<K>>(
      client: RoomkitClient<K>,
      id: ChannelId<K, F>,
    ): Promise<RoomChannel<K, F>> {
      return client.rooms.join(id);
    }
    function any<K extends AnyContract>(client: RoomkitClient<K>, id: ChannelId<K>) {
      return client.channel(id);
    }
    expectTypeOf(open(rk, "room:1")).toEqualTypeOf<RoomChannel<C, "room">>();
    expectTypeOf(join(rk, "room:1")).toEqualTypeOf<Promise<RoomChannel<C, "room">>>();
    expectTypeOf(any(rk, "news:1")).toEqualTypeOf<Channel<C, FamilyName<C>>>();
  });
});

describe("bodies", () => {
  it("type received messages from the contract", () => {
    dm.on("message", (m) => {
      expectTypeOf(m).toEqualTypeOf<Message<BodyOf<C, "dm">>>();
      expectTypeOf(m.body!.text).toEqualTypeOf<string | undefined>();
    });
    news.on("message", (m) => expectTypeOf(m.body).toEqualTypeOf<{ headline: string } | undefined>());
    room.on("reset", (r) => expectTypeOf(r.messages).toEqualTypeOf<Message<{ text: string }>[]>());
  });

  it("refuse a wrong body at compile time", () => {
    void dm.send({ text: "hi" });
    void room.send({ text: "hi" });
    void news.send({ headline: "Roomkit 1.0" });
    // @ts-expect-error text is a string
    void dm.send({ text: 1 });
    // @ts-expect-error an unknown field
    void dm.send({ txt: "hi" });
    // @ts-expect-error room messages need text
    void room.send({});
    // @ts-expect-error a news body is a headline
    void news.send({ text: "hi" });
  });

  it("resolve sends with the stored message", () => {
    expectTypeOf(dm.send({ text: "hi" })).toEqualTypeOf<Promise<Message<BodyOf<C, "dm">>>>();
  });

  it("accept any binary input where the contract has bytes", () => {
    void dm.send({ image: { type: "image/png", data: new Blob([]) } });
    void dm.send({ image: { type: "image/png", data: new ArrayBuffer(8) } });
    void dm.send({ image: { type: "image/png", data: new Uint8Array(8) } });
    // @ts-expect-error a string is not binary
    void dm.send({ image: { type: "image/png", data: "iVBORw0KGgo=" } });
  });
});

describe("signals", () => {
  it("check names and data", () => {
    void dm.signal("typing", { on: true });
    void room.signal("typing");
    void news.signal("react", { emoji: "🎉" });
    // @ts-expect-error typing in a DM carries { on }
    void dm.signal("typing");
    // @ts-expect-error an undeclared signal
    void dm.signal("wave");
    // @ts-expect-error chat declares no signals
    void rk.channel("chat:general").signal("typing");
  });

  it("type received signals by name", () => {
    news.on("signal", (s) => expectTypeOf(s).toEqualTypeOf<{ channel: string; name: "react"; data: { emoji: string }; from: string }>());
    dm.on("signal", (s) => {
      expectTypeOf(s).toEqualTypeOf<SignalEvent<C, "dm">>();
      expectTypeOf(s.data).toEqualTypeOf<{ on: boolean }>();
    });
  });
});

describe("events", () => {
  it("refuse unknown event names and type listeners", () => {
    // @ts-expect-error no such event
    dm.on("messages", () => undefined);
    lobby.presence.on("join", (m) => expectTypeOf(m.info).toEqualTypeOf<{ name: string }>());
    room.on("room", (e) => expectTypeOf(e.type).toEqualTypeOf<RoomPush["type"]>());
    rk.rooms.on("change", (e) => expectTypeOf(rk.channel(e.channel)).toEqualTypeOf<RoomChannel<C, "room">>());
    // @ts-expect-error only room handles emit room events
    lobby.on("room", () => undefined);
    rk.on("inbox", (m) => expectTypeOf(m.channel).toEqualTypeOf<string>());
    expectTypeOf<keyof EventsOf<typeof lobby.presence>>().toEqualTypeOf<"join" | "leave" | "change">();
  });
});

describe("rooms", () => {
  it("type operations and their results", () => {
    expectTypeOf(rk.rooms.create({ name: "team", members: ["bob"] })).toEqualTypeOf<Promise<RoomChannel<C, "room">>>();
    expectTypeOf(rk.rooms.join("room:open")).toEqualTypeOf<Promise<RoomChannel<C, "room">>>();
    expectTypeOf(room.invite("carol")).toEqualTypeOf<Promise<RoomMember>>();
    expectTypeOf(room.members()).toEqualTypeOf<Promise<RoomMember[]>>();
    // @ts-expect-error news is not a room family
    void rk.rooms.create({ family: "news" });
    // @ts-expect-error a room id of another family
    void rk.rooms.join("chat:general");
    // @ts-expect-error the owner role cannot be given
    void room.setRole("bob", "owner");
  });
});

describe("acks, errors and connection state", () => {
  it("type every ack result", () => {
    expectTypeOf(room.history()).toEqualTypeOf<Promise<HistoryPage<{ text: string }>>>();
    expectTypeOf(room.unread()).toEqualTypeOf<Promise<UnreadCount>>();
    expectTypeOf(room.markRead()).toEqualTypeOf<Promise<number>>();
    expectTypeOf(rk.unread()).toEqualTypeOf<Promise<UnreadResult>>();
    expectTypeOf(rk.ready()).toEqualTypeOf<Promise<User<Profile>>>();
    // @ts-expect-error unread takes channel ids of declared families
    void rk.unread(["nope:1"]);
  });

  it("give errors a closed set of codes", () => {
    expectTypeOf<RoomkitError["code"]>().toEqualTypeOf<ErrorCode>();
    expectTypeOf(failureOf).returns.toEqualTypeOf<ClientFailure | undefined>();
    expectTypeOf<ClientFailure>().toEqualTypeOf<"timeout" | "disconnected" | "outbox-full" | "closed">();
  });

  it("narrow the connection state by status", () => {
    const state = rk.connection.current;
    if (state.status === "connected") expectTypeOf(state.user.profile).toEqualTypeOf<Profile>();
    if (state.status === "disconnected") expectTypeOf(state.reason).toEqualTypeOf<"closed" | "refused">();
    if (state.status === "reconnecting") expectTypeOf(state.error).toEqualTypeOf<RoomkitError | undefined>();
  });
});

describe("contracts whose DM family has another name", () => {
  const contract = defineContract({
    channels: { chat: { kind: "dm", body: type<{ t: string }>() }, room: { kind: "room" } },
  });
  const other = createClient<typeof contract>("http://localhost:3000");

  it("need the family named, and type it", () => {
    expectTypeOf(other.dm("bob", { family: "chat" })).toEqualTypeOf<DmChannel<typeof contract, "chat">>();
    void other.dm("bob", { family: "chat" }).send({ t: "hi" });
    // @ts-expect-error the family must be named when it is not "dm"
    other.dm("bob");
    // @ts-expect-error room is not a DM family
    other.dm("bob", { family: "room" });
    other.channel("room:1").on("message", (m) => expectTypeOf(m.body).toEqualTypeOf<unknown>());
  });
});
