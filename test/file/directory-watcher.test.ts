import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { writeFile, mkdir } from "node:fs/promises";
import { join } from "node:path";
import {
  ComponentFailure,
  DirectoryWatcher,
  FileError,
  Pipeline,
  ShutdownMicroprocess,
  System,
  producerFinished,
  shutdownMicroprocess,
} from "../../src/index.js";
import { Collector, tempDir, until } from "./helpers.js";

function watchInto(dir: string, options: ConstructorParameters<typeof DirectoryWatcher>[1] = {}) {
  const watcher = new DirectoryWatcher(dir, options);
  const out = new Collector<string>();
  const done = Pipeline(watcher, out).activate(new System()).finished();
  return { watcher, out, done };
}

test("reports existing files in name order, then each new file once", async () => {
  const dir = await tempDir();
  await writeFile(join(dir, "b.txt"), "b");
  await writeFile(join(dir, "a.txt"), "a");
  const { watcher, out, done } = watchInto(dir, { pollInterval: 30 });
  await until(() => out.got.length === 2, "the existing files");
  assert.deepEqual(out.got, [join(dir, "a.txt"), join(dir, "b.txt")]);
  writeFileSync(join(dir, "c.txt"), "c");
  await until(() => out.got.length === 3, "the new file");
  // More changes to a known file do not report it again; a later new file is reported.
  writeFileSync(join(dir, "c.txt"), "cc");
  writeFileSync(join(dir, "d.txt"), "d");
  await until(() => out.got.length === 4, "the second new file");
  assert.deepEqual(out.got.slice(2), [join(dir, "c.txt"), join(dir, "d.txt")]);
  watcher.control.deliver(shutdownMicroprocess(), "test");
  await done;
  assert.equal(out.got.length, 4);
});

test("a file moved away and a new one of the same name moved in is reported again", async () => {
  const dir = await tempDir();
  const elsewhere = await tempDir();
  const { watcher, out, done } = watchInto(dir, { pollInterval: 30 });
  writeFileSync(join(dir, "job"), "1");
  await until(() => out.got.length === 1, "the first job");
  renameSync(join(dir, "job"), join(elsewhere, "job1"));
  // A scan that lists a probe made after the move has also seen the job gone.
  writeFileSync(join(dir, "probe"), "");
  await until(() => out.got.length === 2, "the probe");
  writeFileSync(join(elsewhere, "job2"), "2");
  renameSync(join(elsewhere, "job2"), join(dir, "job"));
  await until(() => out.got.length === 3, "the second job of the same name");
  assert.deepEqual(out.got, [join(dir, "job"), join(dir, "probe"), join(dir, "job")]);
  watcher.control.deliver(shutdownMicroprocess(), "test");
  await done;
});

test("includeExisting: false reports only files that appear later; hidden files and directories are not reported", async () => {
  const dir = await tempDir();
  await writeFile(join(dir, "old"), "");
  const { watcher, out, done } = watchInto(dir, { includeExisting: false, pollInterval: 30 });
  await watcher.started();
  mkdirSync(join(dir, "subdir"));
  writeFileSync(join(dir, ".hidden"), "");
  writeFileSync(join(dir, "new"), "");
  await until(() => out.got.length >= 1, "the new file");
  watcher.control.deliver(producerFinished(), "test");
  await done;
  assert.deepEqual(out.got, [join(dir, "new")]);
});

test("producerFinished: one more scan, new files sent, then it is passed on", async () => {
  const dir = await tempDir();
  const { watcher, out, done } = watchInto(dir, { pollInterval: 60_000 });
  await watcher.started();
  writeFileSync(join(dir, "last"), "");
  const pf = producerFinished();
  watcher.control.deliver(pf, "test");
  await done;
  assert.deepEqual(out.got, [join(dir, "last")]);
  assert.equal(out.ended, pf);
});

test("shutdownMicroprocess: stops without another scan and is passed on", async () => {
  const dir = await tempDir();
  const { watcher, out, done } = watchInto(dir, { pollInterval: 60_000 });
  await watcher.started();
  writeFileSync(join(dir, "unseen"), "");
  const sm = shutdownMicroprocess();
  watcher.control.deliver(sm, "test");
  await done;
  assert.deepEqual(out.got, []);
  assert.equal(out.ended, sm);
  assert.ok(out.ended instanceof ShutdownMicroprocess);
});

test("a missing directory fails with a FileError naming the component and the path", async () => {
  const dir = join(await tempDir(), "nope");
  const watcher = new DirectoryWatcher(dir);
  const err = await watcher.run(new System()).then(() => null, (e: unknown) => e);
  assert.ok(err instanceof ComponentFailure);
  assert.ok(err.cause instanceof FileError);
  assert.equal(err.cause.message, `${watcher.name} cannot watch directory "${dir}": no such file or directory (ENOENT)`);
});

test("a file given as the directory fails with a FileError (ENOTDIR)", async () => {
  const f = join(await tempDir(), "plain");
  await writeFile(f, "");
  const watcher = new DirectoryWatcher(f);
  const err = await watcher.run(new System()).then(() => null, (e: unknown) => e);
  assert.ok(err instanceof ComponentFailure);
  assert.match((err.cause as Error).message, /cannot watch directory ".*plain": it is not a directory \(ENOTDIR\)/);
});

test("a directory that disappears while watched is reported once on error, and watching resumes when it returns", async () => {
  const dir = join(await tempDir(), "watched");
  await mkdir(dir);
  const watcher = new DirectoryWatcher(dir, { pollInterval: 20 });
  const out = new Collector<string>();
  const errors = new Collector<import("../../src/index.js").ErrorInformation>();
  const sys = new System();
  const p = Pipeline(watcher, out);
  p.link(watcher.error, errors.inbox);
  errors.activate(sys);
  const done = p.activate(sys).finished();
  const { rmSync } = await import("node:fs");
  await watcher.started();
  rmSync(dir, { recursive: true });
  await until(() => errors.got.length === 1, "the error report");
  await new Promise((r) => setTimeout(r, 100));
  assert.equal(errors.got.length, 1, "one report per outage");
  assert.match(errors.got[0]!.error.message, new RegExp(`${watcher.name} cannot read directory ".*watched": no such file`));
  mkdirSync(dir);
  writeFileSync(join(dir, "back"), "");
  await until(() => out.got.length === 1, "the file in the recreated directory");
  watcher.control.deliver(shutdownMicroprocess(), "test");
  await done;
  errors.stop();
});
