import { createHash } from "node:crypto";
import { ErrorReply } from "redis";

/** The one thing the stores need from a Redis client: send a command, get its raw RESP2 reply. */
export interface CommandClient {
  sendCommand(args: ReadonlyArray<string>): Promise<unknown>;
  /** On a cluster: a client whose keyless commands (`WAIT`) go to the primary that holds `key`. */
  onKey?(key: string): CommandClient;
}

/**
 * A Lua script run by `EVALSHA`, falling back to `EVAL` (which caches it) when Redis does not
 * know it yet, as after a restart. Each script is atomic: this is how the stores stay correct
 * with many nodes writing at once.
 */
export class Script {
  readonly sha: string;

  constructor(readonly source: string) {
    this.sha = createHash("sha1").update(source).digest("hex");
  }

  run(client: CommandClient, keys: readonly string[], args: readonly string[]): Promise<unknown> {
    const tail = [String(keys.length), ...keys, ...args];
    return client.sendCommand(["EVALSHA", this.sha, ...tail]).catch((err: unknown) => {
      if (!(err instanceof ErrorReply) || !err.message.startsWith("NOSCRIPT")) throw err;
      return client.sendCommand(["EVAL", this.source, ...tail]);
    });
  }

  /** Loads the script ahead of use, so the first calls after a (re)connect need no fallback. */
  load(client: CommandClient): Promise<unknown> {
    return client.sendCommand(["SCRIPT", "LOAD", this.source]);
  }
}
