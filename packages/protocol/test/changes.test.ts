import { describe, expect, it } from "vitest";
import { MAX_REACTION_LENGTH, defineContract, isValidReaction } from "@roomkit/protocol";
import type { ContractDefinition } from "@roomkit/protocol";

describe("isValidReaction", () => {
  it.each(["👍", "❤️", "👨‍👩‍👧‍👦", "+1", "ship it", "x".repeat(MAX_REACTION_LENGTH)])("accepts %j", (reaction) => {
    expect(isValidReaction(reaction)).toBe(true);
  });

  it.each(["", " ", "\t", "x".repeat(MAX_REACTION_LENGTH + 1), "a\nb", "\u0000", "\u007f", "\u0085", "\ud83d", "a\udc4d", 5, null, ["👍"]])(
    "refuses %j",
    (reaction) => {
      expect(isValidReaction(reaction)).toBe(false);
    },
  );
});

describe("defineContract reactions", () => {
  it("keeps a family's closed list of reactions", () => {
    const contract = defineContract({ channels: { room: { kind: "room", reactions: ["👍", "❤️"] } } });
    expect(contract.channels.room.reactions).toEqual(["👍", "❤️"]);
  });

  it.each([[[]], [["👍", "👍"]], [["a\nb"]], [[""]], ["👍"], [[5]]])("throws on the list %j", (reactions) => {
    const def = { channels: { room: { kind: "room", reactions } } } as unknown as ContractDefinition;
    expect(() => defineContract(def)).toThrow(/reactions/);
  });
});
