import { serveAlone } from "@roomkit/example-kit/http";
import { mountLiveBroadcast } from "./server.js";

await serveAlone("live-broadcast", mountLiveBroadcast);
