import { render, screen, waitFor } from "@testing-library/react";
import { memo } from "react";
import { describe, expect, it } from "vitest";
import type { Message } from "@roomkit/client";
import { as, connect, rk, server, settle } from "./support/app.js";

/** How often each row rendered, by message id. */
const renders = new Map<string, number>();

const Row = memo(function Row({ message }: { message: Message<{ text: string }> }) {
  renders.set(message.id, (renders.get(message.id) ?? 0) + 1);
  return <li>{message.deleted ? "(deleted)" : message.body.text}</li>;
});

function Conversation() {
  const { messages } = rk.useMessages("room:rows");
  return (
    <ul>
      {messages.map((m) => (
        <Row key={m.id} message={m} />
      ))}
    </ul>
  );
}

describe("message rows", () => {
  it("a new message renders its own row only, an edit the edited row only: the others keep their objects, so memo skips them", async () => {
    const h = await server();
    const bob = connect(h.url, "bob");
    const room = await bob.rooms.create({ channel: "room:rows", members: ["alice"] });
    const sent = [];
    for (const text of ["a", "b", "c"]) sent.push(await room.send({ text }));
    // Without StrictMode, which renders every component twice in development.
    render(<Conversation />, { wrapper: as(h, "alice", { strict: false }) });
    await waitFor(() => expect(screen.getAllByRole("listitem")).toHaveLength(3), settle);
    const first = [...renders.keys()];
    expect([...renders.values()]).toEqual([1, 1, 1]);

    for (const [i, text] of ["d", "e", "f"].entries()) {
      await room.send({ text });
      await waitFor(() => expect(screen.getAllByRole("listitem")).toHaveLength(4 + i), settle);
    }
    expect(screen.getAllByRole("listitem").map((li) => li.textContent)).toEqual(["a", "b", "c", "d", "e", "f"]);
    expect(first.map((id) => renders.get(id))).toEqual([1, 1, 1]);
    expect([...renders.values()]).toEqual([1, 1, 1, 1, 1, 1]);

    // An edit renders the edited row again, and no other.
    const second = [...renders.keys()][1]!;
    await room.edit(sent[1]!.seq, { text: "b, edited" });
    await waitFor(() => expect(screen.getAllByRole("listitem")[1]?.textContent).toBe("b, edited"), settle);
    expect([...renders.entries()].filter(([, n]) => n > 1).map(([id]) => id)).toEqual([second]);
  });
});
