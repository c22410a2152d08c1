/**
 * The issue-2 examples, run as real processes.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
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
