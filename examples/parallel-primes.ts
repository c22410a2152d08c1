/**
 * Counting primes on several cores: a CPU-bound stage (trial division over
 * a range of numbers) spread over a WorkerPool of worker threads. The result
 * is the same for every number of workers; only the elapsed time changes.
 *
 *   npx tsx examples/parallel-primes.ts --workers 2 [--limit 4000000] [--chunk 50000]
 *   → primes below 4000000: 283146 (2 workers, 80 ranges, 1234 ms)
 *
 * The stage is named by this module and the `PrimeCounter` export (code
 * cannot cross to a thread), so the module is imported again in each worker:
 * the program itself runs only in the main thread of the process started
 * from the command line.
 */
import { isMainThread } from "node:worker_threads";
import { pathToFileURL } from "node:url";
import { Component, Pipeline, type Wait } from "../src/index.js";
import { WorkerPool } from "../src/parallel/index.js";

/** A range of numbers, `from` inclusive to `to` exclusive. */
export interface Range {
  from: number;
  to: number;
}

/** Whether `n` is prime, by trial division (deliberately CPU-bound). */
export function isPrime(n: number): boolean {
  if (n < 2) return false;
  if (n % 2 === 0) return n === 2;
  for (let d = 3; d * d <= n; d += 2) if (n % d === 0) return false;
  return true;
}

/** inbox: ranges; outbox: how many primes each holds (one answer per range, so a pool can keep order). */
export class PrimeCounter extends Component<Range, number> {
  static override inboxes = { inbox: "ranges of numbers", control: "producerFinished / shutdownMicroprocess" };
  static override outboxes = { outbox: "the count of primes in each range", signal: "the shutdown message, passed on" };
  *main(): Wait {
    yield* this.processMessages((r) => {
      let count = 0;
      for (let n = r.from; n < r.to; n++) if (isPrime(n)) count++;
      return this.waitSend(count);
    });
  }
}

/** outbox: [0, chunk), [chunk, 2·chunk), … up to `limit`, then producerFinished. */
export class Ranges extends Component<never, Range> {
  constructor(
    readonly limit: number,
    readonly chunk: number,
  ) {
    super();
  }
  *main(): Wait {
    for (let from = 0; from < this.limit; from += this.chunk) yield* this.waitSend({ from, to: Math.min(from + this.chunk, this.limit) });
    this.passOnShutdown();
  }
}

/** inbox: counts; adds them up, and `total`/`ranges` hold the result once it has finished. */
export class Sum extends Component<number, never> {
  total = 0;
  ranges = 0;
  *main(): Wait {
    yield* this.processMessages((n) => {
      this.total += n;
      this.ranges++;
    });
  }
}

/** Count the primes below `limit` on `workers` threads; resolves with the count, the number of ranges and the elapsed ms. */
export async function countPrimes(limit: number, chunk: number, workers: number): Promise<{ total: number; ranges: number; ms: number }> {
  const t0 = performance.now();
  const sum = new Sum();
  // A range takes milliseconds and a round trip to a worker a fraction of one: one range on its way per
  // worker keeps each busy, and the last ranges go to whichever worker frees first (W8: window 2 left one
  // idle for about two ranges at the end).
  const pool = WorkerPool<PrimeCounter>({ module: import.meta.url, export: "PrimeCounter", workers, window: 1 });
  await Pipeline(new Ranges(limit, chunk), pool, sum).run();
  return { total: sum.total, ranges: sum.ranges, ms: performance.now() - t0 };
}

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  if (i < 0) return fallback;
  const v = Number(process.argv[i + 1]);
  if (!Number.isInteger(v) || v < 1) {
    console.error(`parallel-primes: ${name} needs a whole number ≥ 1, got ${process.argv[i + 1] ?? "nothing"}`);
    process.exit(2);
  }
  return v;
}

if (isMainThread && process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const workers = option("--workers", 2);
  const limit = option("--limit", 4_000_000);
  const chunk = option("--chunk", 50_000);
  const r = await countPrimes(limit, chunk, workers);
  console.log(`primes below ${limit}: ${r.total} (${workers} worker${workers === 1 ? "" : "s"}, ${r.ranges} ranges, ${Math.round(r.ms)} ms)`);
}
