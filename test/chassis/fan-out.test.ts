/**
 * The backplane's fast paths (src/chassis/fan-out.ts): runs of messages given
 * to each subscriber in turn, and delivery past a SubscribeTo through its
 * Relay. Each test changes something in the middle of a run, from inside a
 * receiver's handler (where the fast path is running), and checks the result
 * is what the plain path (every message through SubscribeTo's own queue and
 * handler) gives.
 */
import { test } from "node:test";
import fc from "fast-check";
import assert from "node:assert/strict";
import { Backplane, Component, Pipeline, SubscribeTo, producerFinished, shutdownMicroprocess, type Linkage } from "../../src/index.js";
import { count, counterOf } from "../../src/introspect/index.js";
import { Harness } from "../../src/testing/index.js";

/** Keeps what it receives; calls `onMessage` after each. */
class Recorder extends Component<number, never> {
  got: number[] = [];
  onMessage: (m: number) => void = () => {};
  *main() {
    yield* this.processMessages((m) => {
      this.got.push(m);
      this.onMessage(m);
    });
  }
}

/** Takes nothing until released; its inbox holds `size`. */
class Held extends Component<number, never> {
  got: number[] = [];
  private open = false;
  constructor(readonly size: number) {
    super();
    this.inbox.setSize(size);
  }
  release(): void {
    this.open = true;
    this.unpause();
  }
  *main() {
    while (!this.open) {
      this.pause();
      yield;
    }
    yield* this.processMessages((m) => {
      this.got.push(m);
    });
  }
}

const range = (from: number, to: number): number[] => Array.from({ length: to - from }, (_, i) => from + i);

/** A handler passed unbound, as a method: it needs `this` to be the component. */
class MethodRecorder extends Component<number, never> {
  got: number[] = [];
  selves = new Set<unknown>();
  *main() {
    yield* this.processMessages(this.handle);
  }
  handle(this: MethodRecorder, m: number): void {
    this.selves.add(this);
    this.got.push(m);
  }
}

/** A handler written as a `function` expression: `this` is the component, as for a method. */
class FunctionRecorder extends Component<number, never> {
  got: number[] = [];
  selves = new Set<unknown>();
  *main() {
    yield* this.processMessages(function (this: FunctionRecorder, m: number) {
      this.selves.add(this);
      this.got.push(m);
    });
  }
}

test("a fused run calls a handler passed as a method, or as a function expression, with the component as `this`", () => {
  const h = new Harness();
  const bp = h.activate(Backplane<number>("SELF"));
  const method = new MethodRecorder();
  const fn = new FunctionRecorder();
  h.activate(Pipeline(SubscribeTo<number>("SELF"), method));
  h.activate(Pipeline(SubscribeTo<number>("SELF"), fn));
  h.runUntilIdle();
  const steps = h.system.scheduler.steps;
  h.send(bp, "inbox", ...range(0, 40)); // one run
  h.runUntilIdle();
  assert.deepEqual(method.got, range(0, 40));
  assert.deepEqual([...method.selves], [method]);
  assert.deepEqual(fn.got, range(0, 40));
  assert.deepEqual([...fn.selves], [fn]);
  // Past SubscribeTo as one fused run each: the backplane's own step only (no subscriber, SubscribeTo or receiver step).
  assert.equal(h.system.scheduler.steps - steps, 1);
});

test("a link changed by a receiver in the middle of a run: the rest of the run goes to the new receiver, in order, none lost", () => {
  const h = new Harness();
  const bp = h.activate(Backplane<number>("RELINK"));
  const sub = h.activate(SubscribeTo<number>("RELINK"));
  const first = h.activate(new Recorder());
  const second = h.activate(new Recorder());
  const wiring = h.activate(new Recorder()); // owns the links
  let l: Linkage = wiring.link(sub.outbox, first.inbox);
  first.onMessage = (m) => {
    if (m === 9) {
      wiring.unlink(l);
      l = wiring.link(sub.outbox, second.inbox);
    }
  };
  h.runUntilIdle();
  h.send(bp, "inbox", ...range(0, 30)); // one run
  h.runUntilIdle();
  assert.deepEqual(first.got, range(0, 10));
  assert.deepEqual(second.got, range(10, 30));
});

test("a SubscribeTo stopped by its receiver in the middle of a run passes nothing more on; the other subscribers get the whole run", () => {
  const h = new Harness();
  const bp = h.activate(Backplane<number>("STOPPED"));
  const sub = SubscribeTo<number>("STOPPED");
  const quitter = new Recorder();
  const other = new Recorder();
  h.activate(Pipeline(sub, quitter));
  h.activate(Pipeline(SubscribeTo<number>("STOPPED"), other));
  quitter.onMessage = (m) => {
    if (m === 9) sub.stop();
  };
  h.runUntilIdle();
  h.send(bp, "inbox", ...range(0, 30));
  h.runUntilIdle();
  assert.deepEqual(quitter.got, range(0, 10));
  assert.deepEqual(other.got, range(0, 30));
  assert.ok(sub.isFinished());
  assert.equal(bp.subscribers(), 1, "it unsubscribed");
  h.send(bp, "inbox", 30);
  h.runUntilIdle();
  assert.deepEqual(other.got, range(0, 31));
});

test("a stop on a SubscribeTo's control, sent by its receiver in the middle of a run, ends it there; a finish passes the rest on first", () => {
  const h = new Harness();
  const bp = h.activate(Backplane<number>("CTL"));
  const stopped = SubscribeTo<number>("CTL");
  const finished = SubscribeTo<number>("CTL");
  const a = new Recorder();
  const b = new Recorder();
  h.activate(Pipeline(stopped, a));
  h.activate(Pipeline(finished, b));
  a.onMessage = (m) => {
    if (m === 9) stopped.control.deliver(shutdownMicroprocess(), "test");
  };
  b.onMessage = (m) => {
    if (m === 9) finished.control.deliver(producerFinished(), "test");
  };
  h.runUntilIdle();
  h.send(bp, "inbox", ...range(0, 30));
  h.runUntilIdle();
  assert.deepEqual(a.got, range(0, 10));
  assert.deepEqual(b.got, range(0, 30), "a finish delivers what reached it first");
  assert.ok(stopped.isFinished() && finished.isFinished());
  assert.equal(bp.subscribers(), 0);
});

test("a receiver that fills up in the middle of a run: the rest queue in the subscriber's queue, and its policy drops the oldest, counted", () => {
  const h = new Harness();
  const bp = h.activate(Backplane<number>("FILL", { policy: "dropOldest", queueSize: 4 }));
  const sub = SubscribeTo<number>("FILL");
  const held = new Held(2);
  const fast = new Recorder();
  h.activate(Pipeline(sub, held));
  h.activate(Pipeline(SubscribeTo<number>("FILL"), fast));
  h.runUntilIdle();
  h.send(bp, "inbox", ...range(0, 30));
  h.runUntilIdle();
  assert.deepEqual(fast.got, range(0, 30));
  // 0 and 1 fill the receiver's inbox, SubscribeTo holds 2 waiting for room, 3-6 fill its queue,
  // and each later message drops the oldest queued: 3 to 25.
  assert.equal(sub.dropped, 23);
  assert.equal(bp.dropped, 23);
  held.release();
  h.runUntilIdle();
  assert.deepEqual(held.got, [0, 1, 2, 26, 27, 28, 29]);
});

test("a blocking subscriber that fills up in the middle of a run holds the backplane, whose inbox paces the publisher as before; nothing is lost", () => {
  const h = new Harness();
  const bp = h.activate(Backplane<number>("HOLD", { pipewidth: 8, queueSize: 2 }));
  const held = new Held(1);
  const fast = new Recorder();
  h.activate(Pipeline(SubscribeTo<number>("HOLD"), held));
  h.activate(Pipeline(SubscribeTo<number>("HOLD"), fast));
  h.runUntilIdle();
  h.send(bp, "inbox", ...range(0, 8));
  h.runUntilIdle();
  // The held subscriber took 0 (receiver), 1 (held back), 2-3 (queue); 4 waits in the backplane's hand,
  // 5-7 were put back in its inbox, where a publisher sees them.
  assert.equal(bp.inbox.length, 3);
  assert.equal(bp.inbox.isFull(), false);
  h.send(bp, "inbox", ...range(8, 13));
  assert.ok(bp.inbox.isFull());
  held.release();
  h.runUntilIdle();
  assert.deepEqual(held.got, range(0, 13));
  assert.deepEqual(fast.got, range(0, 13));
  assert.equal(bp.dropped, 0);
});

test("introspection counting a SubscribeTo's inbox or the backplane's outbox to it sees every message (no delivery past a watched box)", () => {
  const h = new Harness();
  const bp = h.activate(Backplane<number>("SEEN"));
  const sub = SubscribeTo<number>("SEEN");
  const r = new Recorder();
  h.activate(Pipeline(sub, r));
  h.runUntilIdle();
  const stop = count(sub.inbox);
  h.send(bp, "inbox", ...range(0, 20));
  h.runUntilIdle();
  assert.equal(counterOf(sub.inbox)?.n, 20);
  stop();
  const out = bp.outboxes().find((b) => b.name.startsWith("subscriber") && !b.name.endsWith("control"))!;
  const stopOut = count(out);
  h.send(bp, "inbox", ...range(20, 30));
  h.runUntilIdle();
  assert.equal(counterOf(out)?.n, 10);
  stopOut();
  assert.deepEqual(r.got, range(0, 30));
});

test("a SubscribeTo holding a message back for want of room is not overtaken when room appears before it runs again", () => {
  const h = new Harness();
  const bp = h.activate(Backplane<number>("HELD"));
  const held = new Held(1);
  h.activate(Pipeline(SubscribeTo<number>("HELD"), held));
  h.runUntilIdle();
  h.send(bp, "inbox", 0, 1); // 0 fills the receiver; SubscribeTo holds 1 back
  h.runUntilIdle();
  // The backplane is woken first, then room appears (waking SubscribeTo): the backplane runs first.
  h.send(bp, "inbox", 2);
  assert.equal(held.recv(), 0);
  h.runUntilIdle();
  held.release();
  h.runUntilIdle();
  assert.deepEqual(held.got, [1, 2]);
});

test("property: random subscribers (fast, slow, bounded, quitting, relinked; block or dropOldest) keep order, lose nothing they should keep, and pace the publisher", () => {
  type Kind = "fast" | "held" | "quit" | "relink";
  const subscriber = fc.record({
    kind: fc.constantFrom<Kind>("fast", "held", "quit", "relink"),
    policy: fc.constantFrom("block" as const, "dropOldest" as const),
    queueSize: fc.integer({ min: 1, max: 8 }),
    inboxSize: fc.integer({ min: 0, max: 3 }), // 0: no limit on the receiver's inbox
    at: fc.integer({ min: 0, max: 150 }),
  });
  fc.assert(
    fc.property(fc.array(subscriber, { minLength: 1, maxLength: 5 }), fc.integer({ min: 1, max: 150 }), fc.integer({ min: 1, max: 64 }), (specs, n, pipewidth) => {
      const h = new Harness();
      const bp = h.activate(Backplane<number>("PROP", { pipewidth }));
      const wiring = h.activate(new Recorder());
      const subs = specs.map((spec) => {
        const sub = SubscribeTo<number>("PROP", { policy: spec.policy, queueSize: spec.queueSize });
        const first = spec.kind === "held" ? new Held(Math.max(1, spec.inboxSize)) : new Recorder();
        const second = new Recorder();
        if (spec.inboxSize > 0 && !(first instanceof Held)) first.inbox.setSize(spec.inboxSize);
        h.activate(sub);
        h.activate(first);
        h.activate(second);
        let l = wiring.link(sub.outbox, first.inbox);
        if (first instanceof Recorder) {
          first.onMessage = (m) => {
            if (m !== spec.at) return;
            if (spec.kind === "quit") sub.stop();
            if (spec.kind === "relink") {
              wiring.unlink(l);
              l = wiring.link(sub.outbox, second.inbox);
            }
          };
        }
        return { spec, sub, first, second };
      });
      h.runUntilIdle();
      const all = range(0, n);
      let sent = 0;
      let most = 0;
      const release = () => {
        for (const s of subs) if (s.first instanceof Held) s.first.release();
      };
      // A publisher that sends while there is room, as waitSend does, between scheduler steps; when
      // nothing can run (a held receiver holds everything up), the held receivers start reading.
      let released = false;
      for (let guard = 0; guard < 100_000; guard++) {
        while (sent < n && !bp.inbox.isFull()) h.send(bp, "inbox", sent++);
        // (Subscription requests are never refused for want of room: count only what was published.)
        most = Math.max(most, bp.inbox.peek().filter((m) => typeof m === "number").length);
        if (h.system.scheduler.stepOne()) continue;
        if (sent === n || released) break;
        release();
        released = true;
      }
      assert.ok(most <= pipewidth, `the backplane's inbox held ${most} > ${pipewidth}`);
      release();
      h.runUntilIdle();
      assert.equal(sent, n, "the publisher was never left waiting for good");
      for (const { spec, sub, first, second } of subs) {
        const got = [...first.got, ...second.got];
        for (let i = 1; i < got.length; i++) assert.ok(got[i]! > got[i - 1]!, `${spec.kind}: out of order or twice: ${got.join(",")}`);
        if (spec.kind === "quit" && spec.at < n) {
          assert.deepEqual(first.got, range(0, spec.at + 1), "a subscriber stopped by its receiver passes nothing more on");
        } else if (spec.kind === "relink" && spec.at < n) {
          assert.deepEqual(first.got, range(0, spec.at + 1));
          assert.deepEqual(second.got, range(spec.at + 1, n));
        } else if (spec.policy === "block") {
          assert.deepEqual(got, all, `${spec.kind} under block`);
        } else {
          assert.equal(got.length + sub.dropped, n, `${spec.kind} under dropOldest: received + dropped`);
          assert.equal(got[got.length - 1], n - 1, "the newest is never dropped");
        }
      }
      assert.equal(bp.dropped, subs.reduce((t, s) => t + s.sub.dropped, 0));
      assert.deepEqual(h.failures, []);
    }),
    { numRuns: 150 },
  );
});
