/**
 * The error a chassis throws when it is built with a bad argument.
 *
 * @module
 */
import { KamaeliaError } from "../core/errors.js";

/**
 * A chassis was given an argument it cannot use (a factory that is not a
 * function, an empty PAR, an unknown restart strategy, …). The message names
 * the chassis and the argument.
 */
export class ChassisArgumentError extends KamaeliaError {
  constructor(message: string) {
    super("BAD_ARGUMENT", message);
  }
}

/** Describe a value for an error message without dumping it. */
export function describeArgument(x: unknown): string {
  if (x === undefined) return "undefined";
  if (x === null) return "null";
  if (typeof x === "function") return `a function (${x.name || "anonymous"})`;
  if (typeof x === "object") return `an object (${(x as object).constructor?.name ?? "Object"})`;
  return `a ${typeof x} (${String(x).slice(0, 40)})`;
}
