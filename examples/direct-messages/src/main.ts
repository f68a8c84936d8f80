import { serveAlone } from "@roomkit/example-kit/http";
import { mountDirectMessages } from "./server.js";

await serveAlone("direct-messages", mountDirectMessages);
