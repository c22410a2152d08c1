/**
 * examples/pyworks-demo.ts as a real process: Tasks call each other through
 * proxies, wait on futures, observe each other and switch State; it prints
 * what happens and exits 0.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../..", import.meta.url));

test("pyworks-demo runs the whole story and exits 0", () => {
  const r = spawnSync(process.execPath, ["--import", "tsx", "examples/pyworks-demo.ts"], { cwd: root, encoding: "utf8", timeout: 120_000 });
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.trim().split("\n").map((l) => l.replace(/^(\S+)\s*\| /, "$1: "));
  // These lines, in this order (others may come between).
  const expected = [
    "worker: configured (factor 10)",
    "worker: started",
    "worker: running: answering calls",
    "client: sending 2 jobs to worker",
    "logger: heard: small done, result 60",
    "logger: heard: large done, result 3000",
    "main: client's futures settled: 60, 3000",
    "main: logger heard 2 outputs",
    "main: door.open() → opened",
    'main: door.lock() refused: door: its state Open does not handle "lock" (Open handles: close)',
    "main: door.close() → closed",
    'main: door.lock("k1") → locked',
    'main: door.unlock("k2") failed: door.unlock() threw in state Locked: Error: wrong key',
    'main: door.unlock("k1") → unlocked',
    "main: math.slowSquare(7) with time to spare → 49",
    "main: running: math, worker, logger, client, door",
    "worker: stopped after 2 jobs",
    "main: every task has stopped",
  ];
  let at = 0;
  for (const line of lines) if (line === expected[at]) at++;
  assert.equal(at, expected.length, `missing or out of order: ${JSON.stringify(expected[at])}\n${r.stdout}`);
  assert.ok(lines.includes("logger: observing worker"));
  assert.ok(lines.includes("logger: note: client sent small, large"), "the notify arrived");
  assert.ok(lines.some((l) => /^main: timed out: math\.slowSquare\(\) got no answer within 20 ms/.test(l)));
  assert.ok(lines.some((l) => /^main: no such actor: abacus\.add\(\): no actor named "abacus" was registered within 50 ms \(actors registered: math, worker, logger, client, door\)$/.test(l)));
  assert.equal(lines.at(-1), "main: every task has stopped");
});
