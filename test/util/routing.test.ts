import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import {
  AddSink,
  ArgumentError,
  ErrorInformation,
  Fanout,
  Graphline,
  RemoveSink,
  Router,
  Splitter,
  System,
  DataSource,
  producerFinished,
  type AnyComponent,
  type Outbox,
} from "../../src/index.js";
import { Harness, type Collected } from "../../src/testing/index.js";
import { Idle, bounded } from "./support.js";

/**
 * Feed `input` then producerFinished to `c`, with every collector bounded to
 * `limit`, draining the collectors between runs, until `c` ends. Bounded
 * collectors make the component wait for room, so this also checks that
 * waiting loses and duplicates nothing.
 */
function drive(h: Harness, c: AnyComponent, input: readonly unknown[], outs: readonly Collected<unknown>[], limit: number): void {
  for (const o of outs) o.setLimit(limit);
  h.activate(c);
  h.send(c, "inbox", ...input);
  h.control(c, producerFinished());
  for (let rounds = 0; !c.isFinished(); rounds++) {
    assert.ok(rounds < 100_000, "the component finishes");
    h.runUntilIdle();
    for (const o of outs) o.take();
  }
  for (const o of outs) o.take();
}

const messages = fc.array(fc.integer({ min: -1000, max: 1000 }), { maxLength: 60 });
const limits = fc.constantFrom(1, 2, 5, Infinity);

test("property: Fanout sends every message to every named outbox exactly once, in order", () => {
  fc.assert(
    fc.property(messages, fc.integer({ min: 1, max: 5 }), limits, (input, k, limit) => {
      const h = new Harness();
      const names = Array.from({ length: k }, (_, i) => `out${i}`);
      const f = Fanout(names);
      const boxes = names.map((n) => (f as unknown as Record<string, Outbox<unknown>>)[n]!);
      const outs = boxes.map((b) => h.collect(b));
      const std = h.collect(f.outbox);
      drive(h, f, input, outs, limit);
      for (const o of outs) assert.deepEqual(o.messages, input);
      assert.deepEqual(std.take(), [], "outbox is not a copy target unless named");
      assert.deepEqual(h.failures, []);
    }),
  );
});

test("property: Splitter sends every message to outbox and every sink exactly once, in order", () => {
  fc.assert(
    fc.property(messages, fc.integer({ min: 0, max: 4 }), limits, (input, k, limit) => {
      const h = new Harness();
      const s = new Splitter<number>();
      const sinks = Array.from({ length: k }, () => new Idle<number>());
      for (const sink of sinks) s.addSink(sink.inbox);
      const main = h.collect(s.outbox);
      const got: number[][] = sinks.map(() => []);
      for (const sink of sinks) sink.inbox.setSize(limit);
      main.setLimit(limit);
      h.activate(s);
      h.send(s, "inbox", ...input);
      h.control(s, producerFinished());
      for (let rounds = 0; !s.isFinished(); rounds++) {
        assert.ok(rounds < 100_000);
        h.runUntilIdle();
        main.take();
        sinks.forEach((sink, i) => got[i]!.push(...(sink.inbox.takeAll() as number[])));
      }
      sinks.forEach((sink, i) => got[i]!.push(...(sink.inbox.takeAll() as number[])));
      main.take();
      assert.deepEqual(main.messages, input);
      for (const g of got) assert.deepEqual(g, input);
    }),
  );
});

test("property: Router sends each message to exactly the outboxes whose rule accepts it (or outbox), in order", () => {
  const rule = fc.record({ m: fc.integer({ min: 1, max: 5 }), r: fc.integer({ min: 0, max: 4 }) });
  fc.assert(
    fc.property(messages, fc.array(rule, { minLength: 1, maxLength: 4 }), fc.boolean(), limits, (input, rules, first, limit) => {
      const h = new Harness();
      const preds = rules.map(({ m, r }) => (n: number) => ((n % m) + m) % m === r % m);
      const routes: Record<string, (n: number) => boolean> = {};
      preds.forEach((p, i) => (routes[`r${i}`] = p));
      const router = Router(routes, { mode: first ? "first" : "all" });
      const boxes = preds.map((_, i) => (router as unknown as Record<string, Outbox<unknown>>)[`r${i}`]!);
      const outs = boxes.map((b) => h.collect(b));
      const rest = h.collect(router.outbox);
      drive(h, router, input, [...outs, rest], limit);
      const expected: number[][] = preds.map(() => []);
      const unmatched: number[] = [];
      for (const n of input) {
        const hits = preds.map((p, i) => (p(n) ? i : -1)).filter((i) => i >= 0);
        if (hits.length === 0) unmatched.push(n);
        for (const i of first ? hits.slice(0, 1) : hits) expected[i]!.push(n);
      }
      assert.deepEqual(
        outs.map((o) => o.messages),
        expected,
      );
      assert.deepEqual(rest.messages, unmatched);
    }),
  );
});

test("Router: `otherwise` names the outbox for unmatched messages; a throwing rule is reported and routing carries on", () => {
  const h = new Harness();
  const r = h.activate(
    Router(
      {
        small: (n: number) => {
          if (n === 13) throw new Error("unlucky");
          return n < 10;
        },
        large: (n: number) => n >= 100,
      },
      { otherwise: "large" },
    ),
  );
  const small = h.collect(r.small);
  const large = h.collect(r.large);
  const errors = h.collect(r.error);
  h.send(r, "inbox", 1, 13, 50, 200);
  h.runUntilIdle();
  assert.deepEqual(small.take(), [1]);
  assert.deepEqual(large.take(), [50, 200]);
  const [e] = errors.take();
  assert.ok(e instanceof ErrorInformation);
  assert.equal(e.message, 13);
  assert.match(e.error.message, new RegExp(`${r.name}: a message on inbox made a rule throw \\(Error: unlucky\\)`));
});

test("Router and Fanout: bad arguments are clear errors naming the component", () => {
  const rule = (): boolean => true;
  const cases: [() => unknown, RegExp][] = [
    [() => Router({ a: "yes" as unknown as () => boolean }), /RouterComponent_\d+: the rule for route "a" must be a function/],
    [() => Router({ a: rule }, { otherwise: "b" as "a" }), /RouterComponent_\d+: options.otherwise must be "outbox" or a route name \(a\); it names an unknown outbox, got a string \("b"\)/],
    [() => Router({ signal: rule }), /RouterComponent_\d+: the route name "signal" must be an outbox name other than "signal"/],
    [() => Router({ inbox: rule }), /the route name "inbox" must be the name of an outbox \("inbox" is an inbox\)/],
    [() => Router({ error: rule }), /a route name must be an outbox name other than "error"/],
    [() => Router({ send: rule }), /the route name "send" must be an outbox name that is not already a property/],
    [() => Router({ "no spaces": rule }), /must be an outbox name \(an identifier\)/],
    [() => Router({ a: rule }, { mode: "some" as "all" }), /options.mode must be "all" or "first"/],
    [() => Router(null as unknown as Record<string, () => boolean>), /RouterComponent_\d+: the routes must be an object/],
    [() => Fanout([]), /FanoutComponent_\d+: the outbox names must be a non-empty array/],
    [() => Fanout(["a", "a"]), /the outbox names must be distinct names/],
    [() => Fanout(["control"]), /"control" is an inbox/],
  ];
  for (const [make, pattern] of cases) {
    assert.throws(make, (e: unknown) => e instanceof ArgumentError && pattern.test(e.message), String(pattern));
  }
});

test("Router and Fanout outboxes are typed fields, so Graphline linkages naming them type-check", async () => {
  const got: string[] = [];
  class Sink extends Idle<string> {
    override *main(): Generator<unknown, void, unknown> {
      for (;;) {
        while (this.dataReady() > 0) got.push(this.recv());
        if (this.checkShutdown() !== null) return;
        this.pause();
        yield;
      }
    }
  }
  const words = new Sink();
  const system = new System();
  const g = Graphline(
    { SRC: DataSource("apple", "kiwi", "banana"), R: Router({ long: (s: string) => s.length > 4 }), OUT: words },
    { "SRC.outbox": "R.inbox", "R.long": "OUT.inbox", "SRC.signal": "R.control", "R.signal": "OUT.control" },
  );
  await bounded(g.run(system));
  assert.deepEqual(got, ["apple", "banana"]);
  assert.throws(
    // @ts-expect-error the router has no outbox "short"
    () => Graphline({ R: Router({ long: (s: string) => s.length > 4 }), OUT: new Sink() }, { "R.short": "OUT.inbox" }),
    /has no outbox named "short"/,
  );
  // @ts-expect-error a number outbox cannot feed a string inbox
  Graphline({ R: Router({ big: (n: number) => n > 4 }), OUT: new Sink() }, { "R.big": "OUT.inbox" });
  const f = Fanout<"x" | "y", string>(["x", "y"]);
  Graphline({ F: f, OUT: new Sink() }, { "F.x": "OUT.inbox" });
});

test("Splitter: sinks added mid-stream get only later messages; removed sinks get no more; bad configuration is reported", () => {
  const h = new Harness();
  const s = h.activate(new Splitter<string>());
  const a = new Idle<string>();
  const b = new Idle<string>();
  const errs = h.collect(s.error);
  h.send(s, "configuration", new AddSink(a.inbox));
  h.send(s, "inbox", "1");
  h.runUntilIdle();
  h.send(s, "configuration", new AddSink(b.inbox));
  h.send(s, "inbox", "2");
  h.runUntilIdle();
  h.send(s, "configuration", new RemoveSink(a.inbox), "nonsense");
  h.send(s, "inbox", "3");
  h.runUntilIdle();
  assert.deepEqual(a.inbox.peek(), ["1", "2"]);
  assert.deepEqual(b.inbox.peek(), ["2", "3"]);
  assert.equal(s.sinkCount, 1);
  const [e] = errs.take();
  assert.ok(e instanceof ErrorInformation);
  assert.match(e.error.message, /Splitter_\d+: a message on configuration is a string \("nonsense"\), not AddSink or RemoveSink/);
  assert.ok(s.isActive());
});

test("the same object reaches every Fanout outbox (no copy)", async () => {
  const h = new Harness();
  const f = h.activate(Fanout(["a", "b"]));
  const a = h.collect(f.a);
  const b = h.collect(f.b);
  const o = { x: 1 };
  h.send(f, "inbox", o);
  await h.settle();
  assert.equal(a.take()[0], o);
  assert.equal(b.take()[0], o);
});
