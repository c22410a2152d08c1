/**
 * The iterators behind `processMessages` and `waitSend`, and fusion.
 *
 * *An Axon internal: components use `yield* this.processMessages(...)` and
 * `yield* this.waitSend(...)`; the scheduler recognises these objects.*
 *
 * **Fusion** ({@link fuse}): while a component runs its drain loop,
 * its `inbox` points at the loop (`Inbox.fuser`), and a message delivered
 * to the empty inbox of an idle component is handed straight to the
 * handler inside the sender's `send`, as a function call: exactly what its
 * next step would have done, minus the queueing and the scheduling. This is
 * the hot path of every pipeline, so everything it checks is one flag word
 * and two numbers on the scheduler, reached from monomorphic objects.
 *
 * @module
 */
import type { BoxOwner, Inbox } from "./box.js";
import type { Wait } from "./component-types.js";
import type { Ipc } from "./ipc.js";
import { ACTIVE, ASYNC, BLOCKED, CONTROL, HELD, RUNNING, STOP, setSub, subYielded, type Handler, type Microprocess } from "./microprocess.js";
import { PAUSE, type Scheduler } from "./scheduler.js";

/** A component that is any of these (or not ACTIVE) is not idle, and a delivery to it is queued. */
const BUSY = ACTIVE | ASYNC | BLOCKED | RUNNING | STOP | CONTROL | HELD;

/**
 * What `processMessages` hands to `yield*`: a tiny iterator instead of a
 * generator. Its first `next()` yields itself, which tells the scheduler to
 * run the handler loop directly (no generator resumed per wake); its second
 * returns the shutdown message that ended the loop.
 */
export class DrainLoop<In> {
  /**
   * @internal The scheduler of the component running the loop, set when the runner adopts it
   * (see runner.ts), which it does as soon as the first `next()` has yielded the loop.
   */
  sched: Scheduler | null = null;
  constructor(readonly handle: (message: In) => Wait<unknown> | void) {}
  /** Whether the scheduler passes the shutdown on when the loop ends (on the prototype: no field per loop). */
  get passOn(): boolean {
    return true;
  }
  /** First call: yield this loop to the scheduler; second: finish with the shutdown message passed in. */
  next(value?: unknown): IteratorResult<unknown, Ipc> {
    if (this.sched !== null) return { value: value as Ipc, done: true };
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

  /**
   * @internal Fusion of a run: hand `run[from]`, `run[from + 1]`, … to the
   * handler of `owner` (whose inbox `box` is, with this loop as its fuser)
   * one after another inside one fused call, each only if {@link fuse} would
   * take it at that moment (the same checks, made again before every
   * message, since a handler may change anything) and `guard.holds(box)`.
   * It stops at the first message not taken (the handler queued something in
   * `box`, a stop arrived, a handler waits or threw…), which the sender then
   * delivers as usual, so the order is kept. Returns the index of the first
   * message not handed over. For a sender that gives one receiver many
   * messages at once (the Backplane's fan-out): the depth count, the running
   * flag and the `try` are paid per run.
   */
  fuseRun(owner: BoxOwner, box: Inbox, run: readonly unknown[], from: number, n: number, guard: RunGuard): number {
    const m = owner as unknown as Microprocess;
    const f = m._flags;
    if ((f & BUSY) !== ACTIVE) return from;
    const s = this.sched!;
    if (s.fuseDepth >= s.fuseLimit) return from;
    // Called as `h._handler(message)`, not `handle.call(m, message)`: the same call, which V8 inlines (see Component._handler).
    const h = owner as unknown as { _handler(message: In): Wait<unknown> | void };
    let j = from;
    s.fuseDepth++;
    m._flags = f | RUNNING;
    try {
      for (; j < n; j++) {
        if ((m._flags & (BUSY & ~RUNNING)) !== ACTIVE || box.fuser !== this || s.fuseLimit === 0) break;
        // Empty, open, with room, not forwarded (one test of the same fields as length, isFull, closed and final).
        if (!box.fusible() || !guard.holds(box)) break;
        const sub = h._handler(run[j] as In);
        if (typeof sub === "object" && sub !== null && typeof sub.next === "function" && waitsAfter(m, s, sub)) {
          // The rest of the run waits behind it, as after a fused call that waits.
          j++;
          break;
        }
      }
    } catch (e) {
      // As in fuse: raised in the receiver's own next step; the message that threw was handed over.
      fusedFailed(m, s, e);
      j++;
    }
    m._flags &= ~RUNNING;
    s.fuseDepth--;
    return j;
  }
}

/**
 * @internal Fusion: called (through the owner's `_fuse`) by `Inbox.deliver` for a message to the
 * empty inbox of `m`, whose drain loop's handler is `handle`. Handles it at once and returns true
 * when `m` is idle (active, not running, blocked or stopping; no handler wait, shutdown or control
 * message pending) and the nesting is shallow enough (the scheduler's `fuseLimit`, 0 with fusion
 * off); otherwise returns false and the message is queued as usual. Per-link order is kept:
 * nothing else was in the inbox to come first. It reads the flag word and the scheduler, not the
 * loop object: one object fewer per hop.
 */
export function fuse(m: Microprocess, handle: Handler, message: unknown): boolean {
  const f = m._flags;
  if ((f & BUSY) !== ACTIVE) return false;
  const s = m.system!.scheduler;
  if (s.fuseDepth >= s.fuseLimit) return false;
  s.fuseDepth++;
  m._flags = f | RUNNING;
  try {
    const sub = handle.call(m, message);
    if (typeof sub === "object" && sub !== null && typeof sub.next === "function") waitsAfter(m, s, sub);
  } catch (e) {
    fusedFailed(m, s, e);
  }
  m._flags &= ~RUNNING;
  s.fuseDepth--;
  return true;
}

/** What the sender of a fused run checks before each message (see {@link DrainLoop.fuseRun}): false ends the run. */
export interface RunGuard {
  /** Whether the next message may still go to `box` now. */
  holds(box: Inbox): boolean;
}

/**
 * A fused handler threw. It is not ended here, inside the sender's send: the failure is raised
 * in the receiver's own next step, as it would have been without fusion (and until then,
 * deliveries to it queue).
 */
function fusedFailed(m: Microprocess, s: Scheduler, error: unknown): void {
  setSub(m, rethrow(error));
  s.wake(m);
}

/** A loop whose caller passes the shutdown on itself, after its `onFinish` (see `processMessages`). */
export class FinishingLoop<In> extends DrainLoop<In> {
  override get passOn(): boolean {
    return false;
  }
}

/**
 * A fused handler returned a generator (a `waitSend`): run it to its first wait; if it waits
 * (for room, or a promise), keep it and carry on as a scheduled step would, and return true.
 */
function waitsAfter(m: Microprocess, s: Scheduler, sub: Wait<unknown>): boolean {
  const r = sub.next();
  if (r.done === true) return false;
  setSub(m, sub);
  if (subYielded(m, r.value)) {
    if ((m._flags & PAUSE) !== 0) m._flags &= ~PAUSE;
    else s.wake(m);
  }
  return true;
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
