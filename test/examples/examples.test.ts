/**
 * The issue-2 examples, run as real processes.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { killAfter } from "../support/cleanup.js";

const root = fileURLToPath(new URL("../..", import.meta.url));

test("producer-consumer prints each message numbered, then finishes", () => {
  const r = spawnSync(process.execPath, ["--import", "tsx", "examples/producer-consumer.ts"], { cwd: root, encoding: "utf8", timeout: 60_000 });
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.trim().split("\n");
  assert.deepEqual(lines.slice(0, 10), Array.from({ length: 10 }, (_, i) => `Hello World ${i + 1}`));
  assert.equal(lines[10], "Producer and Consumer have both finished.");
});

test("tail-grep follows a file from its end, prints new matching lines, and exits 0 on SIGINT", async () => {
  const dir = mkdtempSync(join(tmpdir(), "tail-grep-"));
  const file = join(dir, "log.txt");
  writeFileSync(file, "old pants line, already there before start\n");
  const child = spawn(process.execPath, ["--import", "tsx", "examples/tail-grep.ts", file, "pants"], { cwd: root, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  killAfter(child);
  let out = "";
  let err = "";
  child.stdout.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr.on("data", (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const until = async (cond: () => boolean, what: string): Promise<void> => {
    for (let i = 0; i < 300 && !cond(); i++) await new Promise((r) => setTimeout(r, 100));
    assert.ok(cond(), `timed out waiting for ${what}; stdout=${out} stderr=${err}`);
  };
  try {
    // It starts at the end: write probes until one shows up, so we know it is watching.
    let probes = 0;
    await until(() => {
      if (!out.includes("probe pants")) appendFileSync(file, `probe pants ${probes++}\n`);
      return out.includes("probe pants");
    }, "tail-grep to start");
    const before = out.length;
    appendFileSync(file, "no match here\nmy pants are on fire\nnothing\n");
    appendFileSync(file, "pants ");
    appendFileSync(file, "written in two parts\n");
    await until(() => out.includes("pants written in two parts"), "the matching lines");
    assert.equal(out.slice(before), "my pants are on fire\npants written in two parts\n");
    assert.ok(!out.includes("old pants line"), "lines already in the file are not printed");
    process.kill(-child.pid!, "SIGINT");
    assert.equal(await exited, 0, err);
  } finally {
    if (child.exitCode === null) process.kill(-child.pid!, "SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  }
});

/** Start tail-grep on `file` for `pattern`; resolves once it is printing (probe lines are appended until one shows). */
async function startTailGrep(file: string, pattern: string) {
  const child = killAfter(spawn(process.execPath, ["--import", "tsx", "examples/tail-grep.ts", file, pattern], { cwd: root, stdio: ["ignore", "pipe", "pipe"] }));
  let out = "";
  let err = "";
  child.stdout.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr.on("data", (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  let probes = 0;
  for (let i = 0; i < 600 && !out.includes("probe"); i++) {
    appendFileSync(file, `probe ${pattern} ${probes++}\n`);
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.ok(out.includes("probe"), `tail-grep started; stderr=${err}`);
  return { child, exited, out: () => out, err: () => err };
}

test("tail-grep: lines appended just before Ctrl-C are printed (the file is read to its end first), then exit 0", async () => {
  const dir = mkdtempSync(join(tmpdir(), "tail-grep-"));
  try {
    for (let trial = 0; trial < 6; trial++) {
      const file = join(dir, `log${trial}.txt`);
      writeFileSync(file, "");
      const t = await startTailGrep(file, "keep");
      const lines = Array.from({ length: 6 }, (_, i) => `keep ${trial}.${i}`);
      // Appended over about 5 ms, the signal right behind the last: whatever tail-grep is doing
      // (reading, or about to), the lines must still come out.
      for (const l of lines) {
        appendFileSync(file, `${l}\n`);
        await new Promise((r) => setTimeout(r, 1));
      }
      t.child.kill("SIGINT");
      assert.equal(await t.exited, 0, t.err());
      const printed = t.out().split("\n").filter((l) => l.startsWith("keep "));
      assert.deepEqual(printed, lines, `trial ${trial}`);
      assert.equal(t.err(), "");
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("tail-grep: a bad regex, a missing file or a directory is one clear line on stderr and a non-zero status", () => {
  const dir = mkdtempSync(join(tmpdir(), "tail-grep-"));
  const file = join(dir, "log.txt");
  writeFileSync(file, "");
  const run = (...args: string[]) => spawnSync(process.execPath, ["--import", "tsx", "examples/tail-grep.ts", ...args], { cwd: root, encoding: "utf8", timeout: 60_000 });
  try {
    const bad = run(file, "(unclosed");
    assert.equal(bad.status, 2);
    assert.equal(bad.stderr, 'tail-grep: bad REGEX "(unclosed": Invalid regular expression: /(unclosed/: Unterminated group\n');
    const missing = run(join(dir, "nope.txt"), "x");
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /^tail-grep: Follow_\d+ cannot follow ".*nope\.txt": no such file or directory \(ENOENT\)\n$/);
    const directory = run(dir, "x");
    assert.equal(directory.status, 1);
    assert.match(directory.stderr, /^tail-grep: Follow_\d+ cannot follow ".*": it is a directory \(EISDIR\)\n$/);
    const usage = run(file);
    assert.equal(usage.status, 2);
    assert.equal(usage.stderr, "tail-grep: usage: tail-grep FILE REGEX\n");
    // The stack is there for whoever asks for it.
    const debug = spawnSync(process.execPath, ["--import", "tsx", "examples/tail-grep.ts", join(dir, "nope.txt"), "x"], { cwd: root, encoding: "utf8", timeout: 60_000, env: { ...process.env, DEBUG: "1" } });
    assert.match(debug.stderr, /\n\s+at /);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("tail-grep piped into head: ends quietly (no EPIPE stack) with status 0 once head has had enough", async () => {
  const dir = mkdtempSync(join(tmpdir(), "tail-grep-"));
  const file = join(dir, "log.txt");
  writeFileSync(file, "");
  const script = `set -o pipefail; "${process.execPath}" --import tsx examples/tail-grep.ts "${file}" match 2>"${dir}/err" | head -n 2; echo "\${PIPESTATUS[0]}" > "${dir}/status"`;
  const sh = killAfter(spawn("bash", ["-c", script], { cwd: root, stdio: ["ignore", "pipe", "pipe"] }));
  let out = "";
  sh.stdout.on("data", (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => sh.on("exit", (code) => resolve(code)));
  try {
    // Keep appending matching lines until head has two and tail-grep has noticed it is gone.
    for (let i = 0; i < 1200 && sh.exitCode === null; i++) {
      appendFileSync(file, `match ${i}\n`.repeat(20));
      await new Promise((r) => setTimeout(r, 50));
    }
    await exited;
    assert.equal(out.split("\n").length, 3, out);
    assert.equal(readFileSync(join(dir, "err"), "utf8"), "");
    assert.equal(readFileSync(join(dir, "status"), "utf8").trim(), "0");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
