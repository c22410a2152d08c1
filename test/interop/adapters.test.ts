import { test } from "node:test";
import assert from "node:assert/strict";
import { EventEmitter } from "node:events";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  ComponentFailure,
  ErrorInformation,
  EventSink,
  EventSource,
  Follow,
  Grep,
  IterableSource,
  Pipeline,
  ProducerFinished,
  ShutdownMicroprocess,
  StreamError,
  System,
  finishedSignal,
  producerFinished,
  shutdownMicroprocess,
  stopOnAbort,
} from "../../src/index.js";
import { Collector, tempDir, until } from "../file/helpers.js";

test("IterableSource sends an array, a generator and an async generator in order, then producerFinished", async () => {
  async function* agen() {
    for (let i = 0; i < 3; i++) {
      await new Promise((r) => setImmediate(r));
      yield `async ${i}`;
    }
  }
  function* gen() {
    yield "g0";
    yield "g1";
  }
  for (const [src, want] of [
    [["x", "y"], ["x", "y"]],
    [gen(), ["g0", "g1"]],
    [agen(), ["async 0", "async 1", "async 2"]],
  ] as const) {
    const out = new Collector<string>();
    await Pipeline(new IterableSource<string>(src), out).run(new System());
    assert.deepEqual(out.got, want);
    assert.ok(out.ended instanceof ProducerFinished);
  }
});

test("IterableSource pulls a lazy iterable no faster than a bounded consumer takes it", async () => {
  let pulled = 0;
  function* endless() {
    for (;;) yield pulled++;
  }
  const out = Collector.create({ slow: true }) as Collector<number>;
  out.inbox.setSize(2);
  const src = new IterableSource<number>(endless());
  const sys = new System();
  const done = Pipeline(src, out).run(sys);
  await until(() => out.got.length >= 100, "100 values");
  assert.ok(pulled - out.got.length <= 4, `pulled ${pulled}, consumed ${out.got.length}`);
  const sm = shutdownMicroprocess();
  src.control.deliver(sm, "test");
  await done;
  assert.deepEqual(out.got, Array.from({ length: out.got.length }, (_, i) => i));
  assert.equal(out.ended, sm);
});

test("IterableSource: producerFinished cuts short an async iterator that never yields again", async () => {
  async function* stuck() {
    yield 1;
    await new Promise(() => undefined);
    yield 2;
  }
  const src = new IterableSource<number>(stuck());
  const out = new Collector<number>();
  const done = Pipeline(src, out).run(new System());
  await until(() => out.got.length === 1, "the first value");
  const pf = producerFinished();
  src.control.deliver(pf, "test");
  await done;
  assert.deepEqual(out.got, [1]);
  assert.equal(out.ended, pf);
});

test("IterableSource: shutdown returns the iterator, so its finally runs before the component finishes", async () => {
  let cleaned = false;
  function* endless() {
    try {
      for (let i = 0; ; i++) yield i;
    } finally {
      cleaned = true;
    }
  }
  const src = new IterableSource<number>(endless());
  const out = new Collector<number>();
  out.inbox.setSize(1);
  out.slow = true;
  const done = Pipeline(src, out).run(new System());
  await until(() => out.got.length >= 3, "some values");
  const sm = shutdownMicroprocess();
  src.control.deliver(sm, "test");
  await src.finished();
  assert.ok(cleaned);
  await done;
  assert.equal(out.ended, sm);
});

test("IterableSource: an iterable that throws fails the component with its error", async () => {
  function* bad() {
    yield 1;
    throw new Error("broken iterable");
  }
  const src = new IterableSource<number>(bad());
  const err = await Pipeline(src, new Collector<number>()).run(new System()).then(() => null, (e: unknown) => e);
  assert.ok(err instanceof ComponentFailure);
  assert.equal(err.component, src.name);
  assert.match(err.message, /broken iterable/);
});

test("EventSource: events become messages in order, none lost while downstream is full; the end event finishes it", async () => {
  const em = new EventEmitter();
  const src = new EventSource<number>(em, "data", { end: "end" });
  const out = Collector.create({ slow: true }) as Collector<number>;
  out.inbox.setSize(1);
  const done = Pipeline(src, out).run(new System());
  await new Promise((r) => setImmediate(r));
  for (let i = 0; i < 500; i++) em.emit("data", i);
  em.emit("end");
  await done;
  assert.deepEqual(out.got, Array.from({ length: 500 }, (_, i) => i));
  assert.ok(out.ended instanceof ProducerFinished);
  assert.equal(em.listenerCount("data"), 0, "listeners removed");
  assert.equal(em.listenerCount("error"), 0);
});

test("EventSource: allArgs, shutdownMicroprocess, and the error event", async () => {
  const em = new EventEmitter();
  const src = new EventSource<unknown[]>(em, "pair", { allArgs: true });
  const out = new Collector<unknown[]>();
  const done = Pipeline(src, out).run(new System());
  await until(() => em.listenerCount("pair") === 1, "the listener");
  em.emit("pair", 1, "a");
  await until(() => out.got.length === 1, "the event");
  const sm = shutdownMicroprocess();
  src.control.deliver(sm, "test");
  await done;
  assert.deepEqual(out.got, [[1, "a"]]);
  assert.equal(out.ended, sm);
  assert.ok(out.ended instanceof ShutdownMicroprocess);

  const em2 = new EventEmitter();
  const src2 = new EventSource(em2, "data");
  const done2 = src2.run(new System());
  await until(() => em2.listenerCount("error") === 1, "the error listener");
  em2.emit("error", new Error("socket reset"));
  const err = await done2.then(() => null, (e: unknown) => e);
  assert.ok(err instanceof ComponentFailure);
  assert.ok(err.cause instanceof StreamError);
  assert.equal(err.cause.message, `${src2.name}: the EventEmitter ("error" event) failed: socket reset`);
});

test("EventSource: producerFinished sends what is held, then stops", async () => {
  const em = new EventEmitter();
  const src = new EventSource<string>(em, "data");
  const out = new Collector<string>();
  out.inbox.setSize(1);
  out.slow = true;
  const sys = new System();
  const holder = new Collector<never>();
  holder.link(src.outbox, out.inbox);
  holder.link(src.signal, out.control);
  src.activate(sys);
  await until(() => em.listenerCount("data") === 1, "the listener");
  for (const s of ["a", "b", "c"]) em.emit("data", s);
  const pf = producerFinished();
  src.control.deliver(pf, "test");
  out.activate(sys);
  await out.finished();
  assert.deepEqual(out.got, ["a", "b", "c"]);
  assert.equal(out.ended, pf);
});

test("EventSink emits each message; a throwing listener is reported on error and the next message still goes out", async () => {
  const em = new EventEmitter();
  const seen: string[] = [];
  em.on("msg", (m: string) => {
    seen.push(m);
    if (m === "bad") throw new Error("listener broke");
  });
  const sink = new EventSink<string>(em, "msg");
  const errors = new Collector<ErrorInformation>();
  const sys = new System();
  const holder = new Collector<never>();
  holder.link(sink.error, errors.inbox);
  errors.activate(sys);
  for (const m of ["a", "bad", "b"]) sink.inbox.deliver(m, "test");
  const pf = producerFinished();
  sink.control.deliver(pf, "test");
  await sink.activate(sys).finished();
  assert.deepEqual(seen, ["a", "bad", "b"]);
  await until(() => errors.got.length === 1, "the report");
  assert.equal(errors.got[0]!.error.message, `${sink.name}: a listener for "msg" threw: listener broke`);
  assert.equal(errors.got[0]!.message, "bad");
  errors.stop();

  const sink2 = new EventSink<string>(em, "msg");
  const sm = shutdownMicroprocess();
  sink2.control.deliver(sm, "test");
  sink2.inbox.deliver("never", "test");
  await sink2.run(new System());
  assert.ok(!seen.includes("never"));
  assert.equal(sink2.shutdownMessage, sm);
});

test("stopOnAbort: aborting shuts a Follow | Grep pipeline down through control; finishedSignal aborts when it ends", async () => {
  const dir = await tempDir();
  const f = join(dir, "log");
  writeFileSync(f, "");
  const ac = new AbortController();
  const follower = new Follow(f);
  const out = new Collector<string>();
  const p = Pipeline(follower, new Grep(/x/), out);
  stopOnAbort(p, ac.signal);
  const ended = finishedSignal(p);
  const done = p.run(new System());
  await follower.started();
  assert.equal(ended.aborted, false);
  ac.abort();
  await done;
  assert.ok(out.ended instanceof ShutdownMicroprocess);
  await until(() => ended.aborted, "finishedSignal to abort");
  assert.match(String((ended.reason as Error).message), /PipelineComponent_\d+ finished/);
});

test("stopOnAbort with 'finish' sends producerFinished; an already aborted signal acts at once", async () => {
  const ac = new AbortController();
  ac.abort();
  const src = new IterableSource<number>([1, 2, 3]);
  const out = new Collector<number>();
  const p = Pipeline(src, out);
  stopOnAbort(p, ac.signal, "finish");
  await p.run(new System());
  assert.ok(out.ended instanceof ProducerFinished);
  assert.equal((out.ended as ProducerFinished).caller, ac.signal);
});
