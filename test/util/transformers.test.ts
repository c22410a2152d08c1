import { test } from "node:test";
import assert from "node:assert/strict";
import {
  ArgumentError,
  Chunk,
  Collate,
  Component,
  DataSource,
  DeMarshaller,
  ErrorInformation,
  Filter,
  Marshaller,
  MessageError,
  PassThrough,
  Pipeline,
  PureTransformer,
  StatefulTransformer,
  System,
  producerFinished,
  type Codec,
} from "../../src/index.js";
import { Harness } from "../../src/testing/index.js";
import { bounded } from "./support.js";

/** A sink that takes one message every few steps, so a bounded inbox fills up. */
class SlowSink<T> extends Component<T, never> {
  got: T[] = [];
  maxQueued = 0;
  *main(): Generator<unknown, void, unknown> {
    let tick = 0;
    for (;;) {
      this.maxQueued = Math.max(this.maxQueued, this.dataReady());
      if (++tick % 3 === 0 && this.dataReady() > 0) this.got.push(this.recv());
      if (this.checkShutdown() !== null && this.dataReady() === 0) return;
      yield;
    }
  }
}

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

test("PureTransformer sends fn(message) in order; undefined results are dropped", () => {
  const h = new Harness();
  const t = h.activate(PureTransformer((n: number) => (n % 3 === 0 ? undefined : `#${n}`)));
  const out = h.collect(t.outbox);
  h.send(t, "inbox", 1, 2, 3, 4);
  h.runUntilIdle();
  out.take();
  assert.deepEqual(out.messages, ["#1", "#2", "#4"]);
});

test("PureTransformer: a throwing function reports ErrorInformation on error, names the component, and keeps going", () => {
  const h = new Harness();
  const t = h.activate(
    PureTransformer((s: string) => {
      if (s === "bad") throw new RangeError("no bad words");
      return s.toUpperCase();
    }),
  );
  const out = h.collect(t.outbox);
  const errs = h.collect(t.error);
  h.send(t, "inbox", "a", "bad", "b");
  h.runUntilIdle();
  out.take();
  errs.take();
  assert.deepEqual(out.messages, ["A", "B"]);
  assert.equal(errs.messages.length, 1);
  const info = errs.messages[0]!;
  assert.ok(info instanceof ErrorInformation);
  assert.equal(info.caller, t);
  assert.equal(info.message, "bad");
  assert.ok(info.error instanceof MessageError);
  assert.match(info.error.message, new RegExp(`${t.name}.*inbox.*RangeError: no bad words`));
  assert.ok(t.isActive(), "still running");
  assert.deepEqual(h.failures, []);
});

test("construction errors name the component and the argument", () => {
  const bad: unknown = "not a function";
  const cases: [() => unknown, RegExp][] = [
    [() => PureTransformer(bad as (x: unknown) => unknown), /PureTransformerComponent_\d+: the transform must be a function, got a string/],
    [() => Filter(bad as (x: unknown) => boolean), /FilterComponent_\d+: the condition must be a function/],
    [() => StatefulTransformer(0, bad as () => [number]), /StatefulTransformerComponent_\d+: the step must be a function/],
    [() => StatefulTransformer(0, (s: number) => [s], 7 as unknown as () => number), /flush must be a function/],
    [() => new Chunk(0), /Chunk_\d+: the chunk size must be a positive integer, got a number \(0\)/],
    [() => new Chunk(1.5), /Chunk_\d+: the chunk size must be a positive integer/],
    [() => new Marshaller({} as Codec), /Marshaller_\d+: the codec must be an object with marshall/],
    [() => new DeMarshaller(null as unknown as Codec), /DeMarshaller_\d+: the codec must be/],
  ];
  for (const [make, pattern] of cases) {
    assert.throws(make, (e: unknown) => e instanceof ArgumentError && e.code === "BAD_ARGUMENT" && pattern.test(e.message), String(pattern));
  }
});

test("PureTransformer infers its types and type-checks inside a Pipeline", async () => {
  const sys = new System();
  const got: string[] = [];
  const sink = PureTransformer((s: string) => void got.push(s));
  await bounded(Pipeline(DataSource(1, 2, 3), PureTransformer((n: number) => n * 2), PureTransformer((n: number) => `=${n}`), sink).run(sys));
  assert.deepEqual(got, ["=2", "=4", "=6"]);
  // @ts-expect-error a stage that takes strings cannot follow one that sends numbers
  Pipeline(DataSource(1, 2), PureTransformer((s: string) => s.length));
  // @ts-expect-error nor can a number stage follow a string one
  Pipeline(PureTransformer((n: number) => `${n}`), PureTransformer((n: number) => n + 1));
});

test("Filter with a type guard narrows its output type", () => {
  const f = Filter((x: string | number): x is string => typeof x === "string");
  const t = PureTransformer((s: string) => s.length);
  Pipeline(f, t);
  // @ts-expect-error without a guard the output stays string | number
  Pipeline(Filter((x: string | number) => String(x).length > 1), t);
});

test("StatefulTransformer threads state; a throwing step leaves the state alone and is reported", () => {
  const h = new Harness();
  const t = h.activate(
    StatefulTransformer(
      { sum: 0, n: 0 },
      (s, x: number) => {
        if (Number.isNaN(x)) throw new Error("NaN");
        const next = { sum: s.sum + x, n: s.n + 1 };
        return [next, next.sum] as const;
      },
      (s) => -s.sum / s.n,
    ),
  );
  const out = h.collect(t.outbox);
  const errs = h.collect(t.error);
  h.send(t, "inbox", 2, NaN, 4, 6);
  h.control(t, producerFinished());
  h.runUntilIdle();
  out.take();
  errs.take();
  assert.deepEqual(out.messages, [2, 6, 12, -4]);
  assert.equal(errs.messages.length, 1);
  assert.ok(Number.isNaN(errs.messages[0]!.message));
});

test("StatefulTransformer: a step returning no output sends nothing", () => {
  const h = new Harness();
  const t = h.activate(StatefulTransformer(0, (s: number, _x: string) => [s + 1] as const));
  const out = h.collect(t.outbox);
  h.send(t, "inbox", "a", "b");
  h.runUntilIdle();
  assert.deepEqual(out.take(), []);
  assert.equal(t.state, 2);
});

for (const [name, make] of [
  ["PassThrough", () => new PassThrough<number>()],
  ["PureTransformer", () => PureTransformer((n: number) => n)],
  ["Filter", () => Filter((_n: number) => true)],
  ["StatefulTransformer", () => StatefulTransformer(0, (s: number, n: number) => [s, n] as const)],
  ["Marshaller→DeMarshaller", () => Pipeline(new Marshaller<number>(), new DeMarshaller<number>())],
] as const) {
  test(`${name} loses nothing and keeps order when downstream is bounded (limit 1)`, () => {
    const h = new Harness();
    const sink = new SlowSink<number>();
    sink.inbox.setSize(1);
    h.activate(Pipeline(DataSource(...range(300)), make(), sink));
    h.runUntilIdle();
    assert.deepEqual(sink.got, range(300));
    assert.ok(sink.maxQueued <= 1);
    assert.deepEqual(h.failures, []);
  });
}

test("Chunk groups in order and flushes the remainder on producerFinished; Collate sends everything at once", () => {
  for (const [size, n] of [[1, 3], [3, 9], [4, 10], [5, 2]] as const) {
    const h = new Harness();
    const c = h.activate(new Chunk<number>(size));
    const out = h.collect(c.outbox);
    h.send(c, "inbox", ...range(n));
    h.control(c, producerFinished());
    h.runUntilIdle();
    out.take();
    assert.deepEqual(out.messages.flat(), range(n));
    assert.ok(out.messages.slice(0, -1).every((a) => a.length === size));
    assert.equal(out.messages.length, Math.ceil(n / size));
  }
  const h = new Harness();
  const c = h.activate(new Collate<number>());
  const out = h.collect(c.outbox);
  h.send(c, "inbox", 1, 2);
  h.runUntilIdle();
  assert.deepEqual(out.take(), [], "nothing until the stream finishes");
  h.send(c, "inbox", 3);
  h.control(c, producerFinished());
  h.runUntilIdle();
  assert.deepEqual(out.take(), [[1, 2, 3]]);
});

test("Marshaller/DeMarshaller round-trip JSON; bad JSON and bad input go to error and the stream carries on", () => {
  const h = new Harness();
  const m = h.activate(new Marshaller());
  const d = h.activate(new DeMarshaller());
  const mOut = h.collect(m.outbox);
  const mErr = h.collect(m.error);
  const dOut = h.collect(d.outbox);
  const dErr = h.collect(d.error);
  const cyclic: Record<string, unknown> = {};
  cyclic.self = cyclic;
  h.send(m, "inbox", { a: [1, "x"] }, cyclic, 10n, undefined, "ok");
  h.send(d, "inbox", '{"a":[1,"x"]}', "{not json", Buffer.from("[1,2]"), 42, new Uint8Array([0xff, 0xfe]), "null");
  h.runUntilIdle();
  for (const c of [mOut, mErr, dOut, dErr]) c.take();
  assert.deepEqual(mOut.messages, ['{"a":[1,"x"]}', '"ok"']);
  assert.equal(mErr.messages.length, 3);
  assert.deepEqual(dOut.messages, [{ a: [1, "x"] }, [1, 2], null]);
  assert.deepEqual(
    dErr.messages.map((e) => e.message),
    ["{not json", 42, new Uint8Array([0xff, 0xfe])],
  );
  for (const e of [...mErr.messages, ...dErr.messages]) {
    assert.ok(e instanceof ErrorInformation);
    assert.ok(e.error instanceof MessageError);
    assert.equal(e.error.code, "BAD_MESSAGE");
  }
  assert.match(dErr.messages[0]!.error.message, new RegExp(`^${d.name}: a message on inbox could not be decoded \\(SyntaxError`));
  assert.ok(m.isActive() && d.isActive());
  assert.deepEqual(h.failures, []);
});

test("Marshaller/DeMarshaller take a custom codec", () => {
  const h = new Harness();
  const codec: Codec<number[]> = { marshall: (v) => v.join(","), demarshall: (t) => t.split(",").map(Number) };
  const p = h.activate(Pipeline(new Marshaller(codec), PureTransformer((s: string) => `${s},9`), new DeMarshaller(codec)));
  const out = h.collect(p.outbox);
  h.send(p, "inbox", [1, 2]);
  h.runUntilIdle();
  assert.deepEqual(out.take(), [[1, 2, 9]]);
});
