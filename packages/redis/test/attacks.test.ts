import { describe } from "vitest";
import { describeAttacks } from "../../server/test/attacks/index.js";
import { redisAttackEnv } from "./support/attack-env.js";
import { needRedis } from "./support/services.js";

const redis = await needRedis();

// The server's attack suite, unchanged, on the Redis stores: records, scripts and all.
describe.runIf(redis)("redis", () => {
  describeAttacks(redisAttackEnv("attacks"));
});
