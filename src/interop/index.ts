/**
 * Interop with ordinary Node code: use components from async code (Handle),
 * and adapt between boxes and Node streams, async iterables, EventEmitters
 * and AbortSignals.
 *
 * @module
 */
export { Wakeup } from "./wakeup.js";
