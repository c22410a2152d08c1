/**
 * Kamaelia for TypeScript: components with named, typed inboxes and
 * outboxes, wired by Pipeline and Graphline, run by a passive cooperative
 * scheduler.
 *
 * @module
 */
export * from "./core/index.js";
export * from "./chassis/index.js";
export * from "./file/index.js";
export * from "./interop/index.js";
export * from "./util/index.js";
export * from "./net/index.js";
// Lifecycle, failure and dead-letter events on node:diagnostics_channel, and DEBUG=kamaelia (see introspect/diagnostics.ts).
import "./introspect/diagnostics.js";
