/**
 * Every util component against the shared shutdown convention: producerFinished
 * finishes what is waiting and is passed on; shutdownMicroprocess stops at once
 * (nothing waiting is handled) and is passed on.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { PassThrough as StreamPassThrough } from "node:stream";
import {
  AddSink,
  Chooser,
  Chunk,
  Clock,
  Collate,
  ConsoleEchoer,
  ConsoleReader,
  DataSource,
  DeMarshaller,
  Fanout,
  Filter,
  Marshaller,
  MessageRateLimit,
  NullSink,
  OneShot,
  PassThrough,
  PureTransformer,
  Router,
  Splitter,
  StatefulTransformer,
  TriggeredOneShot,
  TwoWaySplitter,
  producerFinished,
  shutdownMicroprocess,
  type AnyComponent,
  type Outbox,
} from "../../src/index.js";
import { Harness } from "../../src/testing/index.js";
import { Idle, runAll } from "./support.js";

interface Case {
  name: string;
  make(h: Harness): { c: AnyComponent; outs: Outbox<unknown>[]; signals?: Outbox<unknown>[]; extra?: () => unknown[] };
  input: unknown[];
  /** What each of `outs` carries after producerFinished. */
  finished: unknown[][];
}

const cases: Case[] = [
  { name: "PassThrough", make: () => one(new PassThrough()), input: [1, 2, 3], finished: [[1, 2, 3]] },
  { name: "PureTransformer", make: () => one(PureTransformer((x: number) => x * 10)), input: [1, 2, 3], finished: [[10, 20, 30]] },
  {
    name: "StatefulTransformer",
    make: () => one(StatefulTransformer(0, (s: number, n: number) => [s + n, s + n] as const, (s) => -s)),
    input: [1, 2, 3],
    finished: [[1, 3, 6, -6]],
  },
  { name: "Filter", make: () => one(Filter((n: number) => n % 2 === 1)), input: [1, 2, 3], finished: [[1, 3]] },
  {
    name: "Router",
    make: () => {
      const r = Router({ odd: (n: number) => n % 2 === 1, big: (n: number) => n > 2 });
      return { c: r, outs: [r.odd, r.big, r.outbox] };
    },
    input: [1, 2, 3],
    finished: [[1, 3], [3], [2]],
  },
  {
    name: "Fanout",
    make: () => {
      const f = Fanout(["a", "b"]);
      return { c: f, outs: [f.a, f.b] };
    },
    input: [1, 2, 3],
    finished: [[1, 2, 3], [1, 2, 3]],
  },
  {
    name: "Splitter",
    make: (h) => {
      const s = new Splitter<number>();
      const sink = new Idle();
      const sinkFeed = h.collect(s.outbox);
      s.addSink(sink.inbox, sink.control);
      return { c: s, outs: [], extra: () => [(sinkFeed.take(), sinkFeed.messages), sink.inbox.peek(), sink.control.peek().length] };
    },
    input: [1, 2, 3],
    finished: [],
  },
  {
    name: "TwoWaySplitter",
    make: () => {
      const t = new TwoWaySplitter();
      return { c: t, outs: [t.outbox, t.outbox2], signals: [t.signal, t.signal2] };
    },
    input: [1, 2, 3],
    finished: [[1, 2, 3], [1, 2, 3]],
  },
  { name: "Chunk", make: () => one(new Chunk(2)), input: [1, 2, 3], finished: [[[1, 2], [3]]] },
  { name: "Collate", make: () => one(new Collate()), input: [1, 2, 3], finished: [[[1, 2, 3]]] },
  { name: "Marshaller", make: () => one(new Marshaller()), input: [1, [2], { a: 3 }], finished: [["1", "[2]", '{"a":3}']] },
  { name: "DeMarshaller", make: () => one(new DeMarshaller()), input: ["1", "[2]", '{"a":3}'], finished: [[1, [2], { a: 3 }]] },
  {
    name: "NullSink",
    make: () => {
      const n = new NullSink();
      return { c: n, outs: [n.outbox], extra: () => [n.count] };
    },
    input: [1, 2, 3],
    finished: [[]],
  },
  { name: "Chooser", make: () => one(new Chooser(["a", "b", "c"])), input: ["NEXT", "NEXT", "PREV"], finished: [["a", "b", "c", "b"]] },
  {
    name: "ConsoleEchoer",
    make: () => one(new ConsoleEchoer({ output: new StreamPassThrough(), forwarder: true })),
    input: ["x", "y"],
    finished: [["x", "y"]],
  },
  { name: "MessageRateLimit", make: () => one(new MessageRateLimit(1000)), input: [1, 2, 3], finished: [[1, 2, 3]] },
  { name: "TriggeredOneShot", make: () => one(new TriggeredOneShot("fire")), input: ["go"], finished: [["fire"]] },
  { name: "DataSource", make: () => one(DataSource(1, 2, 3)), input: [], finished: [[1, 2, 3]] },
  { name: "OneShot", make: () => one(new OneShot("m")), input: [], finished: [["m"]] },
  { name: "Clock", make: () => one(new Clock(5)), input: [], finished: [[]] },
  { name: "ConsoleReader", make: () => one(new ConsoleReader({ input: new StreamPassThrough() })), input: [], finished: [[]] },
];

function one(c: AnyComponent): { c: AnyComponent; outs: Outbox<unknown>[] } {
  return { c, outs: [c.outbox] };
}

for (const k of cases) {
  test(`${k.name}: producerFinished finishes what is waiting, is passed on, and the component ends`, async () => {
    const h = new Harness();
    const { c, outs, signals = [c.signal], extra } = k.make(h);
    const collected = outs.map((o) => h.collect(o));
    const sigs = signals.map((s) => h.collect(s));
    h.activate(c);
    if (k.input.length > 0) h.send(c, "inbox", ...k.input);
    const pf = producerFinished();
    h.control(c, pf);
    await runAll(h);
    assert.deepEqual(h.failures, []);
    assert.ok(c.isFinished(), `${c.name} finished`);
    for (const x of collected) x.take();
    for (const s of sigs) s.take();
    assert.deepEqual(
      collected.map((x) => x.messages),
      k.finished,
    );
    for (const s of sigs) {
      assert.equal(s.messages.length, 1, `${c.name} passes exactly one shutdown message on`);
      assert.equal(s.messages[0], pf, `${c.name} passes on the producerFinished it received`);
    }
    if (k.name === "Splitter") assert.deepEqual(extra!(), [[1, 2, 3], [1, 2, 3], 1]);
    if (k.name === "NullSink") assert.deepEqual(extra!(), [3]);
  });

  test(`${k.name}: shutdownMicroprocess stops at once (nothing waiting is handled) and is passed on`, async () => {
    const h = new Harness();
    const { c, outs, signals = [c.signal], extra } = k.make(h);
    const collected = outs.map((o) => h.collect(o));
    const sigs = signals.map((s) => h.collect(s));
    h.activate(c);
    if (k.input.length > 0) h.send(c, "inbox", ...k.input);
    const sm = shutdownMicroprocess();
    h.control(c, sm);
    await runAll(h);
    assert.deepEqual(h.failures, []);
    assert.ok(c.isFinished(), `${c.name} finished`);
    for (const x of collected) x.take();
    for (const s of sigs) s.take();
    assert.deepEqual(
      collected.map((x) => x.messages),
      outs.map(() => []),
      `${c.name} handled nothing after a stop`,
    );
    for (const s of sigs) assert.deepEqual(s.messages, [sm]);
    assert.equal(sigs[0]!.messages[0], sm, "the very same shutdownMicroprocess object");
    if (k.name === "Splitter") assert.deepEqual(extra!(), [[], [], 1]);
    if (k.name === "NullSink") assert.deepEqual(extra!(), [0]);
  });
}

test("Splitter: AddSink on configuration before data is honoured; shutdown reaches the sink's control", async () => {
  const h = new Harness();
  const s = new Splitter<string>();
  const sink = new Idle();
  h.activate(s);
  h.send(s, "configuration", new AddSink(sink.inbox, sink.control));
  h.send(s, "inbox", "a");
  const pf = producerFinished();
  h.control(s, pf);
  await runAll(h);
  assert.deepEqual(sink.inbox.peek(), ["a"]);
  assert.deepEqual(sink.control.peek(), [pf]);
});
