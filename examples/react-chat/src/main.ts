import { serveAlone } from "@roomkit/example-kit/http";
import { mountReactChat } from "./server.js";

await serveAlone("react-chat", mountReactChat);
