/**
 * The errors the util components raise: a wrong argument at construction,
 * and malformed data met while running (reported, never thrown).
 *
 * @module
 */
import { KamaeliaError } from "../core/errors.js";

/** A constructor argument of the wrong kind; the message names the component and the argument. */
export class ArgumentError extends KamaeliaError {
  constructor(component: string, argument: string, expected: string, got: unknown) {
    super("BAD_ARGUMENT", `${component}: ${argument} must be ${expected}, got ${describeValue(got)}`);
  }
}

/**
 * A message a component could not handle (bad JSON, a transformer that
 * threw, an unknown command). It travels inside an `ErrorInformation` out of
 * the component's `error` outbox; the component carries on with the next message.
 */
export class MessageError extends KamaeliaError {
  constructor(component: string, box: string, why: string, cause?: unknown) {
    super("BAD_MESSAGE", `${component}: a message on ${box} ${why}`, cause === undefined ? undefined : { cause });
  }
}

/** A short, readable description of any value, for error messages. */
export function describeValue(x: unknown): string {
  if (x === undefined) return "undefined";
  if (x === null) return "null";
  if (typeof x === "function") return `a function (${x.name || "anonymous"})`;
  if (typeof x === "object") return `an object (${(x as object).constructor?.name ?? "Object"})`;
  if (typeof x === "string") return `a string (${JSON.stringify(x.slice(0, 40))})`;
  return `a ${typeof x} (${String(x).slice(0, 40)})`;
}

/** Why `cause` (anything thrown) went wrong, as one line. */
export function reason(cause: unknown): string {
  return cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
}
