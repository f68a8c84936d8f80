import { serveAlone } from "@roomkit/example-kit/http";
import { mountGroupChat } from "./server.js";

await serveAlone("group-chat", mountGroupChat);
