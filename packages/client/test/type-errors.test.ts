import { describe, expect, it } from "vitest";
import { compileSnippet } from "./support/compile.js";
import type { SnippetError } from "./support/compile.js";

/** Wrong code an app might write, each case on one line, what its error must say, and its longest length (default 300). */
const CASES: { name: string; code: string; says: RegExp; max?: number }[] = [
  {
    name: "a misspelt family in rk.channel",
    code: 'rk.channel("nwes:front");',
    says: /not assignable to parameter of type '"unknown family: nwes; declared: [a-z, ]+"'/,
  },
  {
    name: "a channel id without a family",
    code: 'rk.channel("news");',
    says: /"a channel id is <family>:<name>; declared families: [a-z, ]+"/,
  },
  {
    name: "a room operation on a family that is not a room",
    code: 'void rk.rooms.join("news:front");',
    says: /'"news has no rooms; families with rooms: room"'/,
  },
  {
    name: "a body of another family",
    code: 'void rk.channel("news:front").send({ text: "hi" });',
    says: /'text' does not exist in type .*headline: string/,
  },
  {
    name: "a body field of the wrong type",
    code: 'void rk.channel("room:42").send({ text: 42 });',
    says: /Type 'number' is not assignable to type 'string'/,
  },
  {
    name: "a signal the family does not declare",
    code: 'void rk.channel("news:front").signal("typing", { on: true });',
    says: /'"typing"' is not assignable to parameter of type '"react"'/,
  },
  {
    name: "a handle of one kind where another is expected",
    code: 'const room: RoomChannel<C, "room"> = rk.channel("news:front");',
    // Two families in full (all their types), and not the contract's other four.
    max: 700,
    says: /BasicHandle<\{ kind: "public"; id: `news:\$\{string\}`; .*headline: string.*' is missing the following properties from type 'RoomHandle<\{ kind: "room"; id: `room:\$\{string\}`/,
  },
  {
    name: "a listener for another family's messages",
    code: 'rk.channel("news:front").on("message", (m: Message<{ text: string }>) => m.body?.text);',
    // The compiler's chain of five lines, from the listener down to the missing field.
    max: 800,
    says: /Property 'text' is missing in type '\{ headline: string; \}'/,
  },
  {
    name: "the server API: publishing to a misspelt family",
    code: 'void server.publish("nwes:front", { headline: "hi" });',
    says: /not assignable to parameter of type '"unknown family: nwes; declared: [a-z, ]+"'/,
  },
  {
    name: "the server API: a room operation on a family that is not a room",
    code: 'void server.rooms.invite("lobby:main", "carol");',
    says: /'"lobby has no rooms; families with rooms: room"'/,
  },
];

const HEADER = [
  'import { createClient } from "@roomkit/client";',
  'import type { Message, RoomChannel } from "@roomkit/client";',
  'import type { TestContract as C } from "../../server/test/support/contract.js";',
  'import type { Roomkit } from "@roomkit/server";',
  'const rk = createClient<C>("http://localhost:3000");',
  "declare const server: Roomkit<C>;",
];

describe("type errors of the SDK and the server API: short, and naming the problem", () => {
  let errors: SnippetError[] = [];
  it("compiles the cases (one program)", () => {
    errors = compileSnippet([...HEADER, ...CASES.map((c) => c.code)].join("\n"));
    expect(errors.filter((e) => e.line <= HEADER.length)).toEqual([]);
  }, 120_000);

  for (const [i, c] of CASES.entries()) {
    it(`${c.name}: one error, short, that never prints the contract`, () => {
      const mine = errors.filter((e) => e.line === HEADER.length + i + 1).map((e) => e.text);
      expect(mine, JSON.stringify(errors, null, 2)).toHaveLength(1);
      const [text] = mine as [string];
      expect(text).toMatch(c.says);
      expect(text.length, text).toBeLessThanOrEqual(c.max ?? 300);
      // The contract's own pieces: its schemas and its `channels` map.
      expect(text).not.toMatch(/Zod|readonly channels|TypeOnly|ContractDefinition/);
    });
  }
});
