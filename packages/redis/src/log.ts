import createDebug from "debug";

/** A `debug` logger under `roomkit:redis:`, silent unless `DEBUG=roomkit:*` asks for it. */
export function logger(name: string): createDebug.Debugger {
  return createDebug(`roomkit:redis:${name}`);
}
