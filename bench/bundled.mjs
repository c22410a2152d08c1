/**
 * Run a TypeScript bench script bundled by esbuild (tsx's own dependency)
 * instead of through tsx, so no loader thread or keep-names helpers are
 * measured with it (as bench/run.mjs does for its workloads):
 *
 *   node bench/bundled.mjs bench/nats/w9-backplane.ts [args…]
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const [entry, ...args] = process.argv.slice(2);
if (!entry) {
  console.error("usage: node bench/bundled.mjs SCRIPT.ts [args…]");
  process.exit(2);
}
const dir = mkdtempSync(join(os.tmpdir(), "kamaelia-bench-"));
const out = join(dir, "bench.mjs");
const banner = "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);";
const b = spawnSync(join(root, "node_modules", ".bin", "esbuild"), [resolve(entry), "--bundle", "--format=esm", "--platform=node", "--target=node20", `--outfile=${out}`, "--log-level=error", `--banner:js=${banner}`], { stdio: "inherit" });
if (b.status !== 0) process.exit(b.status ?? 1);
// Imported from -e rather than run as the main script: process.argv[1] is then not the bundle, so an
// example's "am I the program?" check (import.meta.url === argv[1]) stays false inside it.
const r = spawnSync(process.execPath, ["--input-type=module", "-e", `await import(${JSON.stringify(pathToFileURL(out).href)})`, "--", ...args], { stdio: "inherit" });
rmSync(dir, { recursive: true, force: true });
process.exit(r.status ?? 1);
