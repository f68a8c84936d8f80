import { createServer } from "node:http";
import { Server } from "socket.io";
import { createRoomkit, jwtAuth, signToken } from "@roomkit/server";
import { contract } from "./contract.js";

// The secret that signs and verifies tokens. Unset, jwtAuth throws at startup and says so.
const secret = process.env.JWT_SECRET!;

const http = createServer(async (req, res) => {
  // Your app's own login route: check a password or a session first. This demo trusts the name.
  const url = new URL(req.url ?? "/", "http://localhost");
  const user = url.searchParams.get("user");
  if (url.pathname !== "/login" || !user) return void res.writeHead(404).end();
  const token = await signToken(secret, { id: user, profile: { name: user } }, { expiresIn: "1h" });
  res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ token }));
});

const rk = createRoomkit(new Server(http), {
  contract,
  authenticate: jwtAuth({ key: secret }), // or your own (handshake) => user
  channels: { news: { publish: (user) => user.id === "editor" } }, // a one-to-many feed
});

const port = Number(process.env.PORT ?? 3000);
http.listen(port, () => console.log(`listening on http://localhost:${port}`));
await rk.publish("news:front", { headline: "Roomkit is up" }); // the server API, as the system
