/**
 * How a component ends: by returning, by throwing (a failure, reported to
 * its parent or its system), or by being stopped; and how its end is
 * reported only after its children's.
 *
 * *An Axon internal: `Component.stop()` and the runner call in here.*
 *
 * @module
 */
import { ComponentFailure, StoppedError } from "./errors.js";
import type { Member } from "./member.js";
import { observer } from "./observe.js";
import { ACTIVE, ASYNC, AWAITING_KIDS, FINISHED, STOP, cold, unblock, type Microprocess, type Parent } from "./microprocess.js";

/** `m` seen as the component it is (Component is the only Microprocess), for the system's registers. */
export function asMember(m: Microprocess): Member {
  return m as unknown as Member;
}

/**
 * End `m`: mark it finished, report a failure (to its parent, or at the top
 * to its system), tell the parent it is ending, close its inboxes (what they
 * held is counted as dead letters, unless a feeder takes it back: see
 * `Outbox.reclaimUnread`), remove the links it made, release its
 * parked async waits, and report the end once its children have ended.
 */
export function end(m: Microprocess, error: unknown, failed: boolean): void {
  if ((m._flags & FINISHED) !== 0) return;
  m._flags = (m._flags & ~ACTIVE) | FINISHED;
  m._gen = null;
  unblock(m);
  const sys = m.system!;
  const p = m.parent as unknown as Parent | null;
  if (observer !== null) observer.ended(asMember(m), failed, error);
  if (failed) {
    // Reported before the inboxes close, so a supervisor can salvage messages not yet received.
    const failure = error instanceof ComponentFailure ? error : new ComponentFailure(m.name, m.path(), error);
    if (p !== null) p.childFailed(m, failure);
    else sys.onFailure(failure);
  }
  if (p !== null) p.childEnding(m);
  for (const b of m.inboxes()) {
    const n = b.close();
    if (n > 0) {
      b.deadLetters += n;
      for (let i = 0; i < n; i++) sys.dropped(b, undefined);
    }
  }
  m.unlinkAll();
  const x = m._x;
  const ws = x?.waiters;
  if (ws) {
    x!.waiters = null;
    for (const w of ws) w();
  }
  complete(m);
}

/**
 * Report the end: leave the system, wake the parent, resolve `finished()`.
 * Deferred while children are still running (a stopped chassis returns at
 * once, but its async children may still be cleaning up), so a component's
 * end always comes after its children's.
 */
function complete(m: Microprocess): void {
  const kids = m._x?.kids;
  if (kids && kids.some((k) => k.isActive())) {
    m._flags |= AWAITING_KIDS;
    return;
  }
  m._flags &= ~AWAITING_KIDS;
  m.system!.removed(asMember(m));
  const p = m.parent;
  if (p !== null) {
    if ((p._flags & AWAITING_KIDS) !== 0) complete(p);
    else p._wake();
  }
  m._x?.ended?.resolve();
}

/**
 * Stop `m` from outside: its children first; a component never activated is
 * just marked finished; an async one has its waits rejected (StoppedError);
 * a generator is scheduled to be returned at its next step.
 */
export function stop(m: Microprocess): void {
  if ((m._flags & FINISHED) !== 0) return;
  const kids = m._x?.kids;
  if (kids) for (const k of kids) k.stop();
  if ((m._flags & ACTIVE) === 0) {
    m._flags |= FINISHED;
    m._x?.ended?.resolve();
    return;
  }
  if ((m._flags & STOP) !== 0) return;
  m._flags |= STOP;
  if ((m._flags & ASYNC) !== 0) {
    m._x?.aborter?.abort(new StoppedError(m.name));
    m._wake();
    return;
  }
  unblock(m);
  m.system!.scheduler.wake(m);
}

/** Resolves when `m` has finished (its end reported, after its children's). */
export function finished(m: Microprocess): Promise<void> {
  if ((m._flags & FINISHED) !== 0 && (m._flags & AWAITING_KIDS) === 0) return Promise.resolve();
  const x = cold(m);
  if (x.ended === null) {
    let resolve!: () => void;
    const promise = new Promise<void>((r) => (resolve = r));
    x.ended = { promise, resolve };
  }
  return x.ended.promise;
}
