import "@roomkit/example-kit/style.css";
import "./style.css";
import { createRoot } from "react-dom/client";
import { appBase, signIn } from "@roomkit/example-kit/sign-in";
import { App } from "./App.js";
import type { Profile } from "./contract.js";
import { RoomkitProvider } from "./hooks.js";

// The demo sign-in (the kit's, shared by every example) gives a token; the provider connects with it.
const session = await signIn<Profile>({ title: "React chat", tagline: "Rooms, typing and who is online, in React.", icon: "⚛️" });
const main = document.querySelector("main") as HTMLElement;
main.className = "app-root";

createRoot(main).render(
  <RoomkitProvider url={location.origin} options={{ auth: { token: session.token }, socket: { path: `${appBase}socket.io` } }}>
    <App me={session.user.id} />
  </RoomkitProvider>,
);
