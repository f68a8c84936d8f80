import createDebug from "debug";

/** A `debug` logger under `roomkit:postgres:`, silent unless `DEBUG=roomkit:*` asks for it. */
export function logger(name: string): createDebug.Debugger {
  return createDebug(`roomkit:postgres:${name}`);
}
