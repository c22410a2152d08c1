import { test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import {
  ComponentFailure,
  ErrorInformation,
  FileError,
  KamaeliaError,
  Pipeline,
  ProducerFinished,
  ReadFileAdaptor,
  ShutdownMicroprocess,
  System,
  producerFinished,
  shutdownMicroprocess,
} from "../../src/index.js";
import { Collector, openFdsTo, tempDir, until } from "./helpers.js";

test("line mode sends each line without its newline, then producerFinished", async () => {
  const dir = await tempDir();
  const f = join(dir, "in.txt");
  await writeFile(f, "alpha\nbeta\r\n\ngamma é\ndelta");
  const out = new Collector<string>();
  await Pipeline(ReadFileAdaptor.lines(f), out).run(new System());
  assert.deepEqual(out.got, ["alpha", "beta", "", "gamma é", "delta"]);
  assert.ok(out.ended instanceof ProducerFinished);
  assert.deepEqual(openFdsTo(f), []);
});

test("a multi-byte character split across reads is decoded whole", async () => {
  const dir = await tempDir();
  const f = join(dir, "in.txt");
  const line = "ünïcødé—€".repeat(50);
  await writeFile(f, `${line}\n${line}\n`);
  const out = new Collector<string>();
  await Pipeline(new ReadFileAdaptor<string>(f, { readmode: "line", chunkSize: 7 }), out).run(new System());
  assert.deepEqual(out.got, [line, line]);
});

test("chunk mode sends the whole file, in order, in chunks of at most chunkSize", async () => {
  const dir = await tempDir();
  const f = join(dir, "in.bin");
  const data = randomBytes(300_000);
  await writeFile(f, data);
  const out = new Collector<Buffer>();
  await Pipeline(ReadFileAdaptor.chunks(f, 7000), out).run(new System());
  assert.ok(out.got.every((c) => c.length <= 7000));
  assert.equal(out.got.length, Math.ceil(300_000 / 7000));
  assert.ok(Buffer.concat(out.got).equals(data));
});

test("a bounded, slow consumer pauses the reader; nothing lost, order kept", async () => {
  const dir = await tempDir();
  const f = join(dir, "in.txt");
  const lines = Array.from({ length: 2000 }, (_, i) => `line ${i}`);
  await writeFile(f, lines.join("\n") + "\n");
  const out = Collector.create({ slow: true }) as Collector<string>;
  out.inbox.setSize(2);
  let maxQueued = 0;
  const probe = setInterval(() => (maxQueued = Math.max(maxQueued, out.dataReady())), 1);
  await Pipeline(ReadFileAdaptor.lines(f), out).run(new System());
  clearInterval(probe);
  assert.deepEqual(out.got, lines);
  assert.ok(maxQueued <= 2, `queued ${maxQueued}`);
});

test("a line that is not UTF-8 goes out of error as ErrorInformation; the lines around it survive", async () => {
  const dir = await tempDir();
  const f = join(dir, "in.txt");
  await writeFile(f, Buffer.concat([Buffer.from("good 1\n"), Buffer.from([0x62, 0x61, 0x64, 0xff, 0xfe, 0x0a]), Buffer.from("good 2\n")]));
  const reader = ReadFileAdaptor.lines(f);
  const out = new Collector<string>();
  const errors = new Collector<ErrorInformation>();
  const p = Pipeline(reader, out);
  p.link(reader.error, errors.inbox);
  const sys = new System();
  p.activate(sys);
  errors.activate(sys);
  await p.finished();
  assert.deepEqual(out.got, ["good 1", "good 2"]);
  await until(() => errors.got.length === 1, "the error report");
  const info = errors.got[0]!;
  assert.ok(info instanceof ErrorInformation);
  assert.match(info.error.message, new RegExp(`${reader.name}: ".*in.txt" line 2: .*not valid UTF-8`));
  assert.deepEqual(info.message, Buffer.from([0x62, 0x61, 0x64, 0xff, 0xfe]));
  errors.stop();
});

test("a missing file fails with a FileError naming the component and the path", async () => {
  const dir = await tempDir();
  const f = join(dir, "nope.txt");
  const reader = ReadFileAdaptor.lines(f);
  const err = await Pipeline(reader, new Collector<string>()).run(new System()).then(
    () => assert.fail("should have failed"),
    (e: unknown) => e,
  );
  assert.ok(err instanceof ComponentFailure);
  assert.equal(err.component, reader.name);
  assert.ok(err.cause instanceof FileError);
  assert.equal(err.cause.message, `${reader.name} cannot read "${f}": no such file or directory (ENOENT)`);
});

test("a directory given as the file fails with a FileError naming the path", async () => {
  const dir = await tempDir();
  const reader = ReadFileAdaptor.lines(dir);
  const err = await reader.run(new System()).then(() => null, (e: unknown) => e);
  assert.ok(err instanceof ComponentFailure);
  assert.match((err.cause as Error).message, new RegExp(`${reader.name} cannot read ".*": it is a directory`));
});

test("bad settings are refused at construction, naming the component and the setting", () => {
  assert.throws(() => ReadFileAdaptor.paced("x", 0), (e: unknown) => e instanceof KamaeliaError && /ReadFileAdaptor_\d+: "bitrate" mode needs a bitrate > 0/.test(e.message));
  assert.throws(() => ReadFileAdaptor.chunks("x", -1), /ReadFileAdaptor_\d+: chunkSize must be a positive integer, got -1/);
});

/** A paced reader that would take ~minutes for the whole file; returns it and its sink once one chunk arrived. */
async function pacedStarted(): Promise<{ reader: ReadFileAdaptor<Buffer>; out: Collector<Buffer>; data: Buffer; sys: System; done: Promise<void> }> {
  const dir = await tempDir();
  const f = join(dir, "in.bin");
  const data = randomBytes(100 * 1024);
  await writeFile(f, data);
  // 1024-byte chunks at 8192 bit/s: one chunk a second, 100 seconds for the file.
  const reader = ReadFileAdaptor.paced(f, 8192, 1024);
  const out = new Collector<Buffer>();
  const sys = new System();
  const done = Pipeline(reader, out).run(sys);
  await until(() => out.got.length >= 1, "the first chunk");
  return { reader, out, data, sys, done };
}

test("bitrate mode paces chunks; producerFinished sends the rest unpaced, then passes it on", async () => {
  const { reader, out, data, done } = await pacedStarted();
  const pf = producerFinished();
  reader.control.deliver(pf, "test");
  await done;
  assert.ok(Buffer.concat(out.got).equals(data));
  assert.equal(out.ended, pf);
});

test("bitrate mode: shutdownMicroprocess stops at once and is passed on", async () => {
  const { reader, out, data, done } = await pacedStarted();
  const sm = shutdownMicroprocess();
  reader.control.deliver(sm, "test");
  await done;
  assert.ok(out.got.length < data.length / 1024, `got ${out.got.length} chunks`);
  assert.ok(data.subarray(0, out.got.length * 1024).equals(Buffer.concat(out.got)));
  assert.equal(out.ended, sm);
  assert.ok(out.ended instanceof ShutdownMicroprocess);
});

test("stop() from outside closes the file before finished() resolves", async () => {
  const { reader, done, sys } = await pacedStarted();
  reader.stop();
  await reader.finished();
  assert.deepEqual(openFdsTo(reader.filename), []);
  sys.stop();
  await done;
});
