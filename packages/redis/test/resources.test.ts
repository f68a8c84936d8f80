import { describe } from "vitest";
import { describeResources } from "../../server/test/resources/index.js";
import { redisAttackEnv } from "./support/attack-env.js";
import { needRedis } from "./support/services.js";

const redis = await needRedis();

// The server's resource attacks on the Redis stores.
describe.runIf(redis)("redis", () => {
  describeResources(redisAttackEnv("resources"));
});
