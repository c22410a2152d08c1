/**
 * Errors of the NATS components; each message names the component and what
 * was wrong.
 *
 * @module
 */
import { KamaeliaError } from "../core/errors.js";

/** A NATS component was given an argument it cannot use (a bad subject, a missing connection, …). */
export class NatsArgumentError extends KamaeliaError {
  constructor(message: string) {
    super("BAD_ARGUMENT", message);
  }
}

/** The NATS server could not be reached, or the connection closed for good. */
export class NatsConnectionError extends KamaeliaError {
  constructor(message: string, cause?: unknown) {
    super("NATS_CONNECTION", message, { cause });
  }
}

/** A message could not be encoded for, or decoded from, the wire. */
export class NatsCodecError extends KamaeliaError {
  constructor(message: string, cause?: unknown) {
    super("NATS_CODEC", message, { cause });
  }
}

/** A request got no reply: it timed out, or nobody listens on the subject. */
export class NatsRequestError extends KamaeliaError {
  constructor(message: string, cause?: unknown) {
    super("NATS_REQUEST", message, { cause });
  }
}

/** The first line of a reason, for one-line messages. */
export function reason(e: unknown): string {
  const s = e instanceof Error ? `${e.message}${(e as { code?: unknown }).code ? ` (${String((e as { code?: unknown }).code)})` : ""}` : String(e);
  return s.split("\n")[0]!;
}
