/**
 * W8: the speed-up of a CPU-bound pipeline (counting primes in ranges, the
 * stage of examples/parallel-primes.ts) on a WorkerPool of 2 workers over 1,
 * beside the warmed bare loop (the same counting in this thread, no
 * framework) and the machine's own limit: the bare loop on 2 raw threads
 * sharing a counter over 1 (w8-threads.ts; no messages, no framework).
 * Pools are warmed (every member has started and answered once, so thread
 * start and module loading are not timed); repetitions take turns (bare,
 * 1 worker, 2 workers, 1 raw thread, 2 raw threads) so a noisy moment hits
 * all; medians are reported.
 *
 *   npx tsx bench/parallel/w8-workers.ts [--limit 6000000] [--chunk 50000] [--window 1] [--reps 3]
 *
 * Target (issue 11): 2 workers ≥ 1.8× 1 worker on a 2-core machine.
 */
import { Component, Pipeline, type Wait } from "../../src/index.js";
import { availableParallelism } from "node:os";
import { WorkerPool } from "../../src/parallel/index.js";
import { isPrime, type Range } from "../../examples/parallel-primes.js";
import { threadSched, type Answer, type TimedPrimeCounter } from "./w8-stage.js";
import { rawThreads } from "./w8-threads.js";

const arg = (n: string, d: number) => (process.argv.includes(`--${n}`) ? Number(process.argv[process.argv.indexOf(`--${n}`) + 1]) : d);
const limit = arg("limit", 6_000_000);
const chunk = arg("chunk", 50_000);
const reps = arg("reps", 3);
const window = arg("window", 1);
const STAGE = new URL("./w8-stage.ts", import.meta.url);

function ranges(): Range[] {
  const out: Range[] = [];
  for (let from = 0; from < limit; from += chunk) out.push({ from, to: Math.min(from + chunk, limit) });
  return out;
}

/**
 * Waits until every member has started, sends the warm-up ranges (the pool
 * hands an input only to a member that can send it across at once, so sent
 * earlier they would all go to the first member up), waits for `go`, then
 * sends the real ones.
 */
class Feed extends Component<never, Range> {
  constructor(
    readonly warm: Range[],
    readonly go: Promise<void>,
    readonly real: Range[],
    readonly started: () => boolean,
  ) {
    super();
  }
  *main(): Wait {
    while (!this.started()) yield new Promise((r) => setTimeout(r, 5));
    for (const r of this.warm) yield* this.waitSend(r);
    yield this.go;
    for (const r of this.real) yield* this.waitSend(r);
    this.passOnShutdown();
  }
}

/** Adds the counts and keeps the timed answers; calls `warmed` once the warm-up answers are in. */
class Tally extends Component<Answer, never> {
  total = 0;
  seen = 0;
  answers: Answer[] = [];
  last = 0;
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
      this.total += n.n;
      this.answers.push(n);
      this.last = performance.timeOrigin + performance.now();
    });
  }
}

/** Per worker: share of the timed run it had a range in hand, its longest and mean wait between ranges, its CPU time. */
interface WorkerStats {
  busy: number;
  gapMean: number;
  gapMax: number;
  cpu: number;
  /** Share of the run its event loop sat idle, waiting for input (from its first answer to its last). */
  idle: number;
}

interface PoolRun {
  ms: number;
  total: number;
  workers: WorkerStats[];
  /** CPU ms of the whole process (main thread + workers) and of the main thread alone, over the timed run. */
  cpu: number;
  mainCpu: number;
  /** How long the first member to finish sat idle at the end, waiting for the others (ms). */
  tail: number;
}

async function pool(workers: number): Promise<PoolRun> {
  let go!: () => void;
  const goP = new Promise<void>((r) => (go = r));
  let t0 = 0;
  let cpu0: NodeJS.CpuUsage = process.cpuUsage();
  let main0 = 0;
  const warm = Array.from({ length: workers }, () => ({ from: 0, to: 1000 }));
  const tally = new Tally(workers, () => {
    cpu0 = process.cpuUsage();
    main0 = threadSched().cpu;
    t0 = performance.timeOrigin + performance.now();
    go();
  });
  const p = WorkerPool<TimedPrimeCounter>({ module: STAGE, export: "TimedPrimeCounter", workers, window });
  const started = () => p.proxies().length === workers && p.proxies().every((m) => m.room() > 0);
  const ended = Pipeline(new Feed(warm, goP, ranges(), started), p, tally).run();
  // The clock stops at the last answer (the result is complete); stopping the threads is not timed.
  await ended;
  const c = process.cpuUsage(cpu0);
  const cpu = (c.user + c.system) / 1000;
  const mainCpu = threadSched().cpu - main0;
  const ms = tally.last - t0;
  const byThread = new Map<number, Answer[]>();
  for (const a of tally.answers) byThread.set(a.tid, [...(byThread.get(a.tid) ?? []), a]);
  const stats: WorkerStats[] = [];
  for (const as of byThread.values()) {
    as.sort((x, y) => x.t0 - y.t0);
    let busy = 0;
    let gapSum = 0;
    let gapMax = 0;
    for (let i = 0; i < as.length; i++) {
      busy += as[i]!.t1 - as[i]!.t0;
      const gap = as[i]!.t0 - (i === 0 ? t0 : as[i - 1]!.t1);
      gapSum += gap;
      gapMax = Math.max(gapMax, gap);
    }
    stats.push({ busy: busy / ms, gapMean: gapSum / as.length, gapMax, cpu: as[as.length - 1]!.c1 - as[0]!.c0, idle: (as[as.length - 1]!.idle - as[0]!.idle) / ms });
  }
  const ends = [...byThread.values()].map((as) => Math.max(...as.map((a) => a.t1)));
  return { ms, total: tally.total, workers: stats, cpu, mainCpu, tail: Math.max(...ends) - Math.min(...ends) };
}

function bare(): { ms: number; total: number } {
  const t0 = performance.now();
  let total = 0;
  for (const r of ranges()) for (let n = r.from; n < r.to; n++) if (isPrime(n)) total++;
  return { ms: performance.now() - t0, total };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
const fmt = (r: PoolRun) =>
  `${r.ms.toFixed(0)} ms; process CPU ${r.cpu.toFixed(0)} ms (${(r.cpu / r.ms).toFixed(2)} cores), main thread ${r.mainCpu.toFixed(0)} ms; ` +
  r.workers.map((w, i) => `w${i} busy ${(100 * w.busy).toFixed(1)}% idle ${(100 * w.idle).toFixed(1)}% gap mean ${w.gapMean.toFixed(2)} max ${w.gapMax.toFixed(1)} ms cpu ${w.cpu.toFixed(0)} ms`).join("; ");
bare(); // warm the bare loop's JIT
const times: Record<string, number[]> = { bare: [], w1: [], w2: [], t1: [], t2: [] };
const runs: Record<string, PoolRun[]> = { w1: [], w2: [] };
let expected = -1;
for (let i = 0; i < reps; i++) {
  for (const k of ["bare", "w1", "w2", "t1", "t2"] as const) {
    const r = k === "bare" ? bare() : k === "t1" || k === "t2" ? await rawThreads(k === "t1" ? 1 : 2, limit, chunk) : await pool(k === "w1" ? 1 : 2);
    if (expected < 0) expected = r.total;
    if (r.total !== expected) throw new Error(`W8: ${k} counted ${r.total} primes, expected ${expected}`);
    times[k]!.push(r.ms);
    if (k === "w1" || k === "w2") runs[k]!.push(r as PoolRun);
    console.error(`rep ${i} ${k}: ${k === "w1" || k === "w2" ? fmt(r as PoolRun) : `${r.ms.toFixed(0)} ms`}`);
  }
}
const b = median(times.bare!);
const w1 = median(times.w1!);
const w2 = median(times.w2!);
const t1 = median(times.t1!);
const t2 = median(times.t2!);
// Each repetition's own ratio (its 1- and 2-worker runs a second apart), less moved by a slow stretch of the machine.
const perRep = (a: number[], b: number[]) => median(a.map((x, i) => x / b[i]!));
// The load-independent figures: how much of each timed run every worker had a range in hand (the rest it
// waited for the bridge), over every run; and the CPU the pool used against the bare loop's.
const all = [...runs.w1!, ...runs.w2!].flatMap((r) => r.workers);
const busyMin = Math.min(...all.map((w) => w.busy));
const busyMed = median(all.map((w) => w.busy));
const gapMed = median(all.map((w) => w.gapMean));
const mainMed = median([...runs.w1!, ...runs.w2!].map((r) => r.mainCpu / r.ms));
const idleMax = Math.max(...all.map((w) => w.idle));
const coresMed = median(runs.w2!.map((r) => r.cpu / r.ms));
const tailMed = median(runs.w2!.map((r) => r.tail));
const mainPerRange = median(runs.w2!.map((r) => r.mainCpu)) / Math.ceil(limit / chunk);
console.log(`W8 primes below ${limit} (${expected}), ${Math.ceil(limit / chunk)} ranges, window ${window}, median of ${reps}:`);
console.log(`  bare loop (this thread)  ${b.toFixed(0)} ms`);
console.log(`  WorkerPool, 1 worker     ${w1.toFixed(0)} ms  (${(b / w1).toFixed(2)}× the bare loop)`);
console.log(`  WorkerPool, 2 workers    ${w2.toFixed(0)} ms  (${(b / w2).toFixed(2)}× the bare loop)`);
console.log(`  speed-up 2 workers over 1: ${(w1 / w2).toFixed(2)}× (target ≥ 1.8×); median of each repetition's own ratio ${perRep(times.w1!, times.w2!).toFixed(2)}×`);
console.log(`  the machine's limit, the bare loop on raw threads sharing a counter: 1 thread ${t1.toFixed(0)} ms, 2 threads ${t2.toFixed(0)} ms, 2 over 1 ${(t1 / t2).toFixed(2)}× (each repetition's own: ${perRep(times.t1!, times.t2!).toFixed(2)}×); the pool's speed-up is ${((100 * (w1 / w2)) / (t1 / t2)).toFixed(0)}% of it`);
console.log(`  tail (2 workers: the first to finish idle while the other finishes): median ${tailMed.toFixed(1)} ms`);
console.log(`  workers starved (event loop idle, waiting for input): at most ${(100 * idleMax).toFixed(1)}% of a run, over every run`);
console.log(`  workers busy (a range in hand): median ${(100 * busyMed).toFixed(1)}%, lowest ${(100 * busyMin).toFixed(1)}% of the run; mean wait between ranges ${gapMed.toFixed(2)} ms (the rest of the wait: no CPU to run on)`);
console.log(`  CPU: 2 workers used ${coresMed.toFixed(2)} cores of this ${availableParallelism()}-core machine (median); the main thread ${(100 * mainMed).toFixed(1)}% of one (${(1000 * mainPerRange).toFixed(0)} µs per range with 2 workers)`);
