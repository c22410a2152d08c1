/**
 * The error raised when a Node stream or emitter that a component adapts fails.
 *
 * @module
 */
import { KamaeliaError } from "../core/errors.js";

/** A Node stream (or EventEmitter) adapted by a component reported an error; `cause` holds it. */
export class StreamError extends KamaeliaError {
  constructor(component: string, what: string, cause: unknown) {
    super("STREAM_ERROR", `${component}: the ${what} failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}
