import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Component, Follow, Pipeline, System, shutdownOnSignals } from "../../src/index.js";
import { killAfter, onCleanup } from "../support/cleanup.js";

const fixture = fileURLToPath(new URL("./fixtures/signal-target.ts", import.meta.url));

/** Run the fixture; resolves once it is ready. */
async function start(...args: string[]) {
  const child = killAfter(spawn(process.execPath, ["--import", "tsx", fixture, ...args], { stdio: ["ignore", "pipe", "pipe"] }));
  let out = "";
  let err = "";
  child.stdout.on("data", (d: Buffer) => (out += d));
  child.stderr.on("data", (d: Buffer) => (err += d));
  const exited = new Promise<number | null>((r) => child.on("exit", (code) => r(code)));
  for (let i = 0; i < 600 && !out.includes("ready"); i++) await new Promise((r) => setTimeout(r, 100));
  assert.ok(out.includes("ready"), err);
  return { child, exited, out: () => out, err: () => err };
}

test("shutdownOnSignals: the first signal sends producerFinished; when everything has finished the process exits 0", async () => {
  const p = await start("polite");
  p.child.kill("SIGTERM");
  assert.equal(await p.exited, 0);
  assert.equal(p.out(), "ready\nended by ProducerFinished\n");
  assert.equal(p.err(), "");
});

test("shutdownOnSignals: a second signal stops now (shutdownMicroprocess) and exits 128 + its number", async () => {
  const p = await start("stubborn");
  p.child.kill("SIGINT");
  // Give the first signal time to be handled, so the second is a second.
  await new Promise((r) => setTimeout(r, 500));
  p.child.kill("SIGINT");
  assert.equal(await p.exited, 130);
  assert.equal(p.out(), "ready\nended by ShutdownMicroprocess\n");
  assert.equal(p.err(), "SIGINT again: stopping now\n");
});

test("shutdownOnSignals: when the grace period runs out it stops now and exits 1, saying why", async () => {
  const p = await start("stubborn", "300");
  p.child.kill("SIGTERM");
  assert.equal(await p.exited, 1);
  assert.equal(p.out(), "ready\nended by ShutdownMicroprocess\n");
  assert.equal(p.err(), "stopping now: still running 300 ms after the shutdown began\n");
});

class Collector extends Component<string, never> {
  got: string[] = [];
  *main() {
    yield* this.processMessages((m) => {
      this.got.push(m);
    });
  }
}

test("shutdownOnSignals with Follow: lines appended in the very tick of the signal are still sent (the file is read to its end)", async () => {
  const dir = mkdtempSync(join(tmpdir(), "signals-"));
  onCleanup(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, "log");
  writeFileSync(file, "");
  const follow = new Follow(file);
  const out = new Collector();
  const system = new System();
  const done = Pipeline(follow, out).run(system);
  await follow.started();
  const s = shutdownOnSignals(follow, { signals: ["SIGUSR2"], exit: false });
  onCleanup(() => s.dispose());
  const lines = Array.from({ length: 6 }, (_, i) => `line ${i}`);
  for (const l of lines) appendFileSync(file, `${l}\n`);
  process.kill(process.pid, "SIGUSR2");
  assert.equal(await s.done, "finished");
  await done;
  assert.deepEqual(out.got, lines);
});
