/**
 * Property-based tests of the core invariants over random graphs: producers
 * feeding chains of relays (generator, async, and nested in Pipelines) that
 * fan in to slow sinks, with random box limits including 0, 1 and 2.
 *
 * For every run: per-link order is kept, nothing is duplicated, nothing is
 * lost (a message not delivered is still with its blocked sender), and where
 * a schedule exists (no zero limit on the path) everything is delivered.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { Component, Pipeline, type AnyComponent } from "../../src/index.js";
import { Harness } from "../../src/testing/index.js";

type Msg = { from: number; seq: number };

class Producer extends Component<never, Msg> {
  items: Msg[] = [];
  sent = 0;
  *main() {
    for (const m of this.items) {
      yield* this.waitSend(m);
      this.sent++;
      if (m.seq % 3 === 0) yield;
    }
  }
}

class GenRelay extends Component<Msg, Msg> {
  batch = 1;
  holding = 0;
  *main() {
    for (;;) {
      for (let i = 0; i < this.batch && this.dataReady(); i++) {
        const m = this.recv();
        this.holding = 1;
        yield* this.waitSend(m);
        this.holding = 0;
      }
      if (!this.dataReady()) this.pause();
      yield;
    }
  }
}

class AsyncRelay extends Component<Msg, Msg> {
  holding = 0;
  async main() {
    for (;;) {
      const m = await this.recvAsync();
      this.holding = 1;
      await this.sendAsync(m);
      this.holding = 0;
    }
  }
}

/** A relay in the processMessages idiom: fused into its sender's send when idle, queued otherwise. */
class DrainRelay extends Component<Msg, Msg> {
  holding = 0;
  main() {
    return this.processMessages(this.handle);
  }
  *handle(m: Msg): Generator<unknown, void, unknown> {
    this.holding = 1;
    yield* this.waitSend(m);
    this.holding = 0;
  }
}

class Sink extends Component<Msg, never> {
  batch = 1;
  got: Msg[] = [];
  *main() {
    for (;;) {
      for (let i = 0; i < this.batch && this.dataReady(); i++) this.got.push(this.recv());
      if (!this.dataReady()) this.pause();
      yield;
    }
  }
}

class Root extends Component {
  *main() {
    for (;;) {
      this.pause();
      yield;
    }
  }
}

const limitArb = fc.constantFrom<number | undefined>(undefined, 0, 1, 2, 3);
const stageArb = fc.record({ kind: fc.constantFrom("gen", "async", "nested", "drain"), batch: fc.integer({ min: 1, max: 3 }), limit: limitArb });
const graphArb = fc.record({
  producers: fc.array(
    fc.record({ count: fc.integer({ min: 0, max: 25 }), chain: fc.array(stageArb, { maxLength: 3 }), sink: fc.nat() }),
    { minLength: 1, maxLength: 4 },
  ),
  sinks: fc.array(fc.record({ limit: limitArb, batch: fc.integer({ min: 1, max: 3 }) }), { minLength: 1, maxLength: 3 }),
});

test("random graphs and limits: per-link order kept, nothing lost or duplicated, no deadlock where a schedule exists", async () => {
  await fc.assert(
    fc.asyncProperty(graphArb, async (g) => {
      const h = new Harness();
      const root = h.activate(new Root());
      const sinks = g.sinks.map((s) => {
        const k = Sink.create({ batch: s.batch });
        k.inbox.setSize(s.limit);
        return k;
      });
      const producers: { p: Producer; sink: Sink; blocked: boolean; relays: (GenRelay | AsyncRelay | DrainRelay)[] }[] = [];
      const all: AnyComponent[] = [...sinks];
      g.producers.forEach((spec, from) => {
        const p = Producer.create({ items: Array.from({ length: spec.count }, (_, seq) => ({ from, seq })) });
        all.push(p);
        let upstream: AnyComponent = p;
        let blocked = false;
        const relays: (GenRelay | AsyncRelay | DrainRelay)[] = [];
        for (const st of spec.chain) {
          const relay = st.kind === "async" ? new AsyncRelay() : st.kind === "drain" ? new DrainRelay() : GenRelay.create({ batch: st.batch });
          relays.push(relay);
          relay.inbox.setSize(st.limit);
          if (st.limit === 0) blocked = true;
          const stage: AnyComponent = st.kind === "nested" ? Pipeline(relay) : relay;
          all.push(stage);
          root.link([upstream, "outbox"], stage.inbox);
          upstream = stage;
        }
        const sink = sinks[spec.sink % sinks.length]!;
        if (g.sinks[spec.sink % sinks.length]!.limit === 0) blocked = true;
        root.link([upstream, "outbox"], sink.inbox);
        producers.push({ p, sink, blocked, relays });
      });
      for (const c of all) c.activate(h.system);
      await h.settle();

      for (const [from, { p, sink, blocked, relays }] of producers.entries()) {
        const got = sink.got.filter((m) => m.from === from).map((m) => m.seq);
        // In order, no duplicates, no gaps: a prefix of what was produced.
        assert.deepEqual(got, Array.from({ length: got.length }, (_, i) => i));
        if (!blocked) {
          assert.equal(got.length, p.items.length, `producer ${from} delivered everything`);
          assert.ok(p.isFinished());
        } else {
          // A zero limit on the path: nothing passes it, and nothing is lost either:
          // every message is delivered, waiting in an inbox, or held by a sender waiting for room (the producer holds all it has not yet sent).
          const queued = relays.reduce((n, r) => n + r.inbox.final.length, 0) + sink.inbox.peek().filter((m) => (m as Msg).from === from).length;
          const held = relays.reduce((n, r) => n + r.holding, 0) + (p.items.length - p.sent);
          assert.equal(got.length + queued + held, p.items.length, `producer ${from}: all ${p.items.length} accounted for`);
        }
      }
      assert.equal(h.system.scheduler.hasWork(), false, "idle: no component busy-waits");
      assert.equal(h.system.deadLetters, 0);
      assert.deepEqual(h.failures, []);
      h.system.stop();
      await h.settle();
      assert.equal(h.system.size, 0);
    }),
    { numRuns: 300 },
  );
});

test("fan-in interleaves in the order send() was called, per destination", () => {
  fc.assert(
    fc.property(fc.array(fc.nat({ max: 3 }), { maxLength: 60 }), (order) => {
      class Idle extends Component<number, number> {
        *main() {}
      }
      const senders = [new Idle(), new Idle(), new Idle(), new Idle()];
      const sink = new Idle();
      const root = new Idle();
      for (const s of senders) root.link(s.outbox, sink.inbox);
      order.forEach((who, i) => senders[who]!.send(i));
      assert.deepEqual(sink.recvAll(), order.map((_, i) => i));
    }),
  );
});

test("linking moves waiting messages atomically: nothing lost at any limit", () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 20 }), limitArb, (waiting, already, limit) => {
      class Idle extends Component<number, number> {
        *main() {}
      }
      const parent = new Idle();
      const child = new Idle();
      for (let i = 0; i < already; i++) child.inbox.deliver(-1 - i, "test");
      child.inbox.setSize(limit);
      for (let i = 0; i < waiting; i++) parent.inbox.deliver(i, "test");
      parent.link(parent.inbox, child.inbox);
      const got = child.recvAll();
      assert.equal(got.length, waiting + already);
      assert.deepEqual(got.slice(already), Array.from({ length: waiting }, (_, i) => i));
    }),
  );
});
