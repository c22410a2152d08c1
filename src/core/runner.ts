/**
 * The runner: how one scheduler step of a component runs, whatever its kind.
 *
 * *An Axon internal: `Component._step()` and `Component._fuse()` call in here.*
 *
 * Three ways of running share one scheduler:
 * - a **generator** `main()`: a step resumes it once (with the value of a
 *   promise it yielded, or throwing that promise's rejection into it);
 * - a **drain loop** (`processMessages`): once the generator yields the
 *   loop object, the runner calls the handler itself for every waiting
 *   message, with no generator resumed per message (`stepDrain`);
 * - an **async** `main()`: a step starts it, later steps release its parked
 *   waits (`stepAsync`).
 *
 * **Fusion** (`fuse`): a message for an idle component in a drain loop is
 * handed to its handler inside the sender's `send`, as a function call.
 *
 * @module
 */
import type { Inbox } from "./box.js";
import type { Wait } from "./component-types.js";
import { DrainLoop, rethrow } from "./drain-loop.js";
import { end } from "./ending.js";
import { InvalidMainError, StoppedError } from "./errors.js";
import {
  ACTIVE,
  ASYNC,
  ASYNC_BUDGET,
  BLOCKED,
  DRAIN_BUDGET,
  MAX_FUSE_DEPTH,
  RETURNING,
  RUNNING,
  STOP,
  cold,
  unblock,
  type Microprocess,
} from "./microprocess.js";
import { PAUSE, WOKEN, type Scheduler } from "./scheduler.js";

/**
 * Call `main()` and keep what it returned: a generator to step, or an async
 * main to start on the first step. @throws InvalidMainError for anything else.
 */
export function prepareMain(m: Microprocess): void {
  const kind = m.main.constructor.name;
  if (kind === "AsyncFunction") {
    m._flags |= ASYNC;
    cold(m).asyncMain = () => m.main() as Promise<unknown>;
  } else if (kind === "GeneratorFunction") {
    m._gen = m.main() as Generator<unknown, unknown, unknown>;
  } else {
    const r: unknown = m.main();
    if (isGenerator(r)) m._gen = r;
    else if (isThenable(r)) {
      m._flags |= ASYNC;
      cold(m).asyncMain = () => Promise.resolve(r);
    } else {
      throw new InvalidMainError(m.name, describeValue(r));
    }
  }
}

/** One scheduler step of `m`: true if it may run again, false if it finished or waits on something. */
export function step(m: Microprocess): boolean {
  if ((m._flags & ASYNC) !== 0) return stepAsync(m);
  if (m._drain !== null) {
    m._flags |= RUNNING;
    const again = stepDrain(m);
    m._flags &= ~RUNNING;
    return again;
  }
  const gen = m._gen;
  if (gen === null) return false;
  let r: IteratorResult<unknown, unknown>;
  try {
    const x = m._x;
    if ((m._flags & (STOP | RETURNING)) === STOP) {
      m._flags |= RETURNING;
      r = gen.return(undefined);
    } else if (x !== null && x.resumeError !== null) {
      const e = x.resumeError.error;
      x.resumeError = null;
      r = gen.throw(e);
    } else if (x !== null && x.resumeValue !== undefined) {
      const v = x.resumeValue;
      x.resumeValue = undefined;
      r = gen.next(v);
    } else {
      r = gen.next();
    }
  } catch (e) {
    end(m, e, true);
    return false;
  }
  if (r.done === true) {
    end(m, undefined, false);
    return false;
  }
  return yielded(m, r.value);
}

/** Act on what the generator yielded: a drain loop to drive, a promise to wait for, or a plain give-way. */
function yielded(m: Microprocess, v: unknown): boolean {
  if (v === undefined || v === null || typeof v !== "object") return true;
  if (v instanceof DrainLoop) {
    m._drain = v as DrainLoop<unknown>;
    return stepDrain(m);
  }
  if (typeof (v as PromiseLike<unknown>).then === "function") {
    blockOn(m, v as PromiseLike<unknown>);
    return false;
  }
  return true;
}

/**
 * The `processMessages` loop, run by the scheduler directly: take each
 * waiting message and call the handler (running any generator it returns
 * until it finishes), stop on `shutdownMicroprocess`, finish on
 * `producerFinished` once the inbox is empty, and otherwise sleep until a
 * delivery. At most {@link DRAIN_BUDGET} messages a step. When the loop ends, the shutdown message is passed on and the
 * component's generator resumes after its `yield* this.processMessages(...)`.
 */
function stepDrain(m: Microprocess): boolean {
  if ((m._flags & STOP) !== 0) {
    // A forced stop: abandon the loop and let the generator's finally blocks run.
    m._drain = null;
    const sub = m._x?.sub;
    if (sub) {
      m._x!.sub = null;
      try {
        sub.return(undefined);
      } catch (e) {
        end(m, e, true);
        return false;
      }
    }
    return step(m);
  }
  const x = m._x;
  if (x !== null && x.sub !== null) {
    const sub = x.sub;
    let r: IteratorResult<unknown, unknown>;
    try {
      if (x.resumeError !== null) {
        const e = x.resumeError.error;
        x.resumeError = null;
        r = sub.throw(e);
      } else {
        const v = x.resumeValue;
        x.resumeValue = undefined;
        r = sub.next(v);
      }
    } catch (e) {
      end(m, e, true);
      return false;
    }
    if (r.done !== true) return subYielded(m, r.value);
    x.sub = null;
  }
  const inbox = m.inbox;
  const loop = m._drain!;
  const handle = loop.handle;
  const known = m._x?.shutdownState?.kind;
  let budget = DRAIN_BUDGET;
  while (inbox.length > 0 && known !== "stop") {
    // Give way after a budget of messages (still runnable: the next cycle carries on), so a loop
    // that refills its own inbox cannot hold the scheduler, and with it the event loop.
    if (--budget < 0) return true;
    const control = m._ctl;
    if (control !== null && control.length > 0 && m.checkShutdown() === "stop") break;
    let sub: Wait<unknown> | void;
    try {
      sub = handle.call(m, inbox.take());
      if (typeof sub === "object" && sub !== null && typeof sub.next === "function") {
        const r = sub.next();
        if (r.done !== true) {
          cold(m).sub = sub;
          return subYielded(m, r.value);
        }
      }
    } catch (e) {
      end(m, e, true);
      return false;
    }
  }
  const kind = m.checkShutdown();
  if (kind === "stop" || (kind === "finish" && inbox.length === 0)) {
    m._drain = null;
    // The generator resumes after its yield* with the shutdown message (an onFinish wrapper passes it on itself).
    cold(m).resumeValue = loop.passOn ? m.passOnShutdown() : m.shutdownMessage;
    return true;
  }
  m._flags |= PAUSE;
  return true;
}

/**
 * Fusion: a message for an idle component in a processMessages loop is
 * handed straight to its handler, inside the sender's `send`, as a function
 * call — the receiver would have done exactly that as its next step, with
 * nothing else in its inbox to come first, so per-link order is kept.
 * Returns false (and the message is queued as usual) unless the receiver is
 * active, in drain mode, not running, has no handler wait or shutdown
 * pending, and the nesting (counted per scheduler) is shallow; or when the
 * scheduler has fusion off.
 */
export function fuse(m: Microprocess, box: Inbox, message: unknown): boolean {
  const f = m._flags;
  if ((f & (ACTIVE | ASYNC | BLOCKED | RUNNING | STOP)) !== ACTIVE) return false;
  const loop = m._drain;
  if (loop === null || box !== m._in) return false;
  const sched = m.system!.scheduler;
  if (!sched.fusion || sched.fuseDepth >= MAX_FUSE_DEPTH) return false;
  const x = m._x;
  if (x !== null && (x.sub !== null || x.shutdownState !== null)) return false;
  const c = m._ctl;
  if (c !== null && c.length > 0) return false;
  sched.fuseDepth++;
  m._flags = f | RUNNING;
  try {
    waitsAfter(m, sched, loop.handle.call(m, message));
  } catch (e) {
    // Not ended here, inside the sender's send: the failure is raised in the receiver's own next
    // step, as it would have been without fusion (and until then, deliveries to it queue).
    cold(m).sub = rethrow(e);
    sched.wake(m);
  }
  m._flags &= ~RUNNING;
  sched.fuseDepth--;
  return true;
}

/**
 * What a fused handler returned: if a generator, run it to its first wait;
 * if it waits (for room, or a promise), keep it and carry on as a scheduled
 * step would, and return true.
 */
function waitsAfter(m: Microprocess, sched: Scheduler, sub: Wait<unknown> | void): boolean {
  if (typeof sub !== "object" || sub === null || typeof sub.next !== "function") return false;
  const r = sub.next();
  if (r.done === true) return false;
  cold(m).sub = sub;
  if (subYielded(m, r.value)) {
    if ((m._flags & PAUSE) !== 0) m._flags &= ~PAUSE;
    else sched.wake(m);
  }
  return true;
}

/** What the sender of a fused run checks before each message (see {@link fuseRun}): false ends the run. */
export interface RunGuard {
  /** Whether the next message may still go to `box` now. */
  holds(box: Inbox): boolean;
}

/**
 * Fusion of a run: hand `run[from]`, `run[from + 1]`, … to `m`'s handler one
 * after another inside one fused call, each only if {@link fuse} would take
 * it at that moment (the same checks, made again before every message, since
 * a handler may change anything) and `guard.holds(box)`. It stops at the
 * first message not taken (the handler queued something in `box`, a stop
 * arrived, a handler waits or threw…), which the sender then delivers as
 * usual, so the order is kept. Returns the index of the first message not
 * handed over. For a sender that gives one receiver many messages at once
 * (the Backplane's fan-out): the per-message costs of `deliver` and `fuse`
 * (lookups, the depth count, the running flag, the `try`) are paid per run.
 */
export function fuseRun(m: Microprocess, box: Inbox, run: readonly unknown[], from: number, n: number, guard: RunGuard): number {
  const f = m._flags;
  if ((f & (ACTIVE | ASYNC | BLOCKED | RUNNING | STOP)) !== ACTIVE) return from;
  const loop = m._drain;
  if (loop === null || box !== m._in) return from;
  const sched = m.system!.scheduler;
  if (!sched.fusion || sched.fuseDepth >= MAX_FUSE_DEPTH) return from;
  const handle = loop.handle;
  let j = from;
  sched.fuseDepth++;
  m._flags = f | RUNNING;
  try {
    for (; j < n; j++) {
      if ((m._flags & (ACTIVE | BLOCKED | STOP)) !== ACTIVE || m._drain !== loop || !sched.fusion) break;
      if (box.length !== 0 || box.isFull() || box.closed || box.final !== box || !guard.holds(box)) break;
      const x = m._x;
      if (x !== null && (x.sub !== null || x.shutdownState !== null)) break;
      const c = m._ctl;
      if (c !== null && c.length > 0) break;
      if (waitsAfter(m, sched, handle.call(m, run[j]))) {
        // The rest of the run waits behind it, as after a fused call that waits.
        j++;
        break;
      }
    }
  } catch (e) {
    // As in fuse: raised in the receiver's own next step; the message that threw was handed over.
    cold(m).sub = rethrow(e);
    sched.wake(m);
    j++;
  }
  m._flags &= ~RUNNING;
  sched.fuseDepth--;
  return j;
}

/** What a handler's generator yielded: a promise blocks the component; anything else gives way. */
function subYielded(m: Microprocess, v: unknown): boolean {
  if (v !== undefined && v !== null && typeof (v as PromiseLike<unknown>).then === "function") {
    blockOn(m, v as PromiseLike<unknown>);
    return false;
  }
  return true;
}

/** Sleep until `p` settles (deliveries do not wake it), then resume with its value or its rejection. */
function blockOn(m: Microprocess, p: PromiseLike<unknown>): void {
  const token = {};
  cold(m).blockedOn = token;
  m._flags |= BLOCKED;
  p.then(
    (value) => {
      if (m._x?.blockedOn !== token) return;
      unblock(m);
      cold(m).resumeValue = value;
      m.system!.scheduler.wake(m);
    },
    (error: unknown) => {
      if (m._x?.blockedOn !== token) return;
      unblock(m);
      cold(m).resumeError = { error };
      m.system!.scheduler.wake(m);
    },
  );
}

/** An async component's step: start its main (first step), or release the waits parked on a wake. */
function stepAsync(m: Microprocess): boolean {
  const x = cold(m);
  x.budget = ASYNC_BUDGET;
  const start = x.asyncMain;
  if (start !== null) {
    x.asyncMain = null;
    if ((m._flags & STOP) !== 0) {
      end(m, undefined, false);
      return false;
    }
    let p: Promise<unknown>;
    try {
      p = start();
    } catch (e) {
      end(m, e, true);
      return false;
    }
    p.then(
      () => end(m, undefined, false),
      (e: unknown) => end(m, e, !((m._flags & STOP) !== 0 && e instanceof StoppedError)),
    );
    // A wake during this first step (main's synchronous start called yieldAsync) asks for
    // another step to release it; returning false would drop it and the component would never wake.
    return (m._flags & WOKEN) !== 0;
  }
  const ws = x.waiters;
  if (ws !== null) {
    x.waiters = null;
    m.system!.scheduler.asyncReleased = true;
    for (const w of ws) w();
  }
  return false;
}

function isGenerator(x: unknown): x is Generator<unknown, unknown, unknown> {
  return (
    typeof x === "object" &&
    x !== null &&
    typeof (x as Generator).next === "function" &&
    typeof (x as Generator).throw === "function" &&
    typeof (x as Generator).return === "function"
  );
}

function isThenable(x: unknown): x is PromiseLike<unknown> {
  return typeof x === "object" && x !== null && typeof (x as PromiseLike<unknown>).then === "function";
}

/** A short description of a value for an error message: its type, and its start or its class. */
export function describeValue(x: unknown): string {
  if (x === undefined) return "undefined";
  if (x === null) return "null";
  if (typeof x === "object") return `an object (${(x as object).constructor?.name ?? "Object"})`;
  return `a ${typeof x} (${String(x).slice(0, 40)})`;
}
