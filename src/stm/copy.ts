/**
 * Deep copies for STM: values are copied when checked out and when
 * committed (as Axon deep-copies them), so a change is invisible to others
 * until its commit, and a committed value cannot be changed behind the
 * store's back.
 *
 * @module
 */
import { StmArgumentError } from "./errors.js";

/** A deep copy of `value` (structured clone); primitives are returned as they are. */
export function copyValue<T>(store: string, key: string, value: T): T {
  if (value === null || typeof value !== "object") {
    if (typeof value === "function" || typeof value === "symbol") throw notCopyable(store, key, `it is a ${typeof value}`);
    return value;
  }
  try {
    return structuredClone(value);
  } catch (e) {
    throw notCopyable(store, key, e instanceof Error ? e.message : String(e));
  }
}

function notCopyable(store: string, key: string, why: string): StmArgumentError {
  return new StmArgumentError(`${store}: the value of "${key}" cannot be copied (${why}); STM values must be plain data (structured-cloneable)`);
}
