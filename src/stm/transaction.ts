/**
 * Retrying transactions: check out, change, commit, and on a conflict back
 * off and redo it, for async code, generator components and processMessages
 * handlers alike.
 *
 * @module
 */
import type { Wait } from "../core/index.js";
import type { Collection } from "./collection.js";
import { BusyRetry, ConcurrentUpdate, StmArgumentError, TransactionFailed } from "./errors.js";
import type { Store } from "./store.js";

/** How a retrying transaction behaves. */
export interface TransactionOptions {
  /** Give up with {@link TransactionFailed} after this many attempts (default 1000; `Infinity` never gives up). */
  maxAttempts?: number;
  /**
   * Milliseconds to wait after failed attempt `n` (1, 2, …) before the next. The
   * default gives way without a timer for the first three, then waits a random
   * time up to `min(2^n, 50)` ms, so contenders spread out instead of colliding again.
   */
  backoff?: (attempt: number) => number;
}

/** The default backoff: see {@link TransactionOptions.backoff}. */
export function defaultBackoff(attempt: number): number {
  return attempt <= 3 ? 0 : Math.random() * Math.min(2 ** attempt, 50);
}

/** The async retrying transaction behind {@link Store.transactAsync}. */
export async function transactAsync<S extends object, K extends keyof S & string, R>(
  store: Store<S>,
  keys: readonly K[],
  fn: (values: Collection<Pick<S, K>>) => R | Promise<R>,
  options?: TransactionOptions,
): Promise<R> {
  const { maxAttempts, backoff } = checkOptions(store, fn, options);
  let last: unknown;
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    try {
      const values = store.checkout(keys);
      const result = await fn(values);
      values.commit();
      return result;
    } catch (e) {
      if (!(e instanceof ConcurrentUpdate || e instanceof BusyRetry)) throw e;
      last = e;
    }
    const ms = backoff(attempt);
    await new Promise<void>((resolve) => (ms > 0 ? setTimeout(resolve, ms) : setImmediate(resolve)));
  }
  throw new TransactionFailed(store.storeName, keys, maxAttempts, last);
}

/** The generator retrying transaction behind {@link Store.waitTransact}. */
export function* waitTransact<S extends object, K extends keyof S & string, R>(
  store: Store<S>,
  keys: readonly K[],
  fn: (values: Collection<Pick<S, K>>) => R | Wait<R>,
  options?: TransactionOptions,
): Wait<R> {
  const { maxAttempts, backoff } = checkOptions(store, fn, options);
  let last: unknown;
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    try {
      const values = store.checkout(keys);
      const r = fn(values);
      const result = isWait<R>(r) ? yield* r : r;
      values.commit();
      return result;
    } catch (e) {
      if (!(e instanceof ConcurrentUpdate || e instanceof BusyRetry)) throw e;
      last = e;
    }
    const ms = backoff(attempt);
    // A yielded promise puts the component to sleep until it settles; a bare yield just gives way.
    if (ms > 0) yield new Promise<void>((resolve) => setTimeout(resolve, ms));
    else yield;
  }
  throw new TransactionFailed(store.storeName, keys, maxAttempts, last);
}

function isWait<R>(x: unknown): x is Wait<R> {
  return typeof x === "object" && x !== null && typeof (x as Wait<R>).next === "function" && typeof (x as Wait<R>).throw === "function";
}

function checkOptions(store: { readonly storeName: string }, fn: unknown, options: TransactionOptions | undefined): Required<TransactionOptions> {
  const name = store.storeName;
  if (typeof fn !== "function") throw new StmArgumentError(`${name}: a transaction needs a function that changes the checked-out values, got ${typeof fn}`);
  const maxAttempts = options?.maxAttempts ?? 1000;
  if (typeof maxAttempts !== "number" || !(maxAttempts >= 1) || (maxAttempts !== Infinity && !Number.isInteger(maxAttempts))) {
    throw new StmArgumentError(`${name}: maxAttempts must be a whole number ≥ 1 (or Infinity), got ${String(maxAttempts)}`);
  }
  const backoff = options?.backoff ?? defaultBackoff;
  if (typeof backoff !== "function") throw new StmArgumentError(`${name}: backoff must be a function (attempt) => milliseconds, got ${typeof backoff}`);
  return { maxAttempts, backoff };
}
