/**
 * The store conformance suite: run it on your own `Stores` to prove they behave as the in-memory
 * and Redis ones do.
 * @module @roomkit/server/testing
 */
export type { StoreConformanceOptions } from "./conformance.js";
export { describeStoreConformance } from "./conformance.js";
