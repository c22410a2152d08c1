import { test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import {
  Component,
  ComponentFailure,
  ErrorInformation,
  FileError,
  Pipeline,
  ProducerFinished,
  ReadFileAdaptor,
  ShutdownMicroprocess,
  SimpleFileWriter,
  System,
  producerFinished,
  shutdownMicroprocess,
} from "../../src/index.js";
import { Collector, openFdsTo, tempDir, until } from "./helpers.js";

/** Sends its items with sendAsync, then producerFinished (or the given control message). */
class Source<T> extends Component<never, T> {
  items: T[] = [];
  async main(): Promise<void> {
    for (const m of this.items) await this.sendAsync(m);
    this.passOnShutdown();
  }
}

function source<T>(items: T[]): Source<T> {
  const s = new Source<T>();
  s.items = items;
  return s;
}

test("writes strings and bytes in order; the signal is sent only after the file is complete and closed", async () => {
  const dir = await tempDir();
  const f = join(dir, "out.txt");
  const items: (string | Uint8Array)[] = [];
  for (let i = 0; i < 500; i++) items.push(i % 2 ? `line ${i}\n` : Buffer.from(`bytes ${i}\n`));
  const expected = items.map((m) => (typeof m === "string" ? m : Buffer.from(m).toString())).join("");
  const after = new Collector<never>();
  let seenAtSignal: { content: string; fds: string[] } | null = null;
  after.onControl = () => (seenAtSignal = { content: readFileSync(f, "utf8"), fds: openFdsTo(f) });
  const writer = new SimpleFileWriter(f);
  await Pipeline(source(items), writer, after).run(new System());
  assert.ok(after.ended instanceof ProducerFinished);
  assert.deepEqual(seenAtSignal, { content: expected, fds: [] });
  assert.equal(writer.bytesWritten, Buffer.byteLength(expected));
});

test("producerFinished: everything already waiting is written before it closes", async () => {
  const dir = await tempDir();
  const f = join(dir, "out.txt");
  const writer = new SimpleFileWriter(f);
  const after = new Collector<never>();
  const sys = new System();
  const p = Pipeline(writer, after);
  // Delivered before the writer has even opened its file.
  for (let i = 0; i < 100; i++) writer.inbox.deliver(`${i},`, "test");
  const pf = producerFinished();
  writer.control.deliver(pf, "test");
  await p.run(sys);
  assert.equal(await readFile(f, "utf8"), Array.from({ length: 100 }, (_, i) => `${i},`).join(""));
  assert.equal(after.ended, pf);
});

test("shutdownMicroprocess: closes at once, writes nothing more, passes it on", async () => {
  const dir = await tempDir();
  const f = join(dir, "out.txt");
  const writer = new SimpleFileWriter(f);
  const after = new Collector<never>();
  const sys = new System();
  const p = Pipeline(writer, after);
  p.activate(sys);
  writer.inbox.deliver("first\n", "test");
  await until(() => writer.bytesWritten === 6, "the first write");
  const sm = shutdownMicroprocess();
  writer.control.deliver(sm, "test");
  writer.inbox.deliver("too late\n", "test");
  await p.finished();
  assert.equal(await readFile(f, "utf8"), "first\n");
  assert.equal(after.ended, sm);
  assert.ok(after.ended instanceof ShutdownMicroprocess);
  assert.deepEqual(openFdsTo(f), []);
});

test("append mode adds to the end of an existing file", async () => {
  const dir = await tempDir();
  const f = join(dir, "log.txt");
  await writeFile(f, "old\n");
  await Pipeline(source<string>(["new 1\n", "new 2\n"]), new SimpleFileWriter(f, { mode: "a" })).run(new System());
  assert.equal(await readFile(f, "utf8"), "old\nnew 1\nnew 2\n");
});

test("a message that is neither string nor bytes is reported on error and writing carries on", async () => {
  const dir = await tempDir();
  const f = join(dir, "out.txt");
  const writer = new SimpleFileWriter(f);
  const errors = new Collector<ErrorInformation>();
  const src = source<string>(["a\n", 42 as unknown as string, "b\n"]);
  const p = Pipeline(src, writer);
  p.link(writer.error, errors.inbox);
  const sys = new System();
  errors.activate(sys);
  p.activate(sys);
  await p.finished();
  assert.equal(await readFile(f, "utf8"), "a\nb\n");
  await until(() => errors.got.length === 1, "the error report");
  assert.equal(errors.got[0]!.message, 42);
  assert.equal(errors.got[0]!.error.message, `${writer.name}.inbox: cannot write number to "${f}": send strings or bytes`);
  errors.stop();
});

test("a file that cannot be opened fails with a FileError naming the component and the path", async () => {
  const dir = await tempDir();
  const f = join(dir, "no-such-dir", "out.txt");
  const writer = new SimpleFileWriter(f);
  const err = await writer.run(new System()).then(() => null, (e: unknown) => e);
  assert.ok(err instanceof ComponentFailure);
  assert.ok(err.cause instanceof FileError);
  assert.equal(err.cause.message, `${writer.name} cannot open for writing "${f}": no such file or directory (ENOENT)`);
});

test("stop() from outside: what was written is flushed and the file closed before finished() resolves", async () => {
  const dir = await tempDir();
  const f = join(dir, "out.txt");
  const writer = new SimpleFileWriter(f);
  const sys = new System();
  writer.activate(sys);
  writer.inbox.deliver("kept\n", "test");
  await until(() => writer.bytesWritten === 5, "the write");
  writer.stop();
  await writer.finished();
  assert.deepEqual(openFdsTo(f), []);
  assert.equal(await readFile(f, "utf8"), "kept\n");
});

test("ReadFileAdaptor → SimpleFileWriter copies a file byte for byte through a bounded inbox", async () => {
  const dir = await tempDir();
  const src = join(dir, "src.bin");
  const dst = join(dir, "dst.bin");
  const data = randomBytes(2_000_000);
  await writeFile(src, data);
  const writer = new SimpleFileWriter(dst);
  writer.inbox.setSize(3);
  await Pipeline(ReadFileAdaptor.chunks(src, 4096), writer).run(new System());
  assert.ok((await readFile(dst)).equals(data));
});
