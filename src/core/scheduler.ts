/**
 * The scheduler: runs many microprocesses cooperatively, round-robin.
 *
 * *An Axon internal: a {@link System} owns one; components are put on it by
 * `activate()`.*
 *
 * Passive by default: only runnable microprocesses are in the run queue; a
 * sleeping one costs nothing until something wakes it. Each cycle steps every
 * runnable microprocess once, in order; those activated or woken during a
 * cycle join at the end of the next one (Axon's order: `A0 B0 C0 A1 B1 C1 X0`).
 * A pause takes effect at the microprocess's next yield, and a wake during
 * the step that asked for it beats it, so no wake is ever lost. (A wake
 * before the step needs no flag: delivery is synchronous, so the step sees
 * the message; Axon's rule would cost a wasted step per burst.)
 *
 * The scheduler runs in slices of at most `sliceMs` and then gives way to
 * Node's event loop with `setImmediate`, so sockets and timers are never
 * starved. When nothing is runnable it schedules nothing at all: an idle
 * system neither polls nor keeps the process alive.
 *
 * @module
 */

/** `_flags` bit: in a run queue (current cycle, next cycle or just woken). */
export const QUEUED = 1;
/** `_flags` bit: woken during its step; beats a pause requested in the same step. */
export const WOKEN = 2;
/** `_flags` bit: asked to sleep at its next yield. */
export const PAUSE = 4;

/** How deep fused calls (a handler run inside the sender's send) may nest before deliveries queue instead. */
export const MAX_FUSE_DEPTH = 12;

/**
 * Steps run between two readings of the clock while steps are short. A reading costs about as
 * much as a short step (60-90 ns here), and a ring of components makes a step every 13 hops.
 */
const STEPS_PER_READING = 8;
/** Steps averaging less than this (ms) are short: the clock is read every {@link STEPS_PER_READING} steps. */
const SHORT_STEP_MS = 0.05;

/** Run queues longer than this are let go of when the scheduler goes idle. */
const RELEASE_ABOVE = 1024;

/** What the scheduler needs of a microprocess. */
export interface Runnable {
  /** QUEUED, WOKEN and PAUSE bits (the scheduler's), and any bits above 4 (the microprocess's own). */
  _flags: number;
  /** Run one slice; `true` if it yielded and may run again, `false` if it finished or is waiting on something. */
  _step(): boolean;
}

/** Runs {@link Runnable}s round-robin in slices that give way to the event loop. */
export class Scheduler {
  /** Longest a slice runs before giving way to the event loop, in milliseconds. */
  sliceMs = 8;
  /** When false, nothing runs by itself: the owner calls {@link cycle} or {@link stepOne} (the test harness does). */
  auto = true;
  /** Called when the scheduler runs out of runnable work. */
  onIdle: (() => void) | null = null;
  /**
   * Fuse deliveries: hand a message for an idle processMessages component
   * straight to its handler instead of queueing it and scheduling a step (see
   * `fuse` in drain-loop.ts). Same order, same results, far less overhead; turn it
   * off to make every delivery a scheduled step (the harness can).
   */
  get fusion(): boolean {
    return this.fuseLimit > 0;
  }
  /** Turn fusion on or off. */
  set fusion(on: boolean) {
    this.fuseLimit = on ? MAX_FUSE_DEPTH : 0;
  }
  /** Total steps taken, for introspection and tests. */
  steps = 0;
  /**
   * A step (one microprocess, with any handlers fused into it) that holds the
   * event loop longer than this many milliseconds emits a process warning
   * (`KAMAELIA_SLOW_STEP`) naming the component, once per component:
   * a loop that does not yield freezes sockets and timers. While steps are
   * short the clock is read only every few steps, so a slow one among them
   * is named with the others run since the last reading (`A, B or C`).
   * `Infinity` turns it off. (A step that never returns cannot be reported.)
   */
  slowStepMs = 200;
  /** @internal Set when a step released an async component's waits during this slice (see `slice`). */
  asyncReleased = false;
  /** @internal How deep fused calls (a handler run inside a sender's send) are nested right now. */
  fuseDepth = 0;
  /** @internal How deep they may nest: {@link MAX_FUSE_DEPTH}, or 0 with fusion off (one comparison on the hot path). */
  fuseLimit = MAX_FUSE_DEPTH;

  // Run queues as counted arrays that never shrink: truncating a JS array frees its
  // backing store, and the next push would allocate a new one for every message.
  private cur: (Runnable | null)[] = [];
  private curLen = 0;
  private pos = 0;
  private nxt: (Runnable | null)[] = [];
  private nxtLen = 0;
  private woken: (Runnable | null)[] = [];
  private wokenLen = 0;
  private pending = false;
  private inSlice = false;
  /** The microprocesses stepped since the clock was last read (named when a step was slow), and how many. */
  private readonly recent: (Runnable | null)[] = new Array<Runnable | null>(STEPS_PER_READING).fill(null);
  private since = 0;
  private warned: WeakSet<Runnable> | null = null;

  /** Make `r` runnable: it joins at the end of the next cycle, or, if already queued, a pending pause is cancelled. */
  wake(r: Runnable): void {
    if ((r._flags & QUEUED) !== 0) {
      r._flags |= WOKEN;
      return;
    }
    r._flags |= QUEUED;
    this.woken[this.wokenLen++] = r;
    if (!this.pending && this.auto && !this.inSlice) {
      this.pending = true;
      setImmediate(this.slice);
    }
  }

  /** True while anything is runnable. */
  hasWork(): boolean {
    return this.pos < this.curLen || this.nxtLen > 0 || this.wokenLen > 0;
  }

  /** Run one microprocess for one step. Returns false when nothing was runnable. */
  stepOne(): boolean {
    if (this.pos >= this.curLen && !this.nextCycle()) return false;
    const i = this.pos++;
    const r = this.cur[i]!;
    this.cur[i] = null;
    this.steps++;
    this.recent[this.since++ & (STEPS_PER_READING - 1)] = r;
    // Wakes before the step are moot (deliveries are synchronous, so the step sees them);
    // only a wake during the step can beat a pause requested in it.
    r._flags &= ~WOKEN;
    let again: boolean;
    try {
      again = r._step();
    } catch (e) {
      // _step() handles the component's own errors; reaching here is a bug in the library.
      r._flags &= ~(QUEUED | WOKEN | PAUSE);
      throw e;
    }
    const f = r._flags;
    if (again && (f & (PAUSE | WOKEN)) !== PAUSE) {
      this.nxt[this.nxtLen++] = r;
      r._flags = f & ~(WOKEN | PAUSE);
    } else {
      r._flags = f & ~(QUEUED | WOKEN | PAUSE);
    }
    return true;
  }

  /** Run until the end of the current cycle (or, at a cycle boundary, one whole cycle). Returns the number of steps. */
  cycle(): number {
    if (this.pos >= this.curLen && !this.nextCycle()) return 0;
    let n = 0;
    while (this.pos < this.curLen) {
      this.stepOne();
      n++;
    }
    return n;
  }

  private nextCycle(): boolean {
    const done = this.cur;
    if (this.nxtLen === 0) {
      // Only woken ones (a ring's one token, say): their queue becomes the cycle's as it is.
      this.cur = this.woken;
      this.curLen = this.wokenLen;
      this.woken = done;
      this.wokenLen = 0;
      this.pos = 0;
      return this.curLen > 0;
    }
    this.cur = this.nxt;
    this.curLen = this.nxtLen;
    this.nxt = done;
    this.nxtLen = 0;
    if (this.wokenLen > 0) {
      const w = this.woken;
      let n = this.curLen;
      for (let i = 0; i < this.wokenLen; i++) {
        this.cur[n++] = w[i]!;
        w[i] = null;
      }
      this.curLen = n;
      this.wokenLen = 0;
    }
    this.pos = 0;
    return this.curLen > 0;
  }

  private readonly slice = (): void => {
    this.pending = false;
    this.inSlice = true;
    this.asyncReleased = false;
    // The end of one reading's steps is the start of the next's. The clock is read after every
    // step until steps prove short, then after every STEPS_PER_READING (a longer one among them
    // is still caught: their total is over the threshold; the slice may overrun by a few short steps).
    let t = performance.now();
    const end = t + this.sliceMs;
    let every = 1;
    this.since = 0;
    try {
      while (this.stepOne()) {
        // Released async waits continue in microtasks, which run only once the slice returns:
        // end it at the cycle's end rather than spin the rest of the slice without them.
        const released = this.asyncReleased && this.pos >= this.curLen;
        if (this.since < every && !released) continue;
        const now = performance.now();
        this.checkSteps(now - t);
        every = now - t < SHORT_STEP_MS * every ? STEPS_PER_READING : 1;
        if (now >= end || released) break;
        t = now;
      }
      if (this.since > 0) this.checkSteps(performance.now() - t);
    } finally {
      this.inSlice = false;
      this.recent.fill(null);
    }
    if (this.hasWork()) {
      if (this.auto) {
        this.pending = true;
        setImmediate(this.slice);
      }
    } else {
      this.release();
      if (this.onIdle !== null) this.onIdle();
    }
  };

  /**
   * Idle: let go of run queues grown large (a burst of activations) so an idle system holds
   * no memory for them; a steady flow keeps its queues, so it allocates nothing per message.
   */
  private release(): void {
    if (this.cur.length > RELEASE_ABOVE) this.cur = [];
    if (this.nxt.length > RELEASE_ABOVE) this.nxt = [];
    if (this.woken.length > RELEASE_ABOVE) this.woken = [];
    this.curLen = this.pos = 0;
  }

  /** The steps since the last reading took `ms` in all: warn if that is over the threshold. */
  private checkSteps(ms: number): void {
    const n = Math.min(this.since, STEPS_PER_READING);
    this.since = 0;
    if (ms <= this.slowStepMs || typeof process === "undefined") return;
    // One step (after short ones, when several ran since the last reading: each is named).
    const warned = (this.warned ??= new WeakSet());
    const names: string[] = [];
    for (let i = 0; i < n; i++) {
      const r = this.recent[i]!;
      if (warned.has(r)) continue;
      warned.add(r);
      names.push(String((r as { name?: unknown }).name ?? "a microprocess"));
    }
    if (names.length === 0) return;
    const who = names.length === 1 ? names[0]! : `${names.slice(0, -1).join(", ")} or ${names[names.length - 1]!}`;
    process.emitWarning(
      `${who}: one step held the event loop for ${Math.round(ms)} ms (over scheduler.slowStepMs = ${this.slowStepMs}); a loop that does not yield freezes timers and sockets: yield (or wait) now and then`,
      { type: "SlowStepWarning", code: "KAMAELIA_SLOW_STEP" },
    );
  }

  /** Start running automatically (again), if there is work. */
  start(): void {
    this.auto = true;
    if (!this.pending && this.hasWork()) {
      this.pending = true;
      setImmediate(this.slice);
    }
  }
}
