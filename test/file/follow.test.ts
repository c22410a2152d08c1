import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { appendFileSync, existsSync, writeFileSync, renameSync, truncateSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import {
  ComponentFailure,
  ErrorInformation,
  FileError,
  Follow,
  Grep,
  Pipeline,
  ProducerFinished,
  ShutdownMicroprocess,
  System,
  producerFinished,
  shutdownMicroprocess,
} from "../../src/index.js";
import { Collector, openFdsTo, tempDir, until } from "./helpers.js";
import { killAfter } from "../support/cleanup.js";

/** Start following `f` in a Pipeline into a collector; resolves once Follow has opened the file. */
async function follow(f: string, options: { fromStart?: boolean; pollInterval?: number } = {}) {
  const follower = new Follow(f, options);
  const out = new Collector<string>();
  const errors = new Collector<ErrorInformation>();
  const sys = new System();
  const p = Pipeline(follower, out);
  p.link(follower.error, errors.inbox);
  const done = p.activate(sys).finished();
  errors.activate(sys);
  await follower.started();
  return { follower, out, errors, sys, done, p };
}

test("starts at the end, sends appended lines in order, holds a partial line until its newline", async () => {
  const dir = await tempDir();
  const f = join(dir, "log");
  await writeFile(f, "old 1\nold 2\n");
  const { follower, out, errors, done } = await follow(f, { pollInterval: 50 });
  appendFileSync(f, "new 1\nnew 2\nhalf");
  await until(() => out.got.length === 2, "two lines");
  appendFileSync(f, " and the rest\n");
  await until(() => out.got.length === 3, "the completed line");
  assert.deepEqual(out.got, ["new 1", "new 2", "half and the rest"]);
  follower.control.deliver(shutdownMicroprocess(), "test");
  await done;
  errors.stop();
});

test("fromStart sends what is already there first", async () => {
  const dir = await tempDir();
  const f = join(dir, "log");
  await writeFile(f, "old 1\nold 2\n");
  const { follower, out, errors, done } = await follow(f, { fromStart: true });
  await until(() => out.got.length === 2, "the existing lines");
  appendFileSync(f, "new\n");
  await until(() => out.got.length === 3, "the new line");
  assert.deepEqual(out.got, ["old 1", "old 2", "new"]);
  follower.control.deliver(shutdownMicroprocess(), "test");
  await done;
  errors.stop();
});

test("survives truncation: carries on from the new start of the file", async () => {
  const dir = await tempDir();
  const f = join(dir, "log");
  await writeFile(f, "");
  const { follower, out, errors, done } = await follow(f, { pollInterval: 20 });
  appendFileSync(f, "before 1\nbefore 2\n");
  await until(() => out.got.length === 2, "lines before truncation");
  truncateSync(f, 0);
  await until(() => follower.truncations === 1, "the truncation to be noticed");
  appendFileSync(f, "after 1\n");
  await until(() => out.got.length === 3, "lines after truncation");
  assert.deepEqual(out.got, ["before 1", "before 2", "after 1"]);
  follower.control.deliver(shutdownMicroprocess(), "test");
  await done;
  errors.stop();
});

test("survives rotation: the rest of the old file, then the new file from its start", async () => {
  const dir = await tempDir();
  const f = join(dir, "log");
  await writeFile(f, "");
  const { follower, out, errors, done } = await follow(f, { pollInterval: 20 });
  appendFileSync(f, "one\n");
  await until(() => out.got.length === 1, "the first line");
  renameSync(f, `${f}.1`);
  // The logger still has the old file open and writes its last lines there.
  appendFileSync(`${f}.1`, "two\nthree");
  writeFileSync(f, "four\n");
  await until(() => out.got.length === 4, "old and new lines");
  appendFileSync(f, "five\n");
  await until(() => out.got.length === 5, "a line appended to the new file");
  assert.deepEqual(out.got, ["one", "two", "three", "four", "five"]);
  assert.equal(follower.rotations, 1);
  follower.control.deliver(shutdownMicroprocess(), "test");
  await done;
  errors.stop();
});

test("a line that is not UTF-8 is reported on error and following carries on", async () => {
  const dir = await tempDir();
  const f = join(dir, "log");
  await writeFile(f, "");
  const { follower, out, errors, done } = await follow(f);
  appendFileSync(f, Buffer.concat([Buffer.from("ok 1\n"), Buffer.from([0xc3, 0x28, 0x0a]), Buffer.from("ok 2\n")]));
  await until(() => out.got.length === 2 && errors.got.length === 1, "lines and the report");
  assert.deepEqual(out.got, ["ok 1", "ok 2"]);
  assert.match(errors.got[0]!.error.message, new RegExp(`^${follower.name}: ".*log": line of 2 bytes is not valid UTF-8`));
  follower.control.deliver(shutdownMicroprocess(), "test");
  await done;
  errors.stop();
});

test("producerFinished sends what is already written, including an unterminated last line, then passes it on", async () => {
  const dir = await tempDir();
  const f = join(dir, "log");
  await writeFile(f, "");
  const { follower, out, errors, done } = await follow(f, { pollInterval: 60_000 });
  appendFileSync(f, "a\nb\nunterminated");
  const pf = producerFinished();
  follower.control.deliver(pf, "test");
  await done;
  assert.deepEqual(out.got, ["a", "b", "unterminated"]);
  assert.equal(out.ended, pf);
  assert.deepEqual(openFdsTo(resolve(f)), []);
  errors.stop();
});

test("shutdownMicroprocess stops it at once and is passed on; the file is closed", async () => {
  const dir = await tempDir();
  const f = join(dir, "log");
  await writeFile(f, "");
  const { follower, out, errors, done } = await follow(f, { pollInterval: 60_000 });
  const sm = shutdownMicroprocess();
  follower.control.deliver(sm, "test");
  await done;
  assert.equal(out.ended, sm);
  assert.ok(out.ended instanceof ShutdownMicroprocess);
  assert.deepEqual(openFdsTo(resolve(f)), []);
  errors.stop();
});

test("a missing file fails with a FileError naming the component and the path", async () => {
  const dir = await tempDir();
  const f = join(dir, "missing.log");
  const follower = new Follow(f);
  const err = await follower.run(new System()).then(() => null, (e: unknown) => e);
  assert.ok(err instanceof ComponentFailure);
  assert.ok(err.cause instanceof FileError);
  assert.equal(err.cause.message, `${follower.name} cannot follow "${f}": no such file or directory (ENOENT)`);
});

test("the seeds' example: Pipeline(Follow, Grep(/pants/), …)", async () => {
  const dir = await tempDir();
  const f = join(dir, "system.log");
  await writeFile(f, "pants before we started\n");
  const follower = new Follow(f);
  const out = new Collector<string>();
  const done = Pipeline(follower, new Grep(/pants/), out).run(new System());
  await follower.started();
  appendFileSync(f, "shirt\nsmarty pants\nsocks\npants on fire\n");
  await until(() => out.got.length === 2, "the matching lines");
  follower.control.deliver(producerFinished(), "test");
  await done;
  assert.deepEqual(out.got, ["smarty pants", "pants on fire"]);
  assert.ok(out.ended instanceof ProducerFinished);
});

test("a stopped Follow does not keep the process alive", async () => {
  const dir = await tempDir();
  const f = join(dir, "log");
  await writeFile(f, "");
  const script = join(dir, "script.mts");
  const src = resolve("src/index.ts");
  await writeFile(
    script,
    `import { Follow, Pipeline, shutdownMicroprocess } from ${JSON.stringify(src)};
const follower = new Follow(${JSON.stringify(f)}, { pollInterval: 100 });
const p = Pipeline(follower);
p.activate();
setTimeout(() => follower.control.deliver(shutdownMicroprocess(), "script"), 300);
await p.finished();
console.log("stopped");
`,
  );
  const child = spawn(process.execPath, ["--import", "tsx", script], { stdio: ["ignore", "pipe", "pipe"] });
  killAfter(child);
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((r) => child.on("exit", (code) => r(code)));
  const timeout = setTimeout(() => child.kill("SIGKILL"), 30_000);
  const code = await exited;
  clearTimeout(timeout);
  assert.equal(stderr, "");
  assert.equal(stdout, "stopped\n");
  assert.equal(code, 0, "the process ended by itself (killed after 30 s otherwise)");
});

test("rotation: lines written to the old file after its last read, but before the new file is noticed, are not lost", async () => {
  const dir = await tempDir();
  const f = join(dir, "log");
  await writeFile(f, "");
  let late = false;
  // Acts at the worst moment: after Follow has read the old file to what was its end, while it
  // looks at the path and finds the new file. Today's Follow then switched at once.
  class Racing extends Follow {
    protected override async statPath(path: string) {
      const st = await super.statPath(path);
      const mine = this.rotations === 0 && st !== null && !late && existsSync(`${f}.1`);
      if (mine) {
        late = true;
        appendFileSync(`${f}.1`, "late one\nlate two\n");
      }
      return st;
    }
  }
  const follower = new Racing(f, { pollInterval: 20 });
  const out = new Collector<string>();
  const sys = new System();
  const done = Pipeline(follower, out).activate(sys).finished();
  await follower.started();
  appendFileSync(f, "one\n");
  await until(() => out.got.length === 1, "the first line");
  // The new file is created under another name and renamed into place, so the path is never missing.
  writeFileSync(`${f}.new`, "new one\n");
  renameSync(f, `${f}.1`);
  renameSync(`${f}.new`, f);
  await until(() => out.got.includes("new one"), "the new file's line");
  assert.ok(late, "the race was staged");
  assert.deepEqual(out.got, ["one", "late one", "late two", "new one"]);
  assert.equal(follower.rotations, 1);
  follower.control.deliver(shutdownMicroprocess(), "test");
  await done;
});

test("a directory given as the file fails with a FileError saying so", async () => {
  const dir = await tempDir();
  const follower = new Follow(dir);
  const err = await follower.run(new System()).then(() => null, (e: unknown) => e);
  assert.ok(err instanceof ComponentFailure);
  assert.ok(err.cause instanceof FileError);
  assert.equal(err.cause.message, `${follower.name} cannot follow "${dir}": it is a directory (EISDIR)`);
});
