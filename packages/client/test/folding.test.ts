import { describe, expect, it } from "vitest";
import { countReply, foldChange, foldMessage } from "@roomkit/client";
import type { ChangeEntry, Message } from "@roomkit/client";

const message = (seq: number, version = seq): Message<{ text: string }> => ({
  id: `m${seq}`,
  channel: "room:1",
  seq,
  from: "alice",
  body: { text: `${seq}` },
  sentAt: 10,
  version,
});
const base = { channel: "room:1", target: 1, at: 20 };

describe("the folding rule (protocol §8.5)", () => {
  it("applies a change once: only when its seq is above the message's version", () => {
    const edit: ChangeEntry<{ text: string }> = { ...base, type: "edit", seq: 2, by: "alice", body: { text: "new" } };
    const edited = foldChange(message(1), edit, "bob")!;
    expect(edited).toMatchObject({ body: { text: "new" }, editedAt: 20, version: 2 });
    expect(foldChange(edited, edit, "bob")).toBeUndefined();
    expect(foldChange(message(1, 5), edit, "bob")).toBeUndefined();
  });

  it("keeps counts from the entries and `mine` from the reader's own ones; drops a reaction at 0", () => {
    const react = (seq: number, by: string, count: number, type: "react" | "unreact" = "react"): ChangeEntry => ({
      ...base,
      type,
      seq,
      by,
      reaction: "👍",
      count,
    });
    let m: Message = message(1);
    for (const c of [react(2, "bob", 1), react(3, "carol", 2), react(4, "bob", 1, "unreact")]) m = foldChange(m, c, "bob")!;
    expect(m.reactions).toEqual([{ reaction: "👍", count: 1, mine: false }]);
    m = foldChange(m, react(5, "carol", 0, "unreact"), "bob")!;
    expect(m.reactions).toBeUndefined();
  });

  it("a delete leaves a tombstone: no body, editedAt or reactions; later changes only move its version", () => {
    const deleted = foldChange(message(1), { ...base, type: "delete", seq: 2, by: "admin" }, "bob")!;
    expect(deleted).toEqual({
      id: "m1",
      channel: "room:1",
      seq: 1,
      from: "alice",
      sentAt: 10,
      version: 2,
      deleted: { by: "admin", at: 20 },
    });
    const edit: ChangeEntry<{ text: string }> = { ...base, type: "edit", seq: 3, by: "alice", body: { text: "late" } };
    expect(foldChange(deleted, edit, "bob")).toEqual({ ...deleted, version: 3 });
  });

  it("a message replaces what is held only with a higher version; a new reply counts in its root once", () => {
    expect(foldMessage(message(1, 3), message(1, 2))).toBeUndefined();
    expect(foldMessage(message(1, 2), message(1, 3))).toEqual(message(1, 3));
    const reply = { ...message(4), replyTo: 1 };
    const root = countReply(message(1), reply)!;
    expect(root).toMatchObject({ version: 4, replies: { count: 1, lastAt: 10 } });
    expect(countReply(root, reply)).toBeUndefined();
  });
});
