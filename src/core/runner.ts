/**
 * The runner: how one scheduler step of a component runs, whatever its kind.
 *
 * *An Axon internal: `Component._step()` calls in here.*
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
 * **Fusion** (`fuse`, drain-loop.ts): while the runner drives a
 * drain loop, the component's inbox points at it, so a message for the idle
 * component is handed to its handler inside the sender's `send`.
 *
 * @module
 */
import type { Wait } from "./component-types.js";
import { DrainLoop } from "./drain-loop.js";
export type { RunGuard } from "./drain-loop.js";
import { end } from "./ending.js";
import { InvalidMainError, StoppedError } from "./errors.js";
import {
  ASYNC,
  ASYNC_BUDGET,
  DRAIN_BUDGET,
  RETURNING,
  RUNNING,
  STOP,
  blockOn,
  cold,
  setSub,
  subYielded,
  type Microprocess,
} from "./microprocess.js";
import { PAUSE, WOKEN } from "./scheduler.js";

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
  if (drainOf(m) !== null) {
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
    adopt(m, v as DrainLoop<unknown>);
    return stepDrain(m);
  }
  if (typeof (v as PromiseLike<unknown>).then === "function") {
    blockOn(m, v as PromiseLike<unknown>);
    return false;
  }
  return true;
}

/**
 * From now on the runner drives `loop` itself, and deliveries to the idle component fuse (see
 * `fuse` in drain-loop.ts). The inbox's `fuser` is the one place the loop is kept while it runs.
 */
function adopt(m: Microprocess, loop: DrainLoop<unknown>): void {
  loop.sched = m.system!.scheduler;
  const inbox = m.inbox;
  inbox.fuser = loop;
  inbox.handler = loop.handle;
}

/** The loop the runner is driving for `m`, if any. */
function drainOf(m: Microprocess): DrainLoop<unknown> | null {
  const i = m._in;
  return i === null ? null : (i.fuser as DrainLoop<unknown> | null);
}

/** The loop has ended (or is abandoned): deliveries queue again, for the generator to read. */
function leave(m: Microprocess): void {
  const inbox = m.inbox;
  inbox.fuser = inbox.handler = null;
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
    leave(m);
    const sub = m._x?.sub;
    if (sub) {
      setSub(m, null);
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
    setSub(m, null);
  }
  const inbox = m.inbox;
  const loop = drainOf(m)!;
  const handle = loop.handle;
  const known = m._x?.shutdownState?.kind;
  // Everything waiting now, and at most DRAIN_BUDGET more that arrive during the step.
  let budget = inbox.length + DRAIN_BUDGET;
  while (inbox.length > 0 && known !== "stop") {
    // Then give way (still runnable: the next cycle carries on), so a loop that refills its own
    // inbox cannot hold the scheduler, and with it the event loop. Counting only what arrives
    // during the step lets a component keep pace with a producer that sends more than the budget
    // between its steps; otherwise its inbox would grow without end and never be idle to fuse.
    if (--budget < 0) return true;
    const control = m._ctl;
    if (control !== null && control.length > 0 && m.checkShutdown() === "stop") break;
    let sub: Wait<unknown> | void;
    try {
      sub = handle.call(m, inbox.take());
      if (typeof sub === "object" && sub !== null && typeof sub.next === "function") {
        const r = sub.next();
        if (r.done !== true) {
          setSub(m, sub);
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
    leave(m);
    // The generator resumes after its yield* with the shutdown message (an onFinish wrapper passes it on itself).
    cold(m).resumeValue = loop.passOn ? m.passOnShutdown() : m.shutdownMessage;
    return true;
  }
  m._flags |= PAUSE;
  return true;
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
