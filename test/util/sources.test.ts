import { test } from "node:test";
import assert from "node:assert/strict";
import {
  ArgumentError,
  Chooser,
  Clock,
  DataSource,
  ErrorInformation,
  MessageRateLimit,
  NullSink,
  OneShot,
  Pipeline,
  ProducerFinished,
  TriggeredOneShot,
  shutdownMicroprocess,
  type ChooserCommand,
} from "../../src/index.js";
import { Harness } from "../../src/testing/index.js";
import { runAll } from "./support.js";

test("DataSource sends its messages in order, then producerFinished, and ends", async () => {
  const h = new Harness();
  const s = h.activate(DataSource("a", "b", "c"));
  const out = h.collect(s.outbox);
  const sig = h.collect(s.signal);
  await runAll(h);
  assert.deepEqual(out.take(), ["a", "b", "c"]);
  const [pf] = sig.take();
  assert.ok(pf instanceof ProducerFinished);
  assert.equal(pf.caller, s);
});

test("DataSource.from sends a large lazy iterable without loss, giving way to others meanwhile", async () => {
  const h = new Harness();
  function* numbers(): Generator<number> {
    for (let i = 0; i < 10_000; i++) yield i;
  }
  const sink = new NullSink();
  h.activate(Pipeline(DataSource.from(numbers()), sink));
  await runAll(h);
  assert.equal(sink.count, 10_000);
  assert.throws(() => DataSource.from(5 as unknown as Iterable<number>), (e: unknown) => e instanceof ArgumentError && /DataSourceComponent_\d+: the items must be an iterable/.test(e.message));
});

test("DataSource feeding a Pipeline ends the whole Pipeline (producerFinished travels down)", async () => {
  const h = new Harness();
  const sink = new NullSink();
  const p = h.activate(Pipeline(DataSource(1, 2, 3), sink));
  await runAll(h);
  assert.ok(p.isFinished());
  assert.equal(sink.count, 3);
});

test("Clock ticks 1, 2, 3 … and finishes after count ticks", async () => {
  const h = new Harness();
  const c = h.activate(new Clock(2, 5));
  const out = h.collect(c.outbox);
  const sig = h.collect(c.signal);
  await runAll(h);
  assert.deepEqual(out.take(), [1, 2, 3, 4, 5]);
  assert.ok(sig.take()[0] instanceof ProducerFinished);
});

test("Clock answers a shutdown message at once even in a long interval", async () => {
  const h = new Harness();
  const c = h.activate(new Clock(60_000));
  const sig = h.collect(c.signal);
  h.runUntilIdle();
  const sm = shutdownMicroprocess();
  setTimeout(() => h.control(c, sm), 20);
  await runAll(h, 10_000);
  assert.deepEqual(sig.take(), [sm]);
});

test("Clock and MessageRateLimit reject non-positive intervals and rates, naming the component", () => {
  for (const bad of [0, -1, NaN, Infinity, "5" as unknown as number]) {
    assert.throws(() => new Clock(bad), (e: unknown) => e instanceof ArgumentError && /^Clock_\d+: the interval \(ms\) must be a positive number/.test(e.message));
    assert.throws(
      () => new MessageRateLimit(bad),
      (e: unknown) => e instanceof ArgumentError && /^MessageRateLimit_\d+: the rate \(messages per second\) must be a positive number/.test(e.message),
    );
  }
  assert.throws(() => new Clock(10, 0), /Clock_\d+: the count must be a positive integer/);
});

test("MessageRateLimit passes everything on, in order, spaced by at least 1/rate", async () => {
  const h = new Harness();
  const rate = 100;
  const n = 11;
  const r = new MessageRateLimit<number>(rate);
  const p = h.activate(Pipeline(DataSource(...Array.from({ length: n }, (_, i) => i)), r));
  const out = h.collect(p.outbox);
  const started = performance.now();
  await runAll(h);
  const elapsed = performance.now() - started;
  assert.deepEqual(out.take(), Array.from({ length: n }, (_, i) => i));
  // A lower bound only: n messages need at least (n - 1) gaps; a slow machine only makes it longer.
  assert.ok(elapsed >= ((n - 1) * 1000) / rate - 5, `released ${n} messages in ${elapsed.toFixed(1)} ms`);
});

test("MessageRateLimit answers shutdownMicroprocess mid-wait and drops what is waiting", async () => {
  const h = new Harness();
  const r = h.activate(new MessageRateLimit<number>(0.01));
  const out = h.collect(r.outbox);
  h.send(r, "inbox", 1, 2, 3);
  await h.settle();
  assert.deepEqual(out.take(), [1], "the first goes at once, the next waits 100 s");
  h.control(r, shutdownMicroprocess());
  await runAll(h);
  assert.deepEqual(out.take(), []);
});

test("OneShot sends once then finishes; TriggeredOneShot waits for a trigger and fires once", async () => {
  const h = new Harness();
  const o = h.activate(new OneShot({ hello: 1 }));
  const t = h.activate(new TriggeredOneShot("fire"));
  const oo = h.collect(o.outbox);
  const to = h.collect(t.outbox);
  const ts = h.collect(t.signal);
  h.runUntilIdle();
  assert.deepEqual(oo.take(), [{ hello: 1 }]);
  assert.ok(o.isFinished());
  assert.deepEqual(to.take(), [], "nothing until triggered");
  assert.ok(t.isActive());
  h.send(t, "inbox", "x", "y");
  await runAll(h);
  assert.deepEqual(to.take(), ["fire"]);
  assert.ok(ts.take()[0] instanceof ProducerFinished);
});

test("Chooser: sends the first item at start; NEXT/PREV stop at the ends; FIRST/LAST/SAME", () => {
  const h = new Harness();
  const c = h.activate(new Chooser(["a", "b", "c"]));
  const out = h.collect(c.outbox);
  h.runUntilIdle();
  const cmds: ChooserCommand[] = ["PREV", "NEXT", "NEXT", "NEXT", "SAME", "FIRST", "LAST", "PREV"];
  h.send(c, "inbox", ...cmds);
  h.runUntilIdle();
  assert.deepEqual(out.take(), ["a", "a", "b", "c", "c", "c", "a", "c", "b"]);
});

test("Chooser with loop wraps round; unknown commands are reported on error and ignored", () => {
  const h = new Harness();
  const c = h.activate(new Chooser([1, 2], true));
  const out = h.collect(c.outbox);
  const errs = h.collect(c.error);
  h.send(c, "inbox", "NEXT", "NEXT", "BACK", "PREV", "PREV");
  h.runUntilIdle();
  assert.deepEqual(out.take(), [1, 2, 1, 2, 1]);
  const [e] = errs.take();
  assert.ok(e instanceof ErrorInformation);
  assert.equal(e.message, "BACK");
  assert.match(e.error.message, /^Chooser_\d+: a message on inbox is a string \("BACK"\), not "NEXT", "PREV", "FIRST", "LAST" or "SAME"/);
  assert.ok(c.isActive());
  assert.throws(() => new Chooser("abc" as unknown as string[]), /Chooser_\d+: the items must be an array/);
});

test("Chooser with no items sends nothing and does not fail", () => {
  const h = new Harness();
  const c = h.activate(new Chooser<string>([]));
  const out = h.collect(c.outbox);
  h.send(c, "inbox", "NEXT", "LAST", "PREV");
  h.runUntilIdle();
  assert.deepEqual(out.take(), []);
  assert.equal(c.index, 0);
});
