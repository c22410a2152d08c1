import { test } from "node:test";
import assert from "node:assert/strict";
import { ErrorInformation, ProducerFinished, ShutdownMicroprocess, producerFinished, shutdownMicroprocess } from "../../src/index.js";
import { Harness } from "../../src/testing/index.js";
import { FramingError, JsonDeFramer, JsonFramer, LengthPrefixDeFramer, LengthPrefixFramer, LineDeFramer, LineFramer } from "../../src/net/index.js";

function run<C extends LineDeFramer | LineFramer | JsonDeFramer | JsonFramer | LengthPrefixDeFramer | LengthPrefixFramer>(c: C, inputs: unknown[], end = producerFinished()) {
  const h = new Harness();
  h.activate(c);
  const out = h.collect(c.outbox as never);
  const sig = h.collect(c.signal);
  const errs = h.collect(c.errors);
  h.send(c, "inbox", ...inputs);
  h.control(c, end);
  h.runUntilIdle();
  out.take();
  sig.take();
  errs.take();
  return { out: out.messages as unknown[], sig: sig.messages, errs: errs.messages, h };
}

test("LineDeFramer: lines across chunks, \\r\\n, split UTF-8, last unterminated line on finish", () => {
  const euro = Buffer.from("€");
  const r = run(new LineDeFramer(), [Buffer.from("ab"), Buffer.from("c\r\nde"), Buffer.concat([Buffer.from("\n"), euro.subarray(0, 1)]), euro.subarray(1), "\ntail"]);
  assert.deepEqual(r.out, ["abc", "de", "€", "tail"]);
  assert.ok(r.sig[0] instanceof ProducerFinished);
});

test("LineDeFramer: a line over the limit fails the component (default) naming it and its inbox", () => {
  const r = run(LineDeFramer.create({ maxLineLength: 10 }), ["ok\n", "x".repeat(30)]);
  assert.deepEqual(r.out, ["ok"]);
  assert.equal(r.h.failures.length, 1);
  assert.match(r.h.failures[0]!.message, /LineDeFramer_\d+\.inbox: line longer than the limit of 10 bytes/);
  assert.equal((r.h.failures[0]!.cause as FramingError).code, "FRAME_TOO_LARGE");
});

test("LineDeFramer: with onBadFrame skip, an oversize line is reported on errors and the next lines still arrive", () => {
  const r = run(LineDeFramer.create({ maxLineLength: 10, onBadFrame: "skip" }), ["a\n", "y".repeat(8), "y".repeat(8), "yyy\nb\n", 42, "c\n"]);
  assert.deepEqual(r.out, ["a", "b", "c"]);
  assert.equal(r.errs.length, 2);
  assert.ok(r.errs[0] instanceof ErrorInformation);
  assert.match(r.errs[0]!.error.message, /line longer than the limit/);
  assert.match(r.errs[1]!.error.message, /expected bytes \(a Buffer or a string\), got a number/);
});

test("LineDeFramer: shutdownMicroprocess stops at once (waiting chunks dropped) and is passed on", () => {
  const r = run(new LineDeFramer(), ["a\nb\n", "c\n"], shutdownMicroprocess());
  assert.deepEqual(r.out, []);
  assert.ok(r.sig[0] instanceof ShutdownMicroprocess);
});

test("LineFramer: appends newlines; bad input is a clear error", () => {
  assert.deepEqual(run(new LineFramer(), ["a", "b"]).out, ["a\n", "b\n"]);
  const r = run(LineFramer.create({ onBadFrame: "skip" }), ["a", 3, "b"]);
  assert.deepEqual(r.out, ["a\n", "b\n"]);
  assert.match(r.errs[0]!.error.message, /LineFramer_\d+\.inbox: expected a string, got a number/);
});

test("length-prefixed frames survive any chunking; oversize frames are skipped and resynchronised", () => {
  const msgs = ["", "a", "hello", "x".repeat(5000), "é"];
  const framed = run(new LengthPrefixFramer(), msgs).out as Buffer[];
  const stream = Buffer.concat(framed);
  for (const size of [1, 3, 7, 4096]) {
    const chunks: Buffer[] = [];
    for (let i = 0; i < stream.length; i += size) chunks.push(stream.subarray(i, i + size));
    const r = run(new LengthPrefixDeFramer(), chunks);
    assert.deepEqual((r.out as Buffer[]).map((b) => b.toString()), msgs);
  }
  const big = Buffer.concat(run(new LengthPrefixFramer(), ["small", "z".repeat(100), "after"]).out as Buffer[]);
  const skip = run(LengthPrefixDeFramer.create({ maxFrameLength: 10, onBadFrame: "skip" }), [big.subarray(0, 20), big.subarray(20)]);
  assert.deepEqual((skip.out as Buffer[]).map((b) => b.toString()), ["small", "after"]);
  assert.match(skip.errs[0]!.error.message, /frame of 100 bytes is over the limit of 10 bytes/);
  const fail = run(LengthPrefixDeFramer.create({ maxFrameLength: 10 }), [big]);
  assert.match(fail.h.failures[0]!.message, /LengthPrefixDeFramer_\d+\.inbox: frame of 100 bytes/);
  const truncated = run(LengthPrefixDeFramer.create({ onBadFrame: "skip" }), [stream.subarray(0, stream.length - 1)]);
  assert.match(truncated.errs[0]!.error.message, /the stream ended inside a frame/);
});

test("JSON messages: round trip; malformed lines and unencodable values are clear errors", () => {
  const values = [1, "two", { three: [3] }, null, true];
  const text = (run(new JsonFramer(), values).out as string[]).join("");
  assert.deepEqual(run(new JsonDeFramer(), [text.slice(0, 5), text.slice(5)]).out, values);
  const cyc: Record<string, unknown> = {};
  cyc.self = cyc;
  const enc = run(JsonFramer.create({ onBadFrame: "skip" }), [1, cyc, undefined, 2]);
  assert.deepEqual(enc.out, ["1\n", "2\n"]);
  assert.equal(enc.errs.length, 2);
  assert.match(enc.errs[0]!.error.message, /JsonFramer_\d+\.inbox: cannot encode an object \(Object\) as JSON/);
  const dec = run(JsonDeFramer.create({ onBadFrame: "skip" }), ['{"a":1}\n{oops\n\n[2]\n']);
  assert.deepEqual(dec.out, [{ a: 1 }, [2]]);
  assert.match(dec.errs[0]!.error.message, /JsonDeFramer_\d+\.inbox: not valid JSON/);
  const fail = run(new JsonDeFramer(), ["{oops\n"]);
  assert.match(fail.h.failures[0]!.message, /not valid JSON/);
});

test("framers wait for room downstream: nothing lost into a bounded inbox", () => {
  const h = new Harness();
  const d = h.activate(new LineDeFramer());
  const out = h.collect(d.outbox);
  out.setLimit(2);
  h.send(d, "inbox", Array.from({ length: 100 }, (_, i) => `l${i}\n`).join(""));
  h.control(d, producerFinished());
  const got: string[] = [];
  for (let i = 0; i < 1000 && got.length < 100; i++) {
    h.runUntilIdle();
    assert.ok(out.pending <= 2);
    got.push(...out.take());
  }
  assert.deepEqual(got, Array.from({ length: 100 }, (_, i) => `l${i}`));
});
