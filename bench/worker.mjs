/**
 * One run: `node [--expose-gc] worker.mjs <peer> <workload> <params-json>`.
 * Runs the peer's workload once in this fresh process (after a warm-up run
 * for throughput workloads; BENCH_COLD=1 skips it), checks its result, and
 * prints one JSON line. A wrong result exits non-zero.
 */
import { operations, PARAMS, verify } from "./common.mjs";

/**
 * Throughput workloads are measured after a warm-up: one run at the quick
 * size first, in this same process, so every column (the bare-loop limit
 * included) is measured with its code already compiled by the JIT. W5 and
 * W6 measure memory, which a warm-up run would disturb, so they run cold.
 */
const WARMED = new Set(["w1", "w2", "w3", "w4"]);

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
  if (WARMED.has(w) && process.env.BENCH_COLD === undefined) verify(w, PARAMS.quick[w], await fn(PARAMS.quick[w]));
  const cpu0 = process.cpuUsage();
  const r = await fn(params);
  const cpu = process.cpuUsage(cpu0);
  verify(w, params, r);
  const ops = operations(w, params);
  // CPU time of the whole call (setup included, all threads): steadier than wall time on a shared machine.
  const out = { peer, workload: w, ok: true, ms: r.ms, ...r, cpuMs: (cpu.user + cpu.system) / 1000 };
  if (ops > 0) out.rate = (ops * 1000) / r.ms;
  if (w === "w5") out.rate = r.bytesPerUnit;
  delete out.counts;
  delete out.sums;
  process.stdout.write(JSON.stringify(out) + "\n");
  process.exit(0);
} catch (e) {
  process.stdout.write(JSON.stringify({ peer, workload: w, ok: false, error: String(e?.stack ?? e) }) + "\n");
  process.exit(1);
}
