/**
 * A component's running state, as the runner, the waits and the ending code
 * see it: the flag bits, the rarely used ("cold") state, and the internal
 * interface {@link Microprocess} that `Component` implements.
 *
 * *An Axon internal.* Where the state lives, in short: `_flags` holds the
 * scheduler's bits and the component's own (below), so an idle component
 * stays small; `_gen` is the generator `main()` returned; the
 * `processMessages` loop the runner is driving directly is the `fuser` of
 * the component's inbox (runner.ts, drain-loop.ts); everything else
 * (async main, resume values, waiters, children, links, extra boxes, the
 * shutdown seen so far) sits in one {@link Cold} object made on first use.
 *
 * @module
 */
import type { Box, BoxOwner, Inbox } from "./box.js";
import type { Main, Wait } from "./component-types.js";
import type { ComponentFailure } from "./errors.js";
import type { Ipc } from "./ipc.js";
import type { Linkage } from "./linkage.js";
import type { Member } from "./member.js";
import type { Runnable } from "./scheduler.js";
import type { ShutdownKind, ShutdownState } from "./shutdown.js";
import type { System } from "./system.js";

// Component flag bits, above the scheduler's (QUEUED 1, WOKEN 2, PAUSE 4), in the one number `_flags`.
/** An async component (`async main()`). */
export const ASYNC = 8;
/** Asked to stop (`stop()`): the generator is returned, async waits reject. */
export const STOP = 16;
/** The generator has been returned after a stop; it may still yield in its `finally` blocks. */
export const RETURNING = 32;
/** Activated and not yet finished. */
export const ACTIVE = 64;
/** Finished. */
export const FINISHED = 128;
/** An async component was woken while not waiting: its next wait returns at once, so the wake is not lost. */
export const LATCH = 256;
/** Finished, but its end is not reported until its children have finished too. */
export const AWAITING_KIDS = 512;
/** A generator waiting for a promise it yielded: wakes do not resume it. */
export const BLOCKED = 1024;
/** Running right now (a scheduler step, or a fused call): a delivery to it is queued, never fused. */
export const RUNNING = 2048;

/** Never activated, and already reported to a system as holding a delivery. */
export const NOTED = 4096;
/**
 * A message was stored on `control` and `checkShutdown` has not read it yet: a delivery must not
 * be fused past it. (A flag, not a look at the control box, so fusion reads no other object.)
 */
export const CONTROL = 8192;
/**
 * A handler's wait is kept (`Cold.sub`) or a shutdown has been seen (`Cold.shutdownState`): a
 * delivery must queue, not fuse. Mirrors those two fields (see {@link setSub}), so fusion reads
 * the flag word only, never the cold object.
 */
export const HELD = 16384;

/**
 * Most messages a drain loop handles in one scheduler step before giving way.
 * A component whose handling refills its own inbox (a router in a ring, the
 * hackysack table) would otherwise never end its step, and the scheduler could
 * not yield to the event loop (timers, sockets) until the whole game ended.
 */
export const DRAIN_BUDGET = 256;

/** How many async waits may complete without giving way before one is sent round the scheduler. */
export const ASYNC_BUDGET = 64;

/** State most components never use, kept off the component itself so that an idle component stays small. */
export class Cold {
  /** A name given by hand (else the name is made from the class and the id when asked for). */
  name: string | null = null;
  asyncMain: (() => Promise<unknown>) | null = null;
  /** The value the generator resumes with at its next step (a promise's result, a drain loop's end). */
  resumeValue: unknown = undefined;
  /** An error thrown into the generator at its next step (a rejected promise). */
  resumeError: { error: unknown } | null = null;
  /** Resolvers of the async waits parked on the next wake. */
  waiters: (() => void)[] | null = null;
  budget = ASYNC_BUDGET;
  aborter: AbortController | null = null;
  ended: { promise: Promise<void>; resolve: () => void } | null = null;
  kids: Member[] | null = null;
  postoffice: Linkage[] | null = null;
  extra: Map<string, Box> | null = null;
  shutdownState: ShutdownState | null = null;
  /** The promise (its token) a generator is blocked on. */
  blockedOn: object | null = null;
  /** A generator returned by a processMessages handler, run until it finishes (set through {@link setSub}). */
  sub: Generator<unknown, unknown, unknown> | null = null;
}

/** Read-only stand-in while a component has no Cold state; never written to. */
export const NO_COLD: Readonly<Cold> = Object.freeze(new Cold());

/** The cold state of `m`, made on first use. */
export function cold(m: { _x: Cold | null }): Cold {
  return (m._x ??= new Cold());
}

/**
 * What the runner, the waits and the ending code need of a component.
 * `Component` implements it; its `_` members are internal (not for component authors).
 */
export interface Microprocess extends Runnable, BoxOwner {
  readonly name: string;
  system: System | null;
  parent: Microprocess | null;
  /** The generator `main()` returned, while it runs. */
  _gen: Generator<unknown, unknown, unknown> | null;
  /** Rarely used state, or null until first needed. */
  _x: Cold | null;
  /** The `inbox` and `control` boxes, or null until first used. */
  _in: Inbox | null;
  _ctl: Inbox | null;
  readonly inbox: Inbox;
  readonly control: Inbox;
  readonly stopSignal: AbortSignal;
  readonly shutdownMessage: Ipc | null;
  main(): Main;
  pause(): void;
  inboxes(): Inbox[];
  unlinkAll(): void;
  checkShutdown(): ShutdownKind;
  passOnShutdown(): Ipc;
  path(): string;
}

/** The hooks a parent is told through (protected on Component, so reached through this view). */
export interface Parent {
  childFailed(child: Microprocess, failure: ComponentFailure): void;
  childEnding(child: Microprocess): void;
}

/** A processMessages handler: what it returns is run to its end when it is a generator. */
export type Handler = (message: unknown) => Wait<unknown> | void;

/** Forget the promise a generator was blocked on (it resolved, or the component is stopping or ending). */
export function unblock(m: Microprocess): void {
  m._flags &= ~BLOCKED;
  if (m._x !== null) m._x.blockedOn = null;
}

/** Keep (or, with null, forget) the generator a processMessages handler returned, keeping {@link HELD} in step. */
export function setSub(m: Microprocess, sub: Generator<unknown, unknown, unknown> | null): void {
  const x = cold(m);
  x.sub = sub;
  if (sub !== null || x.shutdownState !== null) m._flags |= HELD;
  else m._flags &= ~HELD;
}

/** What a handler's generator yielded: a promise blocks the component (false); anything else gives way (true). */
export function subYielded(m: Microprocess, v: unknown): boolean {
  if (v !== undefined && v !== null && typeof (v as PromiseLike<unknown>).then === "function") {
    blockOn(m, v as PromiseLike<unknown>);
    return false;
  }
  return true;
}

/** Sleep until `p` settles (deliveries do not wake it), then resume with its value or its rejection. */
export function blockOn(m: Microprocess, p: PromiseLike<unknown>): void {
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

/** What the waits need of a component: everything but the runner's own state. */
export type Waiter = Omit<Microprocess, "_gen">;
