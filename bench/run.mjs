/**
 * The benchmark: every peer × workload in a fresh process, several
 * repetitions, medians reported as a markdown table (bench/RESULTS.md) and
 * every run as JSON (bench/results/latest.json).
 *
 *   node bench/run.mjs            full size, 5 repetitions
 *   node bench/run.mjs --quick    scaled down, 3 repetitions, under a minute
 *   options: --reps N, --peers a,b, --workloads w1,w2
 *   --workloads w7,w8,w9 (parallelism and scale-out) are handed to bench/scale.mjs
 *
 * A run whose result is wrong (or that crashes or times out) fails the whole
 * benchmark: the exit code is 1, after the files are written.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { renderChart } from "./chart.mjs";
import { operations, PARAMS, WORKLOADS } from "./common.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..");

/** The columns: the project, the limit, then the peers. */
export const PEERS = ["kamaelia", "limit", "rxjs", "node-streams", "js-csp", "effection", "most", "async-generators"];
const NAMES = {
  kamaelia: "Kamaelia (this)",
  limit: "limit",
  rxjs: "RxJS",
  "node-streams": "Node streams",
  "js-csp": "js-csp",
  effection: "Effection 4",
  most: "@most/core",
  "async-generators": "async generators",
};

const argv = process.argv.slice(2);
const opt = (name) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const quick = argv.includes("--quick");
const size = quick ? "quick" : "full";
const reps = Number(opt("--reps") ?? (quick ? 3 : 5));
const peers = opt("--peers")?.split(",") ?? PEERS;
const workloads = opt("--workloads")?.split(",") ?? Object.keys(WORKLOADS);
// W7–W9 are scripts of their own (a chat server, worker threads, a NATS server): bench/scale.mjs runs them.
const SCALE = ["w7", "w8", "w9"];
if (workloads.some((w) => SCALE.includes(w))) {
  const mine = workloads.filter((w) => SCALE.includes(w));
  const r = spawnSync(process.execPath, [join(here, "scale.mjs"), "--workloads", mine.join(","), ...(opt("--reps") ? ["--reps", opt("--reps")] : [])], { stdio: "inherit" });
  if (r.status !== 0) process.exitCode = 1;
  workloads.splice(0, workloads.length, ...workloads.filter((w) => !SCALE.includes(w)));
  if (workloads.length === 0) process.exit();
}
const timeoutMs = quick ? 30_000 : 120_000;
/** A peer whose runs of one workload have taken this long in all gets no more repetitions of it (slow peers would take hours). */
const budgetMs = quick ? 2_000 : 60_000;

/**
 * The project's workloads are bundled once with esbuild (tsx's own
 * dependency), so each run starts without a TypeScript loader thread beside
 * it; without esbuild they run through tsx.
 */
function bundleProject() {
  const esbuild = join(root, "node_modules", ".bin", "esbuild");
  if (!existsSync(esbuild)) return null;
  const out = join(mkdtempSync(join(os.tmpdir(), "kamaelia-bench-")), "kamaelia.bundle.mjs");
  const r = spawnSync(esbuild, [join(here, "peers", "kamaelia.ts"), "--bundle", "--format=esm", "--platform=node", "--target=node20", `--outfile=${out}`, "--log-level=error"]);
  return r.status === 0 ? out : null;
}
const bundle = peers.includes("kamaelia") ? bundleProject() : null;

function runOnce(peer, w) {
  const args = [];
  const env = { ...process.env };
  // W5 measures the heap; every workload calls settle() (common.mjs) before its measured phase.
  args.push("--expose-gc");
  if (peer === "kamaelia") {
    if (bundle !== null) env.BENCH_PEER_FILE = bundle;
    else args.push("--import", "tsx");
  }
  args.push(join(here, "worker.mjs"), peer, w, JSON.stringify(PARAMS[size][w]));
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (err += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("close", (code, sig) => {
      clearTimeout(timer);
      const line = out.trim().split("\n").pop();
      let r;
      try {
        r = JSON.parse(line);
      } catch {
        r = { peer, workload: w, ok: false, error: `no result (exit ${code}${sig ? `, ${sig}` : ""}): ${err.slice(-500)}` };
      }
      // Too slow to finish is a measurement (a bound on the rate), not a wrong result.
      if (sig) r = { peer, workload: w, ok: false, timedOut: true, error: `did not finish in ${timeoutMs / 1000} s` };
      resolve(r);
    });
  });
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

const runs = [];
const summary = {};
const started = Date.now();
let failed = false;
for (const w of workloads) {
  summary[w] = {};
  const unsupported = new Set();
  const spent = {};
  for (let rep = 0; rep < reps; rep++) {
    // Peers take turns within each repetition, so a noisy moment hits them alike.
    for (const peer of peers) {
      if (unsupported.has(peer) || (spent[peer] ?? 0) > budgetMs) continue;
      const t = Date.now();
      const r = await runOnce(peer, w);
      spent[peer] = (spent[peer] ?? 0) + Date.now() - t;
      if (r.unsupported) {
        unsupported.add(peer);
        summary[w][peer] = { unsupported: r.unsupported };
        continue;
      }
      r.rep = rep;
      runs.push(r);
      if (r.timedOut) {
        spent[peer] = Infinity;
        console.error(`${w} ${peer.padEnd(17)} rep ${rep}: ${r.error}`);
      } else if (!r.ok) {
        failed = true;
        console.error(`FAILED ${peer} ${w}: ${r.error}`);
      } else {
        console.error(`${w} ${peer.padEnd(17)} rep ${rep}: ${fmtRate(w, r.rate)}`);
      }
    }
  }
  for (const peer of peers) {
    if (unsupported.has(peer)) continue;
    const ok = runs.filter((r) => r.workload === w && r.peer === peer && r.ok);
    const bad = runs.filter((r) => r.workload === w && r.peer === peer && !r.ok);
    if (ok.length === 0) {
      const timedOut = bad.length > 0 && bad.every((r) => r.timedOut);
      summary[w][peer] = timedOut ? { timedOut: true } : { failed: bad[0]?.error ?? "no run" };
      continue;
    }
    const s = { median: median(ok.map((r) => r.rate)), runs: ok.length, failures: bad.length };
    if (w === "w5") s.nsPerUnit = median(ok.map((r) => r.nsPerUnit));
    if (w === "w6") s.rssGrowthMB = median(ok.map((r) => r.peakRssMB - r.baseRssMB));
    summary[w][peer] = s;
  }
}

function fmtRate(w, x) {
  if (w === "w5") return `${Math.round(x)} B`;
  if (x >= 1e6) return `${(x / 1e6).toFixed(x >= 1e7 ? 1 : 2)}M`;
  if (x >= 1e3) return `${(x / 1e3).toFixed(0)}k`;
  return x.toFixed(0);
}

/** Higher is better for rates; for W5 (bytes) lower is better, so the ratio is inverted to read the same way. */
const better = (w, a, b) => (w === "w5" ? b / a : a / b);

const cpus = os.cpus();
const machine = `${cpus.length} × ${cpus[0]?.model?.trim() ?? "unknown CPU"}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.type()} ${os.release()}, Node ${process.version}`;
const command = `npm run bench${quick ? " -- --quick" : ""}`;
const lines = [];
lines.push(`## Benchmark results (${size} size, median of ${reps})`);
lines.push("");
lines.push(`Measured ${new Date(started).toISOString().slice(0, 10)} on ${machine}, with \`${command}\`.`);
lines.push("Each cell: the median rate, and in brackets the ratio to the limit (framework-free arrays and a run queue).");
lines.push("Throughput (W1–W4) is measured warm, for every column alike, the limit included: in each fresh process, quick-size runs for at least a second (and at least 5), then up to 5 full-size runs; a cell is the median over processes of each process's median run (bench/worker.mjs).");
lines.push(`The same figures as a chart: bench/${quick ? "RESULTS-quick.svg" : "RESULTS.svg"}.`);
lines.push("W5 is heap bytes per idle component (lower is better) and creation time per component; W6 also shows the peak RSS growth.");
lines.push("The last column is this project against the fastest peer on the row (above 1: ahead).");
lines.push(`A peer whose runs of a workload took over ${budgetMs / 1000} s in all was not repeated further (the JSON has every run).`);
lines.push("");
lines.push(`| workload | ${peers.map((p) => NAMES[p] ?? p).join(" | ")} | this ÷ fastest peer |`);
lines.push(`|---|${peers.map(() => "---:").join("|")}|---:|`);
for (const w of workloads) {
  const row = summary[w];
  const limit = row.limit?.median;
  const cells = peers.map((p) => {
    const s = row[p];
    if (!s) return "–";
    if (s.unsupported) return "n/a";
    if (s.failed) return "FAILED";
    if (s.timedOut) return w === "w5" ? `> ${timeoutMs / 1000} s` : `< ${fmtRate(w, (operations(w, PARAMS[size][w]) * 1000) / timeoutMs)}`;
    let c = fmtRate(w, s.median);
    if (w === "w5") c += `, ${(s.nsPerUnit / 1000).toFixed(2)} µs`;
    if (w === "w6") c += `, +${s.rssGrowthMB.toFixed(0)} MB`;
    if (limit && p !== "limit") c += ` (${(w === "w5" ? s.median / limit : s.median / limit).toFixed(w === "w5" ? 1 : 3)}×)`;
    return c;
  });
  const others = peers.filter((p) => p !== "kamaelia" && p !== "limit" && row[p]?.median !== undefined);
  let vs = "–";
  if (row.kamaelia?.median !== undefined && others.length > 0) {
    const best = others.reduce((a, b) => (better(w, row[a].median, row[b].median) >= 1 ? a : b));
    vs = `${better(w, row.kamaelia.median, row[best].median).toFixed(2)}× (${NAMES[best]})`;
  }
  lines.push(`| ${WORKLOADS[w].title} (${WORKLOADS[w].unit}) | ${cells.join(" | ")} | ${vs} |`);
}
const notes = [];
for (const w of workloads) {
  for (const p of peers) {
    const s = summary[w][p];
    if (s?.unsupported) notes.push(`- ${NAMES[p]}, ${WORKLOADS[w].title}: n/a — ${s.unsupported}`);
    if (s?.timedOut) notes.push(`- ${NAMES[p]}, ${WORKLOADS[w].title}: did not finish within ${timeoutMs / 1000} s; the cell is the rate that would have taken`);
    if (s?.failed) notes.push(`- ${NAMES[p]}, ${WORKLOADS[w].title}: FAILED — ${s.failed.split("\n")[0]}`);
  }
}
if (notes.length > 0) lines.push("", ...notes);
lines.push("");
lines.push(`Parameters: \`${JSON.stringify(PARAMS[size])}\`.`);
lines.push("Where the project's time goes, workload by workload: bench/README.md.");

mkdirSync(join(here, "results"), { recursive: true });
const json = { size, reps, machine, node: process.version, command, started: new Date(started).toISOString(), seconds: (Date.now() - started) / 1000, params: PARAMS[size], summary, runs };
writeFileSync(join(here, "results", `latest${quick ? "-quick" : ""}.json`), JSON.stringify(json, null, 1) + "\n");
const md = lines.join("\n") + "\n";
if (!quick || !argv.includes("--no-md")) {
  writeFileSync(join(here, quick ? "RESULTS-quick.md" : "RESULTS.md"), md);
  const caption = `${command}: median of ${reps} processes, each warmed up (W1–W4); ${new Date(started).toISOString().slice(0, 10)}, ${machine}`;
  writeFileSync(join(here, quick ? "RESULTS-quick.svg" : "RESULTS.svg"), renderChart({ summary, peers, workloads, names: NAMES, titles: WORKLOADS, fmt: fmtRate, caption }));
}
process.stdout.write(md);
console.error(`${runs.length} runs in ${((Date.now() - started) / 1000).toFixed(0)} s${failed ? "; SOME RUNS FAILED" : ""}`);
process.exit(failed ? 1 : 0);
