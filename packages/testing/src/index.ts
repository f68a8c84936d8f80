export { startApp } from "./app.js";
export type { ConnectOptions, TestApp, TestAppOptions } from "./app.js";
export { autoClose } from "./auto-close.js";
export type { TestClient, TestClientControls, WaitOptions } from "./client.js";
export type { AppSetup, RoomkitSetup, SetupEnv, TestNode } from "./node.js";
export type { RedisTestOptions } from "./redis-source.js";
export type { Match, Pattern } from "./match.js";
export type { MessageOf, PushName, Pushes, Received } from "./pushes.js";
