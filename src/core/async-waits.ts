/**
 * The waits of async components: each parks a resolver on the component
 * until its next wake (a delivery, room, a child ending, `unpause()`), and
 * rejects on an AbortSignal or when the component is stopped.
 *
 * *An Axon internal: the Component methods of the same names call in here.*
 * Fairness: an async component whose waits keep completing at once would
 * never give way, so every {@link ASYNC_BUDGET}th wait goes round the scheduler.
 *
 * @module
 */
import type { Inbox, Outbox } from "./box.js";
import type { AsyncOptions } from "./component-types.js";
import { StoppedError } from "./errors.js";
import { FINISHED, LATCH, STOP, cold, type Waiter } from "./microprocess.js";
import type { Service } from "./services.js";
import { System } from "./system.js";
import { setTimeout as delay } from "node:timers/promises";

/** Resolve at the next wake of `m` (at once if a wake came while it was not waiting). */
export function park(m: Waiter, options?: AsyncOptions): Promise<void> {
  if ((m._flags & STOP) !== 0) return Promise.reject(new StoppedError(m.name));
  if ((m._flags & FINISHED) !== 0) return Promise.reject(new StoppedError(m.name));
  const signal = options?.signal;
  if (signal?.aborted) return Promise.reject(signal.reason);
  if ((m._flags & LATCH) !== 0) {
    m._flags &= ~LATCH;
    return Promise.resolve();
  }
  const stop = m.stopSignal;
  return new Promise<void>((resolve, reject) => {
    const onAbort = (): void => {
      const ws = m._x?.waiters;
      if (ws) {
        const i = ws.indexOf(done);
        if (i >= 0) ws.splice(i, 1);
      }
      cleanup();
      reject(stop.aborted ? stop.reason : signal!.reason);
    };
    const cleanup = (): void => {
      signal?.removeEventListener("abort", onAbort);
      stop.removeEventListener("abort", onAbort);
    };
    const done = (): void => {
      cleanup();
      resolve();
    };
    (cold(m).waiters ??= []).push(done);
    signal?.addEventListener("abort", onAbort, { once: true });
    stop.addEventListener("abort", onAbort, { once: true });
  });
}

/** Give way to the other components, then carry on. */
export function yieldAsync(m: Waiter, options?: AsyncOptions): Promise<void> {
  const p = park(m, options);
  m.system!.scheduler.wake(m);
  return p;
}

/** Count a wait against the budget; when it runs out, give way first. */
async function fair(m: Waiter, options?: AsyncOptions): Promise<void> {
  if (--cold(m).budget <= 0) await yieldAsync(m, options);
}

/** Wait for a message in `b` and take it. */
export async function recvAsync(m: Waiter, b: Inbox, options?: AsyncOptions): Promise<unknown> {
  await fair(m, options);
  while (b.length === 0) await park(m, options);
  return b.take();
}

/** Wait for room at `b`'s destination, then send. */
export async function sendAsync(m: Waiter, b: Outbox, message: unknown, options?: AsyncOptions): Promise<void> {
  await fair(m, options);
  while (b.isFull()) await park(m, options);
  b.send(message);
}

/** Wait until one of `list` holds a message (its name), or `timeout` ms pass (`null`). */
export async function readyAsync(m: Waiter, list: readonly Inbox[], options?: AsyncOptions & { timeout?: number }): Promise<string | null> {
  await fair(m, options);
  let fired = false;
  const timer =
    options?.timeout === undefined
      ? null
      : setTimeout(() => {
          fired = true;
          m._wake();
        }, options.timeout);
  try {
    for (;;) {
      for (const b of list) if (b.length > 0) return b.name;
      if (fired) return null;
      await park(m, options);
    }
  } finally {
    if (timer !== null) clearTimeout(timer);
  }
}

/** The component's stop signal, joined with the caller's signal when given. */
function stopOr(m: Waiter, options?: AsyncOptions): AbortSignal {
  return options?.signal ? AbortSignal.any([m.stopSignal, options.signal]) : m.stopSignal;
}

/** Sleep `ms`; rejects on abort or stop. */
export function sleepAsync(m: Waiter, ms: number, options?: AsyncOptions): Promise<void> {
  return delay(ms, undefined, { signal: stopOr(m, options) });
}

/** Wait until the service `name` is registered in `m`'s system. */
export function serviceAsync(m: Waiter, name: string, options?: AsyncOptions): Promise<Service> {
  const sys = m.system ?? System.default;
  return sys.services.waitFor(name, { signal: stopOr(m, options) });
}
