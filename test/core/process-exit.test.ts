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

test("a component linked and sent to but never activated is named when the system stalls", () => {
  const r = runScript(`
class Waiter extends Component<string, never> { *main() { for (;;) { this.pause(); yield; } } }
class Sender extends Component<never, string> { *main() { this.send("a"); this.send("b"); for (;;) { this.pause(); yield; } } }
const sys = new System();
const s = new Sender();
const forgotten = new Waiter();
s.link(s.outbox, forgotten.inbox);
s.run(sys).then(
  () => console.log("resolved"),
  (e) => console.log(e instanceof StalledError ? "stalled: " + e.neverActivated.join(",") + " | " + e.message : "other: " + e),
);
`);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^stalled: Waiter_\d+ \(2 waiting\) \| .*never activated but holding messages: Waiter_\d+ \(2 waiting\)/m);
});

test("a component sent to but never activated is named in a warning when the system ends", () => {
  const r = runScript(`
class Waiter extends Component<string, never> { *main() { for (;;) { this.pause(); yield; } } }
class Sender extends Component<never, string> { *main() { this.send("a"); } }
const sys = new System();
const s = new Sender();
const forgotten = new Waiter();
s.link(s.outbox, forgotten.inbox);
s.run(sys).then(() => console.log("resolved"));
`);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^resolved$/m);
  assert.match(r.stderr, /NeverActivatedWarning: the system ended with messages waiting in component\(s\) never activated: Waiter_\d+ \(1 waiting\)/);
});

test("a step that holds the event loop too long emits a warning naming the component (once)", () => {
  const r = runScript(`
class Hog extends Component {
  *main() {
    for (let k = 0; k < 2; k++) {
      const end = Date.now() + 120;
      while (Date.now() < end) {}   // a loop that does not yield
      yield;
    }
  }
}
const sys = new System();
sys.scheduler.slowStepMs = 50;
new Hog().run(sys).then(() => console.log("resolved"));
`);
  assert.equal(r.status, 0, r.stderr);
  const warnings = r.stderr.match(/SlowStepWarning: Hog_\d+: one step held the event loop for \d+ ms \(over scheduler.slowStepMs = 50\)/g) ?? [];
  assert.equal(warnings.length, 1, r.stderr);
});

test("a slow step among many short ones (the clock read only every few steps) is still reported, naming it", () => {
  const r = runScript(`
class Ticker extends Component { *main() { for (let k = 0; k < 2000; k++) yield; } }
class Hog extends Component {
  *main() {
    for (let k = 0; k < 500; k++) yield;   // short steps first, so the clock is read only now and then
    const end = Date.now() + 120;
    while (Date.now() < end) {}
    for (let k = 0; k < 500; k++) yield;
  }
}
const sys = new System();
sys.scheduler.slowStepMs = 50;
for (let i = 0; i < 3; i++) new Ticker().activate(sys);
new Hog().run(sys).then(() => console.log("resolved"));
`);
  assert.equal(r.status, 0, r.stderr);
  // Named alone, or with the short steps run since the clock was last read ("A, B or C").
  const warnings = [...r.stderr.matchAll(/SlowStepWarning: ([^\n]*?): one step held the event loop for \d+ ms \(over scheduler.slowStepMs = 50\)/g)];
  assert.equal(warnings.length, 1, r.stderr);
  assert.match(warnings[0]![1]!, /\bHog_\d+\b/, r.stderr);
});

test("no slow-step warning for steps within the threshold", () => {
  const r = runScript(`
class Quick extends Component { *main() { for (let k = 0; k < 100; k++) yield; } }
new Quick().run(new System()).then(() => console.log("resolved"));
`);
  assert.equal(r.status, 0, r.stderr);
  assert.doesNotMatch(r.stderr, /SlowStepWarning|NeverActivated/);
});
