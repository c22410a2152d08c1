import { test } from "node:test";
import assert from "node:assert/strict";
import { createReadStream, createWriteStream } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { Readable, Writable } from "node:stream";
import {
  Component,
  ComponentFailure,
  Pipeline,
  ProducerFinished,
  ReadableSource,
  ShutdownMicroprocess,
  StreamError,
  System,
  WritableSink,
  producerFinished,
  shutdownMicroprocess,
} from "../../src/index.js";
import { Collector, tempDir, until } from "../file/helpers.js";

class Numbers extends Component<never, number> {
  count = 200;
  sent = 0;
  async main(): Promise<void> {
    for (let i = 0; i < this.count; i++) {
      await this.sendAsync(i);
      this.sent++;
    }
    this.passOnShutdown();
  }
}

test("ReadableSource → WritableSink copies a file through real fs streams, byte for byte", async () => {
  const dir = await tempDir();
  const src = join(dir, "src.bin");
  const dst = join(dir, "dst.bin");
  const data = randomBytes(1_500_000);
  await writeFile(src, data);
  const after = new Collector<never>();
  await Pipeline(new ReadableSource<Buffer>(createReadStream(src)), new WritableSink<Buffer>(createWriteStream(dst)), after).run(new System());
  assert.ok((await readFile(dst)).equals(data));
  assert.ok(after.ended instanceof ProducerFinished, "the sink passed on shutdown after the stream finished");
});

test("a slow Writable pauses the component feeding it: bounded in flight, nothing lost, order kept", async () => {
  const written: number[] = [];
  const producer = Numbers.create({ count: 300 });
  let maxInFlight = 0;
  const slow = new Writable({
    objectMode: true,
    highWaterMark: 2,
    write(chunk: number, _enc, cb) {
      maxInFlight = Math.max(maxInFlight, producer.sent - written.length);
      setTimeout(() => {
        written.push(chunk);
        cb();
      }, 1);
    },
  });
  await Pipeline(producer, new WritableSink<number>(slow, { inboxLimit: 4 })).run(new System());
  assert.deepEqual(written, Array.from({ length: 300 }, (_, i) => i));
  // sink inbox (4) + the stream's buffer (2) + the one being written + the one the producer has in hand
  assert.ok(maxInFlight <= 8, `in flight ${maxInFlight}`);
});

test("a component that stops reading pauses the Readable: it is pulled no further than its buffer", async () => {
  let pulled = 0;
  const readable = new Readable({
    objectMode: true,
    highWaterMark: 4,
    read() {
      if (pulled < 1000) this.push(pulled++);
      else this.push(null);
    },
  });
  const sink = new Collector<number>();
  sink.inbox.setSize(2);
  sink.slow = true;
  const source = new ReadableSource<number>(readable);
  const sys = new System();
  // The sink is not activated yet: it reads nothing, so its bounded inbox fills and the source must wait.
  const p = new Collector<never>();
  p.link(source.outbox, sink.inbox);
  p.link(source.signal, sink.control);
  source.activate(sys);
  await until(() => sink.dataReady() === 2, "the sink's inbox to fill");
  await new Promise((r) => setTimeout(r, 50));
  assert.ok(pulled <= 2 + 1 + 4 + 1, `pulled ${pulled} while nobody read`);
  sink.activate(sys);
  await sink.finished();
  assert.deepEqual(sink.got, Array.from({ length: 1000 }, (_, i) => i));
  assert.ok(sink.ended instanceof ProducerFinished);
});

test("ReadableSource: producerFinished sends what is buffered, then stops and passes it on", async () => {
  const readable = new Readable({ objectMode: true, read() {} });
  readable.push("a");
  readable.push("b");
  const source = new ReadableSource<string>(readable);
  const out = new Collector<string>();
  const p = Pipeline(source, out);
  const pf = producerFinished();
  source.control.deliver(pf, "test");
  await p.run(new System());
  assert.deepEqual(out.got, ["a", "b"]);
  assert.equal(out.ended, pf);
  assert.ok(readable.destroyed, "the stream was not ended, so stopping destroys it");
});

test("ReadableSource: shutdownMicroprocess stops at once and is passed on", async () => {
  const readable = new Readable({ objectMode: true, read() {} });
  const source = new ReadableSource<string>(readable);
  const out = new Collector<string>();
  const p = Pipeline(source, out);
  const sys = new System();
  const done = p.run(sys);
  readable.push("first");
  await until(() => out.got.length === 1, "the first chunk");
  const sm = shutdownMicroprocess();
  source.control.deliver(sm, "test");
  readable.push("ignored");
  await done;
  assert.deepEqual(out.got, ["first"]);
  assert.equal(out.ended, sm);
  assert.ok(out.ended instanceof ShutdownMicroprocess);
});

test("a Readable error fails the source with a StreamError naming it", async () => {
  const readable = new Readable({ read() {} });
  const source = new ReadableSource(readable);
  const done = Pipeline(source, new Collector()).run(new System());
  readable.destroy(new Error("disk on fire"));
  const err = await done.then(() => null, (e: unknown) => e);
  assert.ok(err instanceof ComponentFailure);
  assert.ok(err.cause instanceof StreamError);
  assert.equal(err.cause.message, `${source.name}: the Readable failed: disk on fire`);
});

test("WritableSink: shutdownMicroprocess writes nothing more, ends the stream, then passes it on", async () => {
  const written: string[] = [];
  let finishedBeforeSignal = false;
  const w = new Writable({
    objectMode: true,
    write(chunk: string, _e, cb) {
      written.push(chunk);
      cb();
    },
  });
  const sink = new WritableSink<string>(w);
  const after = new Collector<never>();
  after.onControl = () => (finishedBeforeSignal = w.writableFinished);
  const sm = shutdownMicroprocess();
  sink.control.deliver(sm, "test");
  sink.inbox.deliver("dropped", "test");
  await Pipeline(sink, after).run(new System());
  assert.deepEqual(written, []);
  assert.equal(after.ended, sm);
  assert.ok(finishedBeforeSignal);
});

test("WritableSink: producerFinished writes everything waiting, ends the stream, then passes it on", async () => {
  const written: string[] = [];
  const w = new Writable({
    objectMode: true,
    write(chunk: string, _e, cb) {
      written.push(chunk);
      setImmediate(cb);
    },
  });
  const sink = new WritableSink<string>(w, { inboxLimit: 10 });
  const after = new Collector<never>();
  for (const s of ["a", "b", "c"]) sink.inbox.deliver(s, "test");
  const pf = producerFinished();
  sink.control.deliver(pf, "test");
  await Pipeline(sink, after).run(new System());
  assert.deepEqual(written, ["a", "b", "c"]);
  assert.ok(w.writableFinished);
  assert.equal(after.ended, pf);
});

test("a Writable error fails the sink with a StreamError naming it", async () => {
  const w = new Writable({
    write(_c, _e, cb) {
      cb(new Error("pipe burst"));
    },
  });
  const sink = new WritableSink<string>(w);
  sink.inbox.deliver("x", "test");
  const err = await sink.run(new System()).then(() => null, (e: unknown) => e);
  assert.ok(err instanceof ComponentFailure);
  assert.equal((err.cause as Error).message, `${sink.name}: the Writable failed: pipe burst`);
});
