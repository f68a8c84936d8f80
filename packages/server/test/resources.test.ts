import { memoryStores } from "@roomkit/server";
import { describeResources } from "./resources/index.js";

// The resource attacks on the in-memory stores; packages/redis/test/resources.test.ts runs them on Redis.
describeResources({ name: "memory", stores: () => memoryStores() });
