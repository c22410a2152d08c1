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
   * `DrainLoop.fuse`). Same order, same results, far less overhead; turn it
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
   * a loop that does not yield freezes sockets and timers. `Infinity` turns
   * it off. (A step that never returns cannot be reported.)
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
  /** The microprocess stepped last (named when its step was slow). */
  private last: Runnable | null = null;
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
    this.last = r;
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
    // One clock reading a step: the end of one step is the start of the next.
    let t = performance.now();
    const end = t + this.sliceMs;
    try {
      while (this.stepOne()) {
        const now = performance.now();
        if (now - t > this.slowStepMs) this.slowStep(now - t);
        // Released async waits continue in microtasks, which run only once the slice returns:
        // end it at the cycle's end rather than spin the rest of the slice without them.
        if (now >= end || (this.asyncReleased && this.pos >= this.curLen)) break;
        t = now;
      }
    } finally {
      this.inSlice = false;
      this.last = null;
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

  private slowStep(ms: number): void {
    const r = this.last;
    if (r === null || typeof process === "undefined") return;
    const warned = (this.warned ??= new WeakSet());
    if (warned.has(r)) return;
    warned.add(r);
    const name = (r as { name?: unknown }).name ?? "a microprocess";
    process.emitWarning(
      `${String(name)}: one step held the event loop for ${Math.round(ms)} ms (over scheduler.slowStepMs = ${this.slowStepMs}); a loop that does not yield freezes timers and sockets: yield (or wait) now and then`,
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
