/**
 * The parallelism and scale-out workloads (issue 11), each a script of its
 * own that measures the project against its peer in one run and prints
 * ratios; this runs them in turn, with the machine's load before and after
 * each, and writes bench/RESULTS-scale.md:
 *
 *   npm run bench:scale                       W7, W8 and W9, 7 repetitions each (W8 runs last about a second: 3 were too few to settle it)
 *   node bench/scale.mjs --workloads w8 --reps 5 [--no-md]
 *   node bench/run.mjs --workloads w7,w8,w9   (run.mjs hands these to this script)
 *
 * W7 chat-server deliveries/s against a bare node:net broadcast loop
 * (bench/net/w7-chat.ts); W8 a CPU-bound WorkerPool on 2 workers against 1
 * (bench/parallel/w8-workers.ts; under tsx, since its workers load the stage
 * module by URL); W9 a NatsBackplane against raw nats.js
 * (bench/nats/w9-backplane.ts; needs `nats-server`, see .ci/run). W7 and W9
 * run bundled by esbuild (bench/bundled.mjs) so tsx is not measured.
 * A script that fails or finds a wrong result makes the exit code 1.
 */
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import os from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..");
const { values: args } = parseArgs({ options: { reps: { type: "string", default: "7" }, workloads: { type: "string", default: "w7,w8,w9" }, "no-md": { type: "boolean" } } });
const reps = args.reps;
const chosen = args.workloads.split(",");

const node = process.execPath;
const WORKLOADS = {
  w7: {
    title: "W7 chat server (deliveries/s)",
    peer: "bare node:net broadcast loop",
    target: "—",
    args: [join(here, "bundled.mjs"), "bench/net/w7-chat.ts", "--reps", reps],
    ratio: (out) => /ratio ([\d.]+)× the bare loop/.exec(out)?.[1],
    extra: () => "—",
  },
  w8: {
    title: "W8 WorkerPool, 2 workers over 1 (CPU-bound)",
    peer: "the same pool with 1 worker",
    target: "≥ 1.8×",
    args: ["--import", "tsx", "bench/parallel/w8-workers.ts", "--reps", reps],
    ratio: (out) => /speed-up 2 workers over 1: ([\d.]+)×/.exec(out)?.[1],
    extra: (out) => {
      const idle = /at most ([\d.]+)% of a run/.exec(out)?.[1];
      const cores = /2 workers used ([\d.]+) cores/.exec(out)?.[1];
      return `workers starved ≤ ${idle ?? "?"}% of a run; the process got ${cores ?? "?"} cores`;
    },
  },
  w9: {
    title: "W9 NatsBackplane (msgs/s)",
    peer: "raw nats.js publish/subscribe",
    target: "≥ 0.8×",
    args: [join(here, "bundled.mjs"), "bench/nats/w9-backplane.ts", "--reps", reps],
    ratio: (out) => /ratio ([\d.]+)× \(target/.exec(out)?.[1],
    extra: (out) => {
      const cpu = /CPU per message raw\/NatsBackplane ([\d.]+)×/.exec(out)?.[1];
      return `CPU per message: ${cpu ?? "?"}× raw's`;
    },
  },
};

const load = () => os.loadavg().map((x) => x.toFixed(2)).join(", ");
const hasNats = spawnSync("nats-server", ["--version"], { encoding: "utf8" }).status === 0;
const rows = [];
const outputs = [];
let failed = false;
for (const w of chosen) {
  const spec = WORKLOADS[w];
  if (spec === undefined) {
    console.error(`scale.mjs: no workload ${w} (have ${Object.keys(WORKLOADS).join(", ")})`);
    process.exit(2);
  }
  const command = `node ${spec.args.map((a) => a.replace(`${here}/`, "bench/")).join(" ")}`;
  if (w === "w9" && !hasNats) {
    rows.push(`| ${spec.title} | ${spec.peer} | not run: nats-server is not installed | ${spec.target} | | |`);
    continue;
  }
  const before = load();
  console.error(`\n== ${w}: ${command} (load ${before})`);
  const r = spawnSync(node, spec.args, { cwd: root, encoding: "utf8", timeout: 20 * 60_000, stdio: ["ignore", "pipe", "inherit"] });
  const after = load();
  process.stdout.write(r.stdout ?? "");
  const ratio = r.status === 0 ? spec.ratio(r.stdout) : undefined;
  if (r.status !== 0 || ratio === undefined) failed = true;
  rows.push(`| ${spec.title} | ${spec.peer} | ${ratio === undefined ? `FAILED (exit ${r.status ?? r.signal})` : `**${ratio}×**`} | ${spec.target} | ${spec.extra(r.stdout ?? "")} | ${before} → ${after} |`);
  outputs.push(`### ${w}\n\n\`${command}\` (load average before: ${before}; after: ${after})\n\n\`\`\`text\n${(r.stdout ?? "").trim()}\n\`\`\``);
}

const md = [
  "# W7–W9: parallelism and scale-out",
  "",
  `\`node bench/scale.mjs --workloads ${chosen.join(",")} --reps ${reps}\` on ${new Date().toISOString().slice(0, 16)} UTC, Node ${process.version},`,
  `${os.cpus().length} cores (${os.cpus()[0]?.model ?? "?"}). Each script measures the project and its peer in one run, taking turns; the`,
  "ratio is of medians. Load averages (1, 5, 15 min) are the machine's before and after each script: on a",
  "shared machine they say how far to trust a figure (see bench/README.md for what W8 and W9 report besides).",
  "",
  "| workload | against | ratio | target | load-independent figure | load average |",
  "|---|---|---|---|---|---|",
  ...rows,
  "",
  outputs.join("\n\n"),
  "",
].join("\n");
if (!args["no-md"]) {
  writeFileSync(join(here, "RESULTS-scale.md"), md);
  console.error(`\nwrote bench/RESULTS-scale.md`);
}
process.exit(failed ? 1 : 0);
