/**
 * examples/parallel-primes.ts, run as a real process: the same count for
 * every number of workers (primes below 200000: 17984).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../..", import.meta.url));
const run = (...args: string[]) =>
  spawnSync(process.execPath, ["--import", "tsx", "examples/parallel-primes.ts", ...args], { cwd: root, encoding: "utf8", timeout: 120_000 });

test("parallel-primes gives the same count on 1 and 3 workers, and prints the elapsed time", () => {
  for (const n of ["1", "3"]) {
    const r = run("--workers", n, "--limit", "200000", "--chunk", "10000");
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`^primes below 200000: 17984 \\(${n} workers?, 20 ranges, \\d+ ms\\)\\n$`));
  }
});

test("parallel-primes: a bad --workers is one clear line", () => {
  const r = run("--workers", "0");
  assert.equal(r.status, 2);
  assert.equal(r.stderr, "parallel-primes: --workers needs a whole number ≥ 1, got 0\n");
});
