import { describe, expectTypeOf, it } from "vitest";
import { createClient } from "@roomkit/client";
import type { DeleteChange, EditChange, Message, MessageView, PendingSend, ReactionChange, ViewSnapshot } from "@roomkit/client";
import type { BodyOf, ChangeEntry } from "@roomkit/protocol";
import type { TestContract } from "../../server/test/support/contract.js";

// Type tests are compiled, never run: these values only carry types.
const rk = createClient<TestContract>("http://localhost:3000");
const dm = rk.dm("bob");
const chat = rk.channel("chat:general");
const news = rk.channel("news:front");

describe("operations", () => {
  it("edit takes the family's body input and resolves with a typed edit entry", () => {
    expectTypeOf(dm.edit(1, { text: "fixed" })).toEqualTypeOf<Promise<EditChange<BodyOf<TestContract, "dm">>>>();
    expectTypeOf(news.edit(1, { headline: "new" }))
      .resolves.toHaveProperty("body")
      .toEqualTypeOf<{ headline: string }>();
    // @ts-expect-error not the family's body
    news.edit(1, { text: "x" });
    // @ts-expect-error a body is required
    news.edit(1);
  });

  it("a reaction outside a family's declared list does not compile; without a list any string does", () => {
    chat.react(1, "👍");
    chat.unreact(1, "🎉");
    // @ts-expect-error not one of chat's reactions
    chat.react(1, "🙃");
    // @ts-expect-error not one of chat's reactions
    chat.unreact(1, "nope");
    dm.react(1, "anything");
    expectTypeOf(chat.react(1, "❤️")).toEqualTypeOf<Promise<ReactionChange<"👍" | "❤️" | "🎉"> | undefined>>();
    expectTypeOf(dm.react(1, "x")).toEqualTypeOf<Promise<ReactionChange<string> | undefined>>();
  });

  it("delete resolves with the delete entry (or undefined when a retry found it done); reply like send", () => {
    expectTypeOf(dm.delete(1)).toEqualTypeOf<Promise<DeleteChange | undefined>>();
    expectTypeOf(news.reply(1, { headline: "re" })).toEqualTypeOf<Promise<Message<{ headline: string }>>>();
    // @ts-expect-error not the family's body
    news.reply(1, { text: "re" });
    news.history({ thread: 1 });
  });

  it("the change event is typed by family: edit bodies and reactions", () => {
    chat.on("change", (c) => {
      expectTypeOf(c).toEqualTypeOf<ChangeEntry<{ text: string }, "👍" | "❤️" | "🎉">>();
      if (c.type === "edit") expectTypeOf(c.body).toEqualTypeOf<{ text: string }>();
      if (c.type === "react") expectTypeOf(c.reaction).toEqualTypeOf<"👍" | "❤️" | "🎉">();
    });
  });
});

describe("messages", () => {
  it("a deleted message has no body: test `deleted` first", () => {
    news.on("message", (m) => {
      // @ts-expect-error the body may be gone
      m.body.headline;
      if (!m.deleted) expectTypeOf(m.body).toEqualTypeOf<{ headline: string }>();
      else expectTypeOf(m.body).toEqualTypeOf<undefined>();
      expectTypeOf(m.version).toEqualTypeOf<number>();
    });
  });
});

describe("view", () => {
  it("is an observable of typed snapshots", () => {
    const view = news.view({ pageSize: 20 });
    expectTypeOf(view).toEqualTypeOf<MessageView<{ headline: string }>>();
    expectTypeOf(view.current).toEqualTypeOf<ViewSnapshot<{ headline: string }>>();
    expectTypeOf(view.current.messages).toEqualTypeOf<readonly Message<{ headline: string }>[]>();
    expectTypeOf(view.current.pending).toEqualTypeOf<readonly PendingSend<{ headline: string }>[]>();
    expectTypeOf(view.subscribe).parameter(0).toEqualTypeOf<(value: ViewSnapshot<{ headline: string }>) => void>();
    expectTypeOf(view.loadOlder()).toEqualTypeOf<Promise<void>>();
    news.view({ thread: 3 });
    // @ts-expect-error unknown option
    news.view({ threads: 3 });
  });
});
