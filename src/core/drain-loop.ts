/**
 * The iterators behind `processMessages` and `waitSend`.
 *
 * *An Axon internal: components use `yield* this.processMessages(...)` and
 * `yield* this.waitSend(...)`; the scheduler recognises these objects.*
 *
 * @module
 */
import type { Wait } from "./component-types.js";
import type { Ipc } from "./ipc.js";

/**
 * What `processMessages` hands to `yield*`: a tiny iterator instead of a
 * generator. Its first `next()` yields itself, which tells the scheduler to
 * run the handler loop directly (no generator resumed per wake); its second
 * returns the shutdown message that ended the loop.
 */
export class DrainLoop<In> {
  #started = false;
  constructor(
    readonly handle: (message: In) => Wait<unknown> | void,
    /** Whether the scheduler passes the shutdown on when the loop ends (else the caller does, after its onFinish). */
    readonly passOn: boolean,
  ) {}
  /** First call: yield this loop to the scheduler; second: finish with the shutdown message passed in. */
  next(value?: unknown): IteratorResult<unknown, Ipc> {
    if (this.#started) return { value: value as Ipc, done: true };
    this.#started = true;
    return { value: this, done: false };
  }
  /** Stopped from outside: finish at once. */
  return(value?: unknown): IteratorResult<unknown, Ipc> {
    return { value: value as Ipc, done: true };
  }
  /** An error thrown in: rethrow it to the generator that delegated to this loop. */
  throw(error: unknown): IteratorResult<unknown, Ipc> {
    throw error;
  }
  /** Iterable, so `yield*` accepts it. */
  [Symbol.iterator](): this {
    return this;
  }
}

/** A finished iterator, shared: what `waitSend` returns when it could send at once. */
const DONE_RESULT: IteratorReturnResult<void> = Object.freeze({ value: undefined, done: true as const });
export const DONE = Object.freeze({
  next: () => DONE_RESULT,
  return: () => DONE_RESULT,
  throw: (e: unknown): never => {
    throw e;
  },
  [Symbol.iterator]() {
    return this;
  },
}) as unknown as Wait;

/** A generator that throws `error` when first resumed. */
export function* rethrow(error: unknown): Wait<never> {
  throw error;
}
