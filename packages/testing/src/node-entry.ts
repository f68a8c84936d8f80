/**
 * The program of a child process in module mode (`startAppProcesses({ run: { module, export } })`):
 * imports the app's module and serves its export as a node.
 */
import { childNodeConfig, serveTestNode } from "./serve-node.js";
import type { RoomkitSetup } from "./node.js";
import type { AnyContract } from "@roomkit/protocol";

const config = childNodeConfig();
const name = config.export ?? "default";
const exports = (await import(config.module!)) as Record<string, unknown>;
const app = exports[name];
if (app === undefined || app === null || (typeof app !== "object" && typeof app !== "function"))
  throw new TypeError(
    `${config.module} has no export "${name}" that is Roomkit options or a setup function (it has: ${Object.keys(exports).join(", ")})`,
  );
await serveTestNode(app as RoomkitSetup<AnyContract>);
