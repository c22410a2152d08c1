import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { tempDir, until } from "../file/helpers.js";
import { killAfter } from "../support/cleanup.js";

const SCRIPT = resolve("examples/directory-pipeline.ts");

/** What the example must make of an input. */
function transform(text: string): string {
  return text
    .split("\n")
    .filter((l, i, all) => !(i === all.length - 1 && l === "") && !l.startsWith("#"))
    .map((l) => `${l.toUpperCase()}\n`)
    .join("");
}

interface Run {
  child: ChildProcess;
  stdout: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function start(inDir: string, outDir: string, env: Record<string, string> = {}): Run {
  const child = spawn(process.execPath, ["--import", "tsx", SCRIPT, inDir, outDir], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  killAfter(child);
  let out = "";
  child.stdout!.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr!.on("data", (d: Buffer) => process.stderr.write(d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => child.on("exit", (code, signal) => r({ code, signal })));
  // Never leave a stray process behind, whatever the test does.
  const guard = setTimeout(() => child.kill("SIGKILL"), 120_000);
  void exited.then(() => clearTimeout(guard));
  return { child, stdout: () => out, exited };
}

/** Drop files the way writers should: written elsewhere, renamed in. */
function drop(stage: string, inDir: string, files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) {
    writeFileSync(join(stage, name), text);
    renameSync(join(stage, name), join(inDir, name));
  }
}

function inputs(n: number, from = 0): Record<string, string> {
  const files: Record<string, string> = {};
  for (let i = from; i < from + n; i++) {
    const lines = [`# file ${i}`];
    for (let j = 0; j < 200; j++) lines.push(`file ${i} line ${j} é`);
    files[`f${String(i).padStart(3, "0")}.txt`] = lines.join("\n") + "\n";
  }
  return files;
}

function outputs(outDir: string): string[] {
  return readdirSync(outDir).filter((n) => !n.startsWith(".")).sort();
}

/** Every input has exactly one output with the right content, and nothing is left half-done. */
function checkAllDone(inDir: string, outDir: string, files: Record<string, string>): void {
  assert.deepEqual(outputs(outDir), Object.keys(files).sort());
  for (const [name, text] of Object.entries(files)) assert.equal(readFileSync(join(outDir, name), "utf8"), transform(text), name);
  assert.deepEqual(readdirSync(inDir).filter((n) => !n.startsWith(".")), [], "inputs all claimed");
  for (const d of [join(inDir, ".work"), join(inDir, ".done"), join(inDir, ".failed")]) assert.deepEqual(readdirSync(d), [], d);
}

async function stopGracefully(run: Run): Promise<void> {
  run.child.kill("SIGTERM");
  const { code } = await run.exited;
  assert.equal(code, 0, "exits by itself on SIGTERM");
}

test("processes each file dropped into IN to OUT and stops cleanly on SIGTERM", async () => {
  const base = await tempDir();
  const [inDir, outDir, stage] = [join(base, "in"), join(base, "out"), join(base, "stage")];
  mkdirSync(stage);
  mkdirSync(inDir);
  const files = inputs(3);
  drop(stage, inDir, { "f000.txt": files["f000.txt"]! });
  const run = start(inDir, outDir);
  await until(() => run.stdout().includes("ready\n"), "ready");
  drop(stage, inDir, { "f001.txt": files["f001.txt"]!, "f002.txt": files["f002.txt"]! });
  await until(() => outputs(outDir).length === 3, "three outputs");
  await stopGracefully(run);
  checkAllDone(inDir, outDir, files);
  assert.deepEqual(run.stdout().split("\n").filter((l) => l.startsWith("done")).sort(), ["done f000.txt", "done f001.txt", "done f002.txt"]);
});

for (const step of ["claim", "process", "commit", "publish"]) {
  test(`killed (SIGKILL) right after the "${step}" step, a restart finishes every file exactly once`, async () => {
    const base = await tempDir();
    const [inDir, outDir, stage] = [join(base, "in"), join(base, "out"), join(base, "stage")];
    mkdirSync(stage);
    mkdirSync(inDir);
    const files = inputs(4);
    drop(stage, inDir, files);
    const first = start(inDir, outDir, { DIRPIPE_CRASH_AT: `${step}:2` });
    const { signal } = await first.exited;
    assert.equal(signal, "SIGKILL", "the crash hook fired");
    assert.ok(outputs(outDir).length < 4, "killed before finishing");
    const second = start(inDir, outDir);
    await until(() => outputs(outDir).length === 4 && readdirSync(join(inDir, ".work")).length === 0 && readdirSync(join(inDir, ".done")).length === 0, "all four outputs");
    await stopGracefully(second);
    checkAllDone(inDir, outDir, files);
  });
}

test("SIGKILLed repeatedly at arbitrary moments while files keep arriving: every input ends with exactly one correct output", async () => {
  const base = await tempDir();
  const [inDir, outDir, stage] = [join(base, "in"), join(base, "out"), join(base, "stage")];
  mkdirSync(stage);
  mkdirSync(inDir);
  const all: Record<string, string> = {};
  let next = 0;
  for (let round = 0; round < 4; round++) {
    const batch = inputs(8, next);
    next += 8;
    Object.assign(all, batch);
    drop(stage, inDir, batch);
    const run = start(inDir, outDir, { DIRPIPE_DELAY_MS: "5" });
    await until(() => run.stdout().includes("done"), "some progress");
    // Kill at whatever point it has reached: some files done, one mid-way, some not started.
    run.child.kill("SIGKILL");
    await run.exited;
    // Never a wrong or duplicate output, even between crashes.
    for (const name of outputs(outDir)) assert.equal(readFileSync(join(outDir, name), "utf8"), transform(all[name]!), name);
  }
  const last = start(inDir, outDir);
  await until(() => outputs(outDir).length === next && existsSync(join(inDir, ".work")) && readdirSync(join(inDir, ".work")).length === 0, "every output");
  await stopGracefully(last);
  checkAllDone(inDir, outDir, all);
});

test("a file that cannot be processed goes to IN/.failed, leaves nothing half-done, and the rest carry on", async () => {
  const root = await tempDir("dirpipe-failed-");
  const inDir = join(root, "in");
  const outDir = join(root, "out");
  const stage = join(root, "stage");
  for (const d of [inDir, outDir, stage]) mkdirSync(d);
  const run = start(inDir, outDir);
  const good = inputs(2);
  drop(stage, inDir, { "bad.bin": "text\nbinary \u0000 here\nmore\n" });
  drop(stage, inDir, good);
  await until(() => outputs(outDir).length === 2 && existsSync(join(inDir, ".failed", "bad.bin")), "the good files out and the bad one failed", 60_000);
  await stopGracefully(run);
  assert.deepEqual(outputs(outDir), Object.keys(good).sort());
  assert.deepEqual(readdirSync(join(inDir, ".failed")), ["bad.bin"]);
  assert.deepEqual(readdirSync(join(inDir, ".work")), []);
  assert.deepEqual(readdirSync(join(outDir, ".partial")), [], "no half-written output left");
});
