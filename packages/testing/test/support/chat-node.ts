/** A node program of the script kind, as an app would write one: `startAppProcesses({ run: { script } })` runs it. */
import { serveTestNode } from "@roomkit/testing";
import { chatOptions } from "./chat-app.js";

await serveTestNode(chatOptions());
