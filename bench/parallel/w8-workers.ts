/**
 * W8: the speed-up of a CPU-bound pipeline (counting primes in ranges, the
 * stage of examples/parallel-primes.ts) on a WorkerPool of 2 workers over 1,
 * beside the warmed bare loop (the same counting in this thread, no
 * framework). Pools are warmed (each member has answered once, so thread
 * start and module loading are not timed); repetitions alternate 1 and 2
 * workers so a noisy moment hits both; medians are reported.
 *
 *   npx tsx bench/parallel/w8-workers.ts [--limit 6000000] [--chunk 50000] [--reps 3]
 *
 * Target (issue 11): 2 workers ≥ 1.8× 1 worker on a 2-core machine.
 */
import { Component, Pipeline, type Wait } from "../../src/index.js";
import { WorkerPool } from "../../src/parallel/index.js";
import { isPrime, type PrimeCounter, type Range } from "../../examples/parallel-primes.js";

const arg = (n: string, d: number) => (process.argv.includes(`--${n}`) ? Number(process.argv[process.argv.indexOf(`--${n}`) + 1]) : d);
const limit = arg("limit", 6_000_000);
const chunk = arg("chunk", 50_000);
const reps = arg("reps", 3);
const STAGE = new URL("../../examples/parallel-primes.ts", import.meta.url);

function ranges(): Range[] {
  const out: Range[] = [];
  for (let from = 0; from < limit; from += chunk) out.push({ from, to: Math.min(from + chunk, limit) });
  return out;
}

/** Sends the warm-up ranges, waits for `go`, then sends the real ones. */
class Feed extends Component<never, Range> {
  constructor(
    readonly warm: Range[],
    readonly go: Promise<void>,
    readonly real: Range[],
  ) {
    super();
  }
  *main(): Wait {
    for (const r of this.warm) yield* this.waitSend(r);
    yield this.go;
    for (const r of this.real) yield* this.waitSend(r);
    this.passOnShutdown();
  }
}

/** Adds the counts; calls `warmed` once the warm-up answers are in. */
class Tally extends Component<number, never> {
  total = 0;
  seen = 0;
  constructor(
    readonly warmCount: number,
    readonly warmed: () => void,
  ) {
    super();
  }
  *main(): Wait {
    yield* this.processMessages((n) => {
      if (++this.seen <= this.warmCount) {
        if (this.seen === this.warmCount) this.warmed();
        return;
      }
      this.total += n;
    });
  }
}

async function pool(workers: number): Promise<{ ms: number; total: number }> {
  let go!: () => void;
  const goP = new Promise<void>((r) => (go = r));
  let t0 = 0;
  const warm = Array.from({ length: workers }, () => ({ from: 0, to: 1000 }));
  const tally = new Tally(workers, () => {
    t0 = performance.now();
    go();
  });
  const p = WorkerPool<PrimeCounter>({ module: STAGE, export: "PrimeCounter", workers, window: 2 });
  await Pipeline(new Feed(warm, goP, ranges()), p, tally).run();
  return { ms: performance.now() - t0, total: tally.total };
}

function bare(): { ms: number; total: number } {
  const t0 = performance.now();
  let total = 0;
  for (const r of ranges()) for (let n = r.from; n < r.to; n++) if (isPrime(n)) total++;
  return { ms: performance.now() - t0, total };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
bare(); // warm the bare loop's JIT
const times: Record<string, number[]> = { bare: [], w1: [], w2: [] };
let expected = -1;
for (let i = 0; i < reps; i++) {
  for (const [k, f] of [["bare", async () => bare()], ["w1", () => pool(1)], ["w2", () => pool(2)]] as const) {
    const r = await f();
    if (expected < 0) expected = r.total;
    if (r.total !== expected) throw new Error(`W8: ${k} counted ${r.total} primes, expected ${expected}`);
    times[k]!.push(r.ms);
    console.error(`rep ${i} ${k}: ${r.ms.toFixed(0)} ms`);
  }
}
const b = median(times.bare!);
const w1 = median(times.w1!);
const w2 = median(times.w2!);
console.log(`W8 primes below ${limit} (${expected}), ${Math.ceil(limit / chunk)} ranges, median of ${reps}:`);
console.log(`  bare loop (this thread)  ${b.toFixed(0)} ms`);
console.log(`  WorkerPool, 1 worker     ${w1.toFixed(0)} ms  (${(b / w1).toFixed(2)}× the bare loop)`);
console.log(`  WorkerPool, 2 workers    ${w2.toFixed(0)} ms  (${(b / w2).toFixed(2)}× the bare loop)`);
console.log(`  speed-up 2 workers over 1: ${(w1 / w2).toFixed(2)}× (target ≥ 1.8×)`);
