/**
 * Interop with ordinary Node code: use components from async code (Handle,
 * iterate), and adapt between boxes and Node streams (ReadableSource,
 * WritableSink), iterables (IterableSource), EventEmitters (EventSource,
 * EventSink) and AbortSignals (stopOnAbort, finishedSignal).
 *
 * @module
 */
export { Wakeup } from "../support/wakeup.js";
export { StreamError } from "./errors.js";
export { Handle, iterate, type HandleOptions } from "./handle.js";
export { ReadableSource } from "./readable-source.js";
export { WritableSink, type WritableSinkOptions } from "./writable-sink.js";
export { IterableSource } from "./iterable-source.js";
export { EventSource, EventSink, type EventSourceOptions } from "./event-emitter.js";
export { stopOnAbort, finishedSignal } from "./abort-signal.js";
export { shutdownOnSignals, type SignalShutdown, type SignalShutdownOptions } from "./signal-shutdown.js";
export { UsageError, describeFailure, runMain } from "./run-main.js";
