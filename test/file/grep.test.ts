import { test } from "node:test";
import assert from "node:assert/strict";
import { ErrorInformation, Grep, KamaeliaError, ProducerFinished, ShutdownMicroprocess, producerFinished, shutdownMicroprocess } from "../../src/index.js";
import { Harness } from "../../src/testing/index.js";

test("passes the lines the RegExp matches, in order", () => {
  const h = new Harness();
  const g = h.activate(new Grep(/pants/));
  const out = h.collect(g.outbox);
  h.send(g, "inbox", "shirt", "smarty pants", "socks", "pants on fire");
  h.runUntilIdle();
  out.take();
  assert.deepEqual(out.messages, ["smarty pants", "pants on fire"]);
});

test("a string pattern is compiled; invert gives grep -v; a /g pattern matches every line afresh", () => {
  const h = new Harness();
  const a = h.activate(new Grep("^a"));
  const v = h.activate(new Grep(/^a/, { invert: true }));
  const g = h.activate(new Grep(/a/g));
  const [oa, ov, og] = [h.collect(a.outbox), h.collect(v.outbox), h.collect(g.outbox)];
  for (const c of [a, v, g]) h.send(c, "inbox", "abc", "bca", "xyz", "aaa");
  h.runUntilIdle();
  assert.deepEqual([oa.take(), ov.take(), og.take()], [["abc", "aaa"], ["bca", "xyz"], ["abc", "bca", "aaa"]]);
});

test("an invalid pattern is refused, naming the component and the argument", () => {
  assert.throws(() => new Grep("(unclosed"), (e: unknown) => e instanceof KamaeliaError && /^Grep_\d+: pattern "\(unclosed" is not a valid RegExp/.test(e.message));
});

test("a message that is not a string goes out of error as ErrorInformation; filtering carries on", () => {
  const h = new Harness();
  const g = h.activate(new Grep(/x/));
  const out = h.collect(g.outbox);
  const errs = h.collect(g.error);
  h.send(g, "inbox", "x1", 42, "x2");
  h.runUntilIdle();
  assert.deepEqual(out.take(), ["x1", "x2"]);
  const [e] = errs.take();
  assert.ok(e instanceof ErrorInformation);
  assert.equal(e.message, 42);
  assert.equal(e.error.message, `${g.name}.inbox: expected a line of text (string), got number`);
});

test("a bounded downstream pauses it; nothing is lost", () => {
  const h = new Harness();
  const g = h.activate(new Grep(/./));
  const out = h.collect(g.outbox);
  out.setLimit(1);
  const lines = Array.from({ length: 50 }, (_, i) => `l${i}`);
  h.send(g, "inbox", ...lines);
  const got: string[] = [];
  for (let i = 0; i < 200 && got.length < 50; i++) {
    h.runUntilIdle();
    assert.ok(out.pending <= 1);
    got.push(...out.take());
    out.messages.length = 0;
  }
  assert.deepEqual(got, lines);
  assert.deepEqual(h.failures, []);
});

test("producerFinished: filters everything waiting, then passes it on", () => {
  const h = new Harness();
  const g = h.activate(new Grep(/a/));
  const out = h.collect(g.outbox);
  const sig = h.collect(g.signal);
  const pf = producerFinished();
  h.send(g, "inbox", "a1", "b", "a2");
  h.control(g, pf);
  h.runUntilIdle();
  assert.deepEqual(out.take(), ["a1", "a2"]);
  assert.deepEqual(sig.take(), [pf]);
  assert.ok(pf instanceof ProducerFinished);
  assert.ok(g.isFinished());
});

test("shutdownMicroprocess: stops at once, leaving what is waiting, and passes it on", () => {
  const h = new Harness();
  const g = h.activate(new Grep(/a/));
  const out = h.collect(g.outbox);
  const sig = h.collect(g.signal);
  const sm = shutdownMicroprocess();
  h.control(g, sm);
  h.send(g, "inbox", "a1", "a2");
  h.runUntilIdle();
  assert.deepEqual(out.take(), []);
  assert.deepEqual(sig.take(), [sm]);
  assert.ok(sm instanceof ShutdownMicroprocess);
  assert.ok(g.isFinished());
});
