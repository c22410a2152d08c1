/**
 * W8's stage: the prime counting of examples/parallel-primes.ts (the same
 * `isPrime` loop over a range), instrumented so the bench can tell load from
 * design. Each answer carries, besides the count, which thread computed it,
 * when it started and ended (on the process-wide clock,
 * `performance.timeOrigin + performance.now()`), and that thread's own CPU
 * time at both ends (Linux `/proc/thread-self/schedstat`, in ns; `-1`
 * elsewhere). From those the bench derives, per worker, how much of the run
 * it had a range in hand (busy) and how long it waited between ranges
 * (starved: the bridge did not feed it in time), independent of how much
 * CPU other processes left it.
 *
 * @module
 */
import { readFileSync } from "node:fs";
import { threadId } from "node:worker_threads";
import { Component, type Wait } from "../../src/index.js";
import { isPrime, type Range } from "../../examples/parallel-primes.js";

/** One range's answer, with its timing. */
export interface Answer {
  /** Primes in the range. */
  n: number;
  /** The worker thread's id. */
  tid: number;
  /** Start and end, ms on the process-wide clock. */
  t0: number;
  t1: number;
  /** The thread's CPU time (user + system) at start and end, ms; -1 when unknown. */
  c0: number;
  c1: number;
  /** The thread's event loop idle time so far (ms blocked waiting for events: for input, here). */
  idle: number;
  /** Ranges waiting in the stage's inbox when it finished this one. */
  q: number;
}

/**
 * This thread's CPU time in ms, and the time it sat runnable waiting for a
 * CPU, from Linux's `/proc/thread-self/schedstat` (nanoseconds); -1 each if
 * it cannot be read.
 */
export function threadSched(): { cpu: number; wait: number } {
  try {
    const [run, wait] = readFileSync("/proc/thread-self/schedstat", "latin1").split(" ");
    return { cpu: Number(run) / 1e6, wait: Number(wait) / 1e6 };
  } catch {
    return { cpu: -1, wait: -1 };
  }
}

/** This thread's CPU time in ms (see {@link threadSched}), or -1 if it cannot be read. */
export function threadCpuMs(): number {
  return threadSched().cpu;
}

/** inbox: ranges; outbox: one {@link Answer} per range. */
export class TimedPrimeCounter extends Component<Range, Answer> {
  static override inboxes = { inbox: "ranges of numbers", control: "producerFinished / shutdownMicroprocess" };
  static override outboxes = { outbox: "the count of primes in each range, with when and where it was counted", signal: "the shutdown message, passed on" };
  *main(): Wait {
    yield* this.processMessages((r) => {
      const c0 = threadCpuMs();
      const t0 = performance.timeOrigin + performance.now();
      let n = 0;
      for (let x = r.from; x < r.to; x++) if (isPrime(x)) n++;
      const t1 = performance.timeOrigin + performance.now();
      return this.waitSend({ n, tid: threadId, t0, t1, c0, c1: threadCpuMs(), idle: performance.eventLoopUtilization().idle, q: this.inbox.length });
    });
  }
}
