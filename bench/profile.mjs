/**
 * Where the time goes: runs one peer's workload under `node --cpu-prof`
 * and prints the functions with the most self time.
 *
 *   node bench/profile.mjs kamaelia w2 [--quick] [--top 25]
 *
 * The profile is kept under the system's temporary folder (printed) for Chrome DevTools.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { PARAMS } from "./common.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const [peer = "kamaelia", w = "w2", ...rest] = process.argv.slice(2);
const quick = rest.includes("--quick");
const ti = rest.indexOf("--top");
const top = ti >= 0 ? Number(rest[ti + 1]) : 25;
// One profile per thread (tsx's loader runs in its own): the main thread's is the largest.
const dir = join(tmpdir(), "kamaelia-bench-profiles", `${peer}-${w}-${Date.now()}`);
mkdirSync(dir, { recursive: true });
const args = ["--cpu-prof", "--cpu-prof-dir", dir, "--cpu-prof-interval", "100"];
// Every workload calls settle() (common.mjs) before its measured phase; W5 measures the heap.
args.push("--expose-gc");
const env = { ...process.env };
if (peer === "kamaelia") {
  // Bundled (not minified) so the profile's lines point at readable code, and no loader thread runs.
  const bundle = join(dir, "kamaelia.bundle.mjs");
  const b = spawnSync(
    join(here, "..", "node_modules", ".bin", "esbuild"),
    [join(here, "peers", "kamaelia.ts"), "--bundle", "--format=esm", "--platform=node", "--target=node20", `--outfile=${bundle}`],
    { encoding: "utf8" },
  );
  if (b.status !== 0) throw new Error(`esbuild failed: ${b.stderr}`);
  env.BENCH_PEER_FILE = bundle;
}
args.push(join(here, "worker.mjs"), peer, w, JSON.stringify(PARAMS[quick ? "quick" : "full"][w]));
const r = spawnSync(process.execPath, args, { cwd: join(here, ".."), encoding: "utf8", env });
process.stdout.write(r.stdout);
if (r.status !== 0) {
  process.stderr.write(r.stderr);
  process.exit(1);
}
const file = readdirSync(dir)
  .filter((f) => f.endsWith(".cpuprofile"))
  .map((f) => join(dir, f))
  .sort((a, b) => statSync(b).size - statSync(a).size)[0];
console.log(`profile: ${file}`);
const prof = JSON.parse(readFileSync(file, "utf8"));
const byId = new Map(prof.nodes.map((n) => [n.id, n]));
const self = new Map();
const counts = new Map();
for (const s of prof.samples) counts.set(s, (counts.get(s) ?? 0) + 1);
let total = 0;
const lines = new Map();
for (const [id, c] of counts) {
  const n = byId.get(id);
  const f = n.callFrame;
  const file = f.url.replace(/^.*\/kamaelia\.bundle\.mjs$/, "bundle").replace(/^.*\/(src|bench|node_modules)\//, "$1/");
  const key = `${f.functionName || "(anonymous)"} ${file}:${f.lineNumber + 1}`;
  self.set(key, (self.get(key) ?? 0) + c);
  for (const t of n.positionTicks ?? []) {
    const lk = `${file}:${t.line}`;
    lines.set(lk, (lines.get(lk) ?? 0) + t.ticks);
  }
  total += c;
}
const rows = [...self].sort((a, b) => b[1] - a[1]).slice(0, top);
console.log(`${total} samples; self time by function:`);
for (const [k, c] of rows) console.log(`${((100 * c) / total).toFixed(1).padStart(5)}%  ${k}`);
console.log("hottest lines (self):");
for (const [k, c] of [...lines].sort((a, b) => b[1] - a[1]).slice(0, top)) {
  console.log(`${((100 * c) / total).toFixed(1).padStart(5)}%  ${k}`);
}
