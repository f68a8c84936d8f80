import { createElement } from "react";
import { renderToString } from "react-dom/server";
import { createRoomkitHooks } from "@roomkit/react";
import type { contract } from "./contract.mjs";

// @roomkit/react from its tarball: typed hooks, and server rendering that opens no socket.
const { RoomkitProvider, useConnection, useMessages } = createRoomkitHooks<typeof contract>();

function Page() {
  const connection = useConnection();
  const { messages } = useMessages("dm:alice|bob");
  // @ts-expect-error: the dm body is { text: string }: the contract's types reached the hooks
  void ({ txt: 1 } satisfies Parameters<ReturnType<typeof useMessages<"dm">>["send"]>[0]);
  return createElement("p", null, `${connection.status}, ${messages.length} messages`);
}

const html = renderToString(createElement(RoomkitProvider, { url: "http://127.0.0.1:1" }, createElement(Page)));
if (html !== "<p>connecting, 0 messages</p>") throw new Error(`server rendering gave ${html}`);
console.log(`React: server rendering gave ${html}`);
