/**
 * What introspection costs, on W1–W4: each workload run in fresh processes
 * by this checkout with nobody watching ("no watcher"), by this checkout
 * with the Introspector watching every system ("watcher", see
 * peers/kamaelia-watched.ts), and, with `--baseline DIR`, by another
 * checkout (e.g. main before the observer hooks) as "baseline". Variants
 * take turns within each repetition; medians are reported as rates and as
 * ratios to "no watcher".
 *
 *   node bench/introspect.mjs [--quick] [--reps N] [--workloads w1,w2] [--baseline DIR]
 */
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import os from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { PARAMS, WORKLOADS } from "./common.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..");
const argv = process.argv.slice(2);
const opt = (name) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const size = argv.includes("--quick") ? "quick" : "full";
const reps = Number(opt("--reps") ?? 5);
const workloads = opt("--workloads")?.split(",") ?? ["w1", "w2", "w3", "w4"];
const baseline = opt("--baseline");

function bundle(entry, name) {
  const esbuild = join(root, "node_modules", ".bin", "esbuild");
  const out = join(mkdtempSync(join(os.tmpdir(), "kamaelia-bench-")), `${name}.bundle.mjs`);
  const r = spawnSync(esbuild, [entry, "--bundle", "--format=esm", "--platform=node", "--target=node20", `--outfile=${out}`, "--log-level=error"], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`esbuild failed for ${entry}: ${r.stderr}`);
  return out;
}

const variants = { "no watcher": bundle(join(here, "peers", "kamaelia.ts"), "plain"), watcher: bundle(join(here, "peers", "kamaelia-watched.ts"), "watched") };
if (baseline) variants.baseline = bundle(join(baseline, "bench", "peers", "kamaelia.ts"), "baseline");

function runOnce(file, w) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(here, "worker.mjs"), "kamaelia", w, JSON.stringify(PARAMS[size][w])], {
      cwd: root,
      env: { ...process.env, BENCH_PEER_FILE: file },
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.on("close", (code) => {
      try {
        resolve(JSON.parse(out.trim().split("\n").pop()));
      } catch {
        resolve({ ok: false, error: `no result (exit ${code})` });
      }
    });
  });
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

const rows = [];
let failed = false;
for (const w of workloads) {
  const rates = Object.fromEntries(Object.keys(variants).map((v) => [v, []]));
  for (let rep = 0; rep < reps; rep++) {
    for (const [v, file] of Object.entries(variants)) {
      const r = await runOnce(file, w);
      if (!r.ok) {
        // A workload broken in one checkout is reported as such; the others still run.
        console.error(`${w} ${v}: FAILED: ${String(r.error).split("\n")[0]}`);
        failed = true;
        continue;
      }
      rates[v].push(r.rate);
      console.error(`${w} ${v.padEnd(10)} rep ${rep}: ${Math.round(r.rate).toLocaleString("en")} ${WORKLOADS[w].unit}`);
    }
  }
  const base = median(rates["no watcher"]);
  const cells = Object.keys(variants).map((v) => {
    if (rates[v].length === 0) return "failed";
    const m = median(rates[v]);
    const spread = `${Math.round(Math.min(...rates[v])).toLocaleString("en")}–${Math.round(Math.max(...rates[v])).toLocaleString("en")}`;
    return `${Math.round(m).toLocaleString("en")} (${(m / base).toFixed(2)}×; ${spread})`;
  });
  rows.push(`| ${WORKLOADS[w].title} (${WORKLOADS[w].unit}) | ${cells.join(" | ")} |`);
}
console.log(`Introspection cost, ${size} size, median of ${reps} (ratio to "no watcher"; min–max):\n`);
console.log(`| workload | ${Object.keys(variants).join(" | ")} |`);
console.log(`|---|${Object.keys(variants).map(() => "---").join("|")}|`);
for (const r of rows) console.log(r);
if (failed) process.exitCode = 1;
