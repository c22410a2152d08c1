/**
 * One run: `node [--expose-gc] worker.mjs <peer> <workload> <params-json>`.
 * Runs the peer's workload in this fresh process, checks every result, and
 * prints one JSON line. A wrong result exits non-zero.
 *
 * Throughput workloads (W1–W4) are measured warm, for every column alike
 * (the bare-loop limit included): first quick-size runs until the code has
 * had time to be compiled (at least {@link WARM_RUNS} runs and
 * {@link WARM_MS} ms), then several full-size runs in the same process,
 * whose median rate is reported (`rate`; each run's in `rates`, the first
 * one's in `firstRate`). A single run right after one small warm-up is
 * under 100 ms for the fast columns, and what it measured was mostly the
 * JIT: the same code read 6–24M hops/s from process to process, and the
 * loop that compiles soonest looked best. `BENCH_COLD=1` measures one cold
 * run instead. W5 and W6 measure memory, which warm-up runs would disturb:
 * they run once, cold.
 */
import { operations, PARAMS, verify } from "./common.mjs";

const WARMED = new Set(["w1", "w2", "w3", "w4"]);
/** Warm-up: at least this many quick-size runs… */
const WARM_RUNS = 5;
/** …and at least this long (ms), but no more than {@link WARM_MAX_MS} or {@link WARM_MAX_RUNS} runs. */
const WARM_MS = Number(process.env.BENCH_WARM_MS ?? 1000);
const WARM_MAX_MS = 5000;
const WARM_MAX_RUNS = 200;
/** Measured: up to this many full-size runs (median reported)… */
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
/** …but no more once this long (ms) has gone into them (a slow peer gets one or two). */
const MEASURE_MAX_MS = 4000;

const [peer, w, json] = process.argv.slice(2);
const params = JSON.parse(json);
// BENCH_PEER_FILE runs a bundled copy instead (profile.mjs uses one, for readable line numbers).
const file = process.env.BENCH_PEER_FILE ?? (peer === "kamaelia" ? "./peers/kamaelia.ts" : `./peers/${peer}.mjs`);

try {
  const mod = await import(file);
  const fn = mod.workloads[w];
  if (typeof fn !== "function") {
    const why = mod.unsupported?.[w];
    if (why === undefined) throw new Error(`${peer} has no workload ${w} and does not say why`);
    process.stdout.write(JSON.stringify({ peer, workload: w, unsupported: why }) + "\n");
    process.exit(0);
  }
  const warm = WARMED.has(w) && process.env.BENCH_COLD === undefined;
  let warmups = 0;
  if (warm) {
    const t = performance.now();
    for (;;) {
      verify(w, PARAMS.quick[w], await fn(PARAMS.quick[w]));
      warmups++;
      const spent = performance.now() - t;
      if ((warmups >= WARM_RUNS && spent >= WARM_MS) || spent >= WARM_MAX_MS || warmups >= WARM_MAX_RUNS) break;
    }
  }
  const ops = operations(w, params);
  const runs = [];
  const t = performance.now();
  do {
    const cpu0 = process.cpuUsage();
    const r = await fn(params);
    const cpu = process.cpuUsage(cpu0);
    verify(w, params, r);
    // CPU time of the whole call (setup included, all threads): steadier than wall time on a shared machine.
    runs.push({ r, cpuMs: (cpu.user + cpu.system) / 1000 });
  } while (warm && runs.length < RUNS && performance.now() - t < MEASURE_MAX_MS);
  const byMs = [...runs].sort((a, b) => a.r.ms - b.r.ms);
  const mid = byMs[(byMs.length - 1) >> 1];
  const out = { peer, workload: w, ok: true, ...mid.r, ms: mid.r.ms, cpuMs: mid.cpuMs, warmups, measured: runs.length };
  if (ops > 0) {
    out.rate = (ops * 1000) / mid.r.ms;
    out.rates = runs.map((x) => (ops * 1000) / x.r.ms);
    out.firstRate = out.rates[0];
  }
  if (w === "w5") out.rate = mid.r.bytesPerUnit;
  delete out.counts;
  delete out.sums;
  process.stdout.write(JSON.stringify(out) + "\n");
  process.exit(0);
} catch (e) {
  process.stdout.write(JSON.stringify({ peer, workload: w, ok: false, error: String(e?.stack ?? e) }) + "\n");
  process.exit(1);
}
