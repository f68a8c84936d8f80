import { memoryStores } from "@roomkit/server";
import { describeAttacks } from "./attacks/index.js";

// The attack suite on the in-memory stores; packages/redis/test/attacks.test.ts runs it on Redis.
describeAttacks({ name: "memory", stores: () => memoryStores() });
