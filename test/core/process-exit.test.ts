/**
 * Process-level behaviour, checked in real child processes: an idle system
 * with nothing that can wake it does not keep the process alive (run()
 * rejects with StalledError); an unhandled failure with no run() pending
 * surfaces as an uncaught error.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const src = fileURLToPath(new URL("../../src/index.ts", import.meta.url));

function runScript(body: string): { status: number | null; stdout: string; stderr: string } {
  const dir = mkdtempSync(join(tmpdir(), "kamaelia-exit-"));
  try {
    const file = join(dir, "script.ts");
    writeFileSync(file, `import { Component, System, StalledError } from ${JSON.stringify(src)};\n${body}`);
    const r = spawnSync(process.execPath, ["--import", "tsx", file], { encoding: "utf8", timeout: 30_000 });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test("a system asleep with nothing to wake it does not keep the process alive: run() rejects with StalledError", () => {
  const r = runScript(`
class Waiter extends Component<string, never> { *main() { for (;;) { this.pause(); yield; } } }
const w = new Waiter();
w.run(new System()).then(
  () => console.log("resolved"),
  (e) => console.log(e instanceof StalledError ? "stalled: " + e.asleep.join(",") : "other: " + e),
);
`);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^stalled: Waiter_\d+$/m);
});

test("an unhandled failure with no run() pending surfaces as an uncaught error naming the component", () => {
  const r = runScript(`
class Boom extends Component { *main() { yield; throw new RangeError("out of range"); } }
new Boom().activate(new System());
`);
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /Boom_\d+ failed: RangeError: out of range/);
});
