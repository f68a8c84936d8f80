import { createRemoteJWKSet } from "jose";
import type { Server } from "socket.io";
import { describe, expectTypeOf, it } from "vitest";
import type { ChannelId, PresenceMember } from "@roomkit/protocol";
import { createRoomkit, jwtAuth } from "@roomkit/server";
import type { ChannelPolicies, Roomkit, RoomkitOptions } from "@roomkit/server";
import { contract } from "./support/contract.js";
import type { TestContract } from "./support/contract.js";

// Type checks only: nothing here runs.
type C = TestContract;
declare const io: Server;
const authenticate = () => null;

describe("jwtAuth's key", () => {
  it("takes a secret, bytes or a key set", () => {
    jwtAuth({ key: "a secret" });
    jwtAuth({ key: process.env.JWT_SECRET! });
    jwtAuth({ key: new Uint8Array(32) });
    jwtAuth({ key: createRemoteJWKSet(new URL("https://auth.example.com/jwks")) });
  });

  it("refuses an empty or possibly unset one", () => {
    // @ts-expect-error the empty string: "jwtAuth: the key is empty; set it from your configuration (JWT_SECRET)"
    jwtAuth({ key: "" });
    // @ts-expect-error string | undefined: an unset variable would refuse every client
    jwtAuth({ key: process.env.JWT_SECRET });
  });
});

describe("createRoomkit's channels", () => {
  it("take a policy per declared family, with typed users", () => {
    createRoomkit(io, {
      contract,
      authenticate,
      channels: {
        news: { publish: (user) => user.profile.role === "announcer" },
        lobby: { authorize: () => true, memberInfo: (user) => ({ name: user.profile.name }) },
      },
    });
    createRoomkit<C>(io, { contract, authenticate, channels: { news: { publish: (user) => user.id === "editor" } } });
    const options: RoomkitOptions<C> = { contract, authenticate, channels: { team: { authorize: () => true } } };
    createRoomkit(io, options);
    const policies: ChannelPolicies<C> = { news: { publish: () => false } };
    createRoomkit(io, { contract, authenticate, channels: policies });
    createRoomkit(io, { contract, authenticate });
  });

  it("refuse a family the contract does not declare, alone, beside declared ones, or in a variable", () => {
    // @ts-expect-error "unknown family: nwes; declared: room, dm, news, chat, team, lobby"
    createRoomkit(io, { contract, authenticate, channels: { nwes: { publish: () => true } } });
    createRoomkit(io, {
      contract,
      authenticate,
      // @ts-expect-error a misspelt family beside a declared one
      channels: { news: { publish: () => true }, nwes: { publish: () => true } },
    });
    const misspelt = { news: { publish: () => true }, lobbby: { authorize: () => true } };
    // @ts-expect-error "lobbby" is not a family, even from a variable
    createRoomkit(io, { contract, authenticate, channels: misspelt });
  });

  it("check what a policy returns", () => {
    createRoomkit(io, {
      contract,
      authenticate,
      // @ts-expect-error lobby's member info is { name }
      channels: { lobby: { memberInfo: () => ({ nam: "x" }) } },
    });
  });
});

declare const rk: Roomkit<C>;

describe("Roomkit.presence", () => {
  it("takes presence and room channels", () => {
    expectTypeOf(rk.presence("lobby:main")).toEqualTypeOf<Promise<PresenceMember[]>>();
    expectTypeOf(rk.presence("room:42")).toEqualTypeOf<Promise<PresenceMember[]>>();
    const id = "lobby:x" as ChannelId<C, "lobby" | "room">;
    void rk.presence(id);
  });

  it("refuses every other kind, an undeclared family, and a bare name", () => {
    // @ts-expect-error "dm has no presence; families with presence: room, lobby"
    void rk.presence("dm:alice|bob");
    // @ts-expect-error a public channel has no presence
    void rk.presence("news:x");
    // @ts-expect-error a private channel has no presence
    void rk.presence("team:a");
    // @ts-expect-error "unknown family: nwes; declared: ..."
    void rk.presence("nwes:1");
    // @ts-expect-error a channel id is <family>:<name>
    void rk.presence("lobby");
    // @ts-expect-error any channel id: some kinds have no presence
    void rk.presence("news:x" as ChannelId<C>);
  });
});
