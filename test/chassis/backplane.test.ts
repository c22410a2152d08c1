import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import {
  Backplane,
  BackplaneSubscribe,
  ChassisArgumentError,
  Component,
  Pipeline,
  PublishTo,
  ServiceError,
  ShutdownMicroprocess,
  SlowConsumer,
  SubscribeTo,
  System,
  producerFinished,
  shutdownMicroprocess,
} from "../../src/index.js";
import { Harness } from "../../src/testing/index.js";

/** Sends its list, then producerFinished. */
class Source<T> extends Component<never, T> {
  constructor(private readonly items: readonly T[]) {
    super();
  }
  *main() {
    for (const x of this.items) yield* this.waitSend(x);
    this.passOnShutdown();
  }
}

/** Keeps what it receives; ends on shutdown once drained. */
class Sink<T> extends Component<T, never> {
  got: T[] = [];
  *main() {
    yield* this.processMessages((m) => {
      this.got.push(m);
    });
  }
}

test("every subscriber receives every message published after it subscribed, once, in order", () => {
  const h = new Harness();
  const bp = h.activate(Backplane<number>("NUMS"));
  const subs = [SubscribeTo<number>("NUMS"), SubscribeTo<number>("NUMS"), SubscribeTo<number>("NUMS")];
  const outs = subs.map((s) => h.collect(h.activate(s).outbox));
  h.runUntilIdle();
  assert.equal(bp.subscribers(), 3);
  h.send(bp, "inbox", 1, 2, 3);
  h.runUntilIdle();
  const late = h.activate(SubscribeTo<number>("NUMS"));
  const lateOut = h.collect(late.outbox);
  h.runUntilIdle();
  h.send(bp, "inbox", 4, 5);
  h.runUntilIdle();
  for (const o of outs) assert.deepEqual(o.take(), [1, 2, 3, 4, 5]);
  assert.deepEqual(lateOut.take(), [4, 5]);
  assert.deepEqual(h.failures, []);
});

test("the same object reaches every subscriber (no copy)", () => {
  const h = new Harness();
  const bp = h.activate(Backplane<object>("OBJ"));
  const a = h.collect(h.activate(SubscribeTo<object>("OBJ")).outbox);
  const b = h.collect(h.activate(SubscribeTo<object>("OBJ")).outbox);
  h.runUntilIdle();
  const o = { n: 1 };
  h.send(bp, "inbox", o);
  h.runUntilIdle();
  assert.equal(a.take()[0], o);
  assert.equal(b.take()[0], o);
});

test("subscribers and publishers started before their backplane wait for it; nothing sent meanwhile is lost", async () => {
  const h = new Harness();
  const sub = h.activate(SubscribeTo<string>("LATE"));
  const out = h.collect(sub.outbox);
  const pub = h.activate(PublishTo<string>("LATE"));
  h.send(pub, "inbox", "early1", "early2");
  h.runUntilIdle();
  assert.deepEqual(h.alive().sort(), [pub.name, sub.name].sort());
  // The backplane appears; the subscriber's request reaches it before the publisher's queued messages.
  // Both learn of it from the services registry (a promise), so let promise callbacks run.
  const bp = h.activate(Backplane<string>("LATE"));
  await h.settle();
  assert.equal(bp.subscribers(), 1);
  h.send(pub, "inbox", "later");
  await h.settle();
  const got = out.take();
  // The subscriber and the publisher woke in the same cycle; which reached the backplane first decides
  // whether the early messages count as published after the subscription. Either way: a suffix, in order.
  assert.ok(
    JSON.stringify(got) === JSON.stringify(["early1", "early2", "later"]) || JSON.stringify(got) === JSON.stringify(["later"]),
    `got ${JSON.stringify(got)}`,
  );
  assert.equal(bp.discarded, 3 - got.length);
  assert.deepEqual(h.failures, []);
});

test("a subscriber waiting for a backplane still obeys its control (both kinds)", () => {
  for (const msg of [producerFinished(), shutdownMicroprocess()]) {
    const h = new Harness();
    const sub = h.activate(SubscribeTo<string>("NEVER"));
    const sig = h.collect(sub.signal);
    const pub = h.activate(PublishTo<string>("NEVER"));
    const psig = h.collect(pub.signal);
    h.runUntilIdle();
    h.control(sub, msg);
    h.control(pub, msg);
    h.runUntilIdle();
    assert.ok(sub.isFinished() && pub.isFinished());
    assert.deepEqual(sig.take(), [msg]);
    assert.deepEqual(psig.take(), [msg]);
    assert.equal(h.system.services.has("NEVER"), false);
  }
});

test("with no subscribers left, a backplane holds nothing: messages are discarded and subscriber boxes removed", () => {
  const h = new Harness();
  // Unbounded, so the test can inject 10,000 messages at once.
  const bp = h.activate(Backplane<number>("EMPTY", { pipewidth: 0 }));
  const baseBoxes = bp.outboxes().length;
  for (let i = 0; i < 10_000; i++) h.send(bp, "inbox", i);
  h.runUntilIdle();
  assert.equal(bp.dataReady(), 0);
  assert.equal(bp.discarded, 10_000);

  const subs = [h.activate(SubscribeTo<number>("EMPTY")), h.activate(SubscribeTo<number>("EMPTY"))];
  h.runUntilIdle();
  assert.equal(bp.subscribers(), 2);
  assert.equal(bp.outboxes().length, baseBoxes + 4);
  h.control(subs[0]!, producerFinished());
  subs[1]!.stop(); // ends without being asked on control: the backplane notices
  h.runUntilIdle();
  h.send(bp, "inbox", 1);
  h.runUntilIdle();
  assert.equal(bp.subscribers(), 0);
  assert.equal(bp.outboxes().length, baseBoxes);
  assert.equal(bp.linkages().length, 0);
  assert.equal(bp.discarded, 10_001);
  assert.equal(bp.dataReady(), 0);
});

test("shutting the backplane down reaches every subscriber: finish delivers what is waiting first", () => {
  const h = new Harness();
  const bp = h.activate(Backplane<number>("FIN"));
  const subs = [0, 1, 2].map(() => h.activate(SubscribeTo<number>("FIN")));
  const outs = subs.map((s) => h.collect(s.outbox));
  const sigs = subs.map((s) => h.collect(s.signal));
  const bpSig = h.collect(bp.signal);
  h.runUntilIdle();
  const fin = producerFinished();
  h.send(bp, "inbox", 1, 2, 3);
  h.control(bp, fin);
  h.runUntilIdle();
  for (const o of outs) assert.deepEqual(o.take(), [1, 2, 3]);
  for (const s of sigs) assert.deepEqual(s.take(), [fin]);
  assert.deepEqual(bpSig.take(), [fin]);
  assert.deepEqual(h.alive(), []);
  assert.equal(h.system.services.has("FIN"), false, "the name is released");
  h.activate(Backplane("FIN")); // and may be used again
});

test("shutting the backplane down with shutdownMicroprocess stops every subscriber at once", () => {
  const h = new Harness();
  const bp = h.activate(Backplane<number>("STOP"));
  const subs = [0, 1].map(() => h.activate(SubscribeTo<number>("STOP")));
  const sigs = subs.map((s) => h.collect(s.signal));
  h.runUntilIdle();
  const stop = shutdownMicroprocess();
  h.send(bp, "inbox", 1, 2, 3);
  h.control(bp, stop);
  h.runUntilIdle();
  for (const s of sigs) assert.deepEqual(s.take(), [stop]);
  assert.deepEqual(h.alive(), []);
});

test("shutting a publisher down does not reach the subscribers", () => {
  const h = new Harness();
  const bp = h.activate(Backplane<string>("PUB"));
  const sub = h.activate(SubscribeTo<string>("PUB"));
  const out = h.collect(sub.outbox);
  const pubs = [h.activate(PublishTo<string>("PUB")), h.activate(PublishTo<string>("PUB"))];
  h.runUntilIdle();
  h.send(pubs[0]!, "inbox", "a");
  h.control(pubs[0]!, producerFinished());
  h.control(pubs[1]!, shutdownMicroprocess());
  h.runUntilIdle();
  assert.ok(pubs.every((p) => p.isFinished()));
  assert.ok(sub.isActive() && bp.isActive());
  const pub3 = h.activate(PublishTo<string>("PUB"));
  h.send(pub3, "inbox", "b");
  h.runUntilIdle();
  assert.deepEqual(out.take(), ["a", "b"]);
});

test("a bounded subscriber slows the backplane down; nothing is lost", () => {
  const h = new Harness();
  const bp = h.activate(Backplane<number>("SLOW", { pipewidth: 0 }));
  const fast = new Sink<number>();
  const slow = new Sink<number>();
  h.activate(Pipeline(SubscribeTo<number>("SLOW"), fast));
  h.activate(Pipeline(SubscribeTo<number>("SLOW"), slow));
  slow.inbox.setSize(2);
  h.runUntilIdle();
  const n = 500;
  for (let i = 0; i < n; i++) h.send(bp, "inbox", i);
  h.control(bp, producerFinished());
  h.runUntilIdle();
  const all = Array.from({ length: n }, (_, i) => i);
  assert.deepEqual(fast.got, all);
  assert.deepEqual(slow.got, all);
  assert.deepEqual(h.alive(), []);
});

test("chat idiom: several Pipeline(PublishTo(x), SubscribeTo(x)) each receive everything any of them sends", async () => {
  const h = new Harness();
  const bp = h.activate(Backplane<string>("CHAT"));
  const clients = [0, 1, 2, 3].map(() => h.activate(Pipeline(PublishTo<string>("CHAT"), SubscribeTo<string>("CHAT"))));
  const outs = clients.map((c) => h.collect(c.outbox));
  const sigs = clients.map((c) => h.collect(c.signal));
  h.runUntilIdle();
  assert.equal(bp.subscribers(), 4);
  const said: string[] = [];
  for (let round = 0; round < 3; round++) {
    clients.forEach((c, i) => {
      const line = `client${i} line${round}`;
      said.push(line);
      h.send(c, "inbox", line);
    });
    h.runUntilIdle();
  }
  for (const o of outs) assert.deepEqual(o.take(), said);

  // One client disconnects (its connection sends producerFinished down its pipeline): only it ends.
  const bye = producerFinished();
  h.control(clients[0]!, bye);
  h.runUntilIdle();
  assert.ok(clients[0]!.isFinished());
  assert.deepEqual(sigs[0]!.take(), [bye]);
  assert.equal(bp.subscribers(), 3);
  h.send(clients[1]!, "inbox", "still here");
  h.runUntilIdle();
  assert.deepEqual(outs[0]!.take(), []);
  for (const o of outs.slice(1)) assert.deepEqual(o.take(), ["still here"]);

  // The server shuts the backplane down: every remaining client hears it, and its publisher, with
  // nowhere left to publish, ends too (it learns that from a promise: let promise callbacks run).
  h.control(bp, shutdownMicroprocess());
  await h.settle();
  for (const s of sigs.slice(1)) assert.ok(s.take()[0] instanceof ShutdownMicroprocess);
  assert.deepEqual(h.alive(), []);
  assert.deepEqual(h.failures, []);
});

test("a whole system on the real scheduler: publishers in pipelines, subscribers in pipelines, run() resolves", async () => {
  const sys = new System();
  const bp = Backplane<number>("RUN").activate(sys);
  const sinks = [new Sink<number>(), new Sink<number>()];
  for (const s of sinks) Pipeline(SubscribeTo<number>("RUN"), s).activate(sys);
  // Let the subscribers subscribe before anything is published.
  await new Promise((r) => setImmediate(r));
  await new Promise((r) => setImmediate(r));
  const a = Pipeline(new Source([1, 2, 3]), PublishTo<number>("RUN")).activate(sys);
  const b = Pipeline(new Source([10, 20]), PublishTo<number>("RUN")).activate(sys);
  const done = sys.run();
  await Promise.all([a.finished(), b.finished()]);
  bp.control.final.deliver(producerFinished(), "test");
  await done;
  for (const s of sinks) {
    assert.deepEqual(s.got.filter((x) => x < 10), [1, 2, 3]);
    assert.deepEqual(s.got.filter((x) => x >= 10), [10, 20]);
  }
  assert.deepEqual(sinks[0]!.got, sinks[1]!.got);
});

test("bad arguments and name clashes give clear errors naming the component", () => {
  assert.throws(() => Backplane(""), (e: unknown) => e instanceof ChassisArgumentError && /BackplaneComponent_\d+: a Backplane needs a name/.test(e.message));
  assert.throws(() => PublishTo(undefined as unknown as string), (e: unknown) => e instanceof ChassisArgumentError && /PublishToComponent_\d+/.test(e.message));
  assert.throws(() => SubscribeTo(42 as unknown as string), (e: unknown) => e instanceof ChassisArgumentError && /SubscribeToComponent_\d+/.test(e.message));
  const h = new Harness();
  const first = h.activate(Backplane("DUP"));
  const second = Backplane("DUP");
  assert.throws(() => h.activate(second), (e: unknown) => e instanceof ServiceError && e.message.includes(first.name) && e.message.includes(second.name));
  assert.equal(second.isActive(), false);

  class NotABackplane extends Component {
    *main() {
      this.pause();
      yield;
    }
  }
  const impostor = h.activate(new NotABackplane());
  h.system.services.register("FAKE", impostor);
  const sub = h.activate(SubscribeTo("FAKE"));
  h.runUntilIdle();
  assert.equal(h.failures.length, 1);
  assert.match(h.failures[0]!.message, new RegExp(`${sub.name}.*"FAKE".*${impostor.name}.*not a Backplane`));
});

test("a backplane stopped before it ran releases its name", () => {
  const h = new Harness();
  const bp = h.activate(Backplane("EARLY"));
  bp.stop();
  h.runUntilIdle();
  assert.equal(h.system.services.has("EARLY"), false);
  assert.ok(bp.isFinished());
});

test("property: subscribers joining at random points each get exactly the suffix published after they joined, in order", () => {
  type Op = { kind: "publish"; value: number; settle: boolean } | { kind: "join" };
  const op = fc.oneof(
    fc.record({ kind: fc.constant("publish" as const), value: fc.integer(), settle: fc.boolean() }),
    fc.constant({ kind: "join" as const }),
  );
  fc.assert(
    fc.property(fc.array(op, { maxLength: 60 }), fc.integer({ min: 1, max: 4 }), (ops: Op[], width) => {
      const h = new Harness();
      const bp = h.activate(Backplane<number>("P"));
      const published: number[] = [];
      const subs: { out: { take(): number[] }; from: number }[] = [];
      for (const o of ops) {
        if (o.kind === "publish") {
          published.push(o.value);
          h.send(bp, "inbox", o.value);
          if (o.settle) h.runUntilIdle();
        } else {
          // A subscriber joins when its request reaches the backplane's inbox: in its first step.
          const sub = SubscribeTo<number>("P");
          const sink = new Sink<number>();
          sink.inbox.setSize(width); // bounded subscribers must not lose anything either
          h.activate(Pipeline(sub, sink));
          while (!bp.inbox.peek().some((m) => m instanceof BackplaneSubscribe && m.inbox === sub.inbox)) {
            assert.ok(h.system.scheduler.stepOne(), "the subscriber never asked to subscribe");
          }
          subs.push({ out: { take: () => sink.got }, from: published.length });
        }
      }
      h.control(bp, producerFinished());
      h.runUntilIdle();
      for (const s of subs) assert.deepEqual(s.out.take(), published.slice(s.from));
      assert.deepEqual(h.alive(), []);
      assert.deepEqual(h.failures, []);
    }),
    { numRuns: 200 },
  );
});

/** Takes nothing until `release()`; then keeps what it receives. */
class Stuck<T> extends Component<T, never> {
  got: T[] = [];
  ended: unknown = null;
  private open = false;
  release(): void {
    this.open = true;
    this.unpause();
  }
  *main() {
    this.inbox.setSize(1);
    while (!this.open) {
      if (this.checkShutdown() !== null) {
        this.ended = this.shutdownMessage;
        return;
      }
      this.pause();
      yield;
    }
    yield* this.processMessages((m) => {
      this.got.push(m);
    });
  }
}

test("bounded pub/sub: a fast publisher is paced by the backplane's limit (it waits); nothing is lost", () => {
  const h = new Harness();
  const bp = h.activate(Backplane<number>("PACED", { pipewidth: 8, queueSize: 2 }));
  const sink = new Sink<number>();
  sink.inbox.setSize(1);
  h.activate(Pipeline(SubscribeTo<number>("PACED"), sink));
  h.runUntilIdle();
  const n = 2000;
  const all = Array.from({ length: n }, (_, i) => i);
  h.activate(Pipeline(new Source(all), PublishTo<number>("PACED")));
  let most = 0;
  while (h.step()) most = Math.max(most, bp.inbox.length);
  // Messages sent before the publisher found its backplane (at most its own pipewidth, 64) move there at once.
  assert.ok(most <= 8 + 64, `the backplane held ${most} messages, more than its pipewidth (8) + the publisher's (64)`);
  assert.equal(bp.inbox.limit, 8);
  assert.deepEqual(sink.got, all);
  assert.equal(bp.dropped, 0);
});

test("slow consumer policy dropOldest: the slow subscriber loses its oldest, counted; the others get everything", () => {
  const h = new Harness();
  const bp = h.activate(Backplane<number>("DROP", { policy: "dropOldest", queueSize: 4 }));
  const fast = new Sink<number>();
  const stuck = new Stuck<number>();
  const sub = SubscribeTo<number>("DROP");
  h.activate(Pipeline(SubscribeTo<number>("DROP"), fast));
  h.activate(Pipeline(sub, stuck));
  h.runUntilIdle();
  const n = 100;
  const all = Array.from({ length: n }, (_, i) => i);
  h.activate(Pipeline(new Source(all), PublishTo<number>("DROP")));
  h.runUntilIdle();
  assert.deepEqual(fast.got, all);
  assert.ok(sub.dropped > 0);
  assert.equal(bp.dropped, sub.dropped);
  assert.equal(sub.disconnected, false);
  stuck.release();
  h.runUntilIdle();
  // What it did receive is in order, ends with the newest, and with the drops accounts for everything.
  assert.equal(stuck.got.length + sub.dropped, n);
  assert.deepEqual(stuck.got.slice(-4), [96, 97, 98, 99]);
  for (let i = 1; i < stuck.got.length; i++) assert.ok(stuck.got[i]! > stuck.got[i - 1]!);
});

test("slow consumer policy disconnect: the slow subscriber is dropped at once with a SlowConsumer saying why; the others never wait", () => {
  const h = new Harness();
  const bp = h.activate(Backplane<number>("CUT", { policy: "disconnect", queueSize: 4, maxWaitMs: 0 }));
  const fast = new Sink<number>();
  const stuck = new Stuck<number>();
  const sub = SubscribeTo<number>("CUT");
  const patient = new Stuck<number>();
  const blocker = SubscribeTo<number>("CUT", { policy: "block", queueSize: 1000 });
  h.activate(Pipeline(SubscribeTo<number>("CUT"), fast));
  h.activate(Pipeline(sub, stuck));
  h.activate(Pipeline(blocker, patient));
  h.runUntilIdle();
  const n = 100;
  const all = Array.from({ length: n }, (_, i) => i);
  h.activate(Pipeline(new Source(all), PublishTo<number>("CUT")));
  h.runUntilIdle();
  assert.deepEqual(fast.got, all);
  assert.equal(sub.disconnected, true);
  assert.equal(bp.disconnected, 1);
  assert.ok(sub.isFinished());
  assert.ok(stuck.ended instanceof SlowConsumer, "the SlowConsumer is passed on downstream");
  assert.match((stuck.ended as SlowConsumer).reason, /^slow consumer: \d+ messages were waiting for SubscribeToComponent_\d+ on backplane "CUT" \(publishers waited \d+ ms for it in the last 10000 ms\)$/);
  assert.equal(bp.dropped, sub.dropped);
  assert.ok(sub.dropped > 0 && sub.dropped <= n);
  // A subscriber that chose "block" keeps everything even on a disconnecting backplane.
  assert.equal(blocker.disconnected, false);
  patient.release();
  h.runUntilIdle();
  assert.deepEqual(patient.got, all);
  assert.equal(bp.subscribers(), 2);
});

test("subscribing is never refused for want of room, and bad policies or sizes are clear errors", () => {
  const h = new Harness();
  const bp = h.activate(Backplane<number>("FULL", { pipewidth: 2 }));
  const stuck = new Stuck<number>();
  h.activate(Pipeline(SubscribeTo<number>("FULL", { queueSize: 1 }), stuck));
  h.runUntilIdle();
  h.activate(Pipeline(new Source([1, 2, 3, 4, 5, 6]), PublishTo<number>("FULL")));
  h.runUntilIdle();
  assert.ok(bp.inbox.isFull());
  const late = new Sink<number>();
  h.activate(Pipeline(SubscribeTo<number>("FULL"), late));
  h.runUntilIdle();
  h.activate(Pipeline(new Source([7, 8]), PublishTo<number>("FULL")));
  h.runUntilIdle();
  stuck.release();
  h.runUntilIdle();
  assert.deepEqual(stuck.got, [1, 2, 3, 4, 5, 6, 7, 8]);
  assert.equal(bp.subscribers(), 2);
  assert.deepEqual(late.got, [7, 8], "the late subscriber receives what was published after its request");
  assert.throws(() => Backplane("X", { policy: "never" as "block" }), /policy must be "block", "dropOldest" or "disconnect", got/);
  assert.throws(() => SubscribeTo("X", { queueSize: -1 }), /SubscribeToComponent_\d+: queueSize must be a whole number >= 0/);
});

test("a SubscribeTo subscribes when it is activated, if its backplane exists: what is published right after reaches it", () => {
  const h = new Harness();
  const bp = h.activate(Backplane<string>("EARLY"));
  h.runUntilIdle();
  const sub = SubscribeTo<string>("EARLY");
  const out = h.collect(sub.outbox);
  h.activate(sub);
  // Published before the subscriber has taken a single step (as a connection's first line can be).
  bp.inbox.deliver("first", "test");
  h.runUntilIdle();
  assert.deepEqual(out.messages, ["first"]);
});
