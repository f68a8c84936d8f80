// @vitest-environment node
import { renderToString } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { connect, rk, server } from "./support/app.js";

function Page() {
  const connection = rk.useConnection();
  const { messages, status } = rk.useMessages("room:ssr");
  const online = rk.usePresence("lobby:main");
  const unread = rk.useUnread();
  const rooms = rk.useRooms();
  return (
    <main>
      <p>{connection.status}</p>
      <p>
        {status} {messages.length} messages, {online.length} online, {unread.data?.total ?? "?"} unread, {rooms.status}
      </p>
    </main>
  );
}

describe("server rendering", () => {
  it("renders the initial state and opens no socket", async () => {
    const h = await server();
    let connections = 0;
    h.io.on("connection", () => void connections++);
    const html = renderToString(
      <rk.RoomkitProvider url={h.url} options={{ auth: { user: "alice" }, socket: { transports: ["websocket"], forceNew: true } }}>
        <Page />
      </rk.RoomkitProvider>,
    );
    expect(html).toBe(
      "<main><p>connecting</p><p>loading<!-- --> <!-- -->0<!-- --> messages, <!-- -->0<!-- --> online, <!-- -->?<!-- --> unread, <!-- -->loading</p></main>",
    );
    // A client connected after the render is the first connection the server sees.
    const probe = connect(h.url, "bob");
    await probe.ready();
    expect(connections).toBe(1);
  });
});
