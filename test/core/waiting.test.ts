import { test } from "node:test";
import assert from "node:assert/strict";
import { Component, Pipeline, System, producerFinished, shutdownMicroprocess, type Wait } from "../../src/index.js";
import { Harness } from "../../src/testing/index.js";

test("waitReadyFor: a delivery ends the wait early; otherwise it times out with null", async () => {
  const results: (string | null)[] = [];
  class Ticker extends Component<string, never> {
    *main() {
      results.push(yield* this.waitReadyFor(10_000, "inbox"));
      results.push(yield* this.waitReadyFor(5, "control"));
    }
  }
  const sys = new System();
  const t = new Ticker().activate(sys);
  setTimeout(() => t.inbox.deliver("x", "test"), 5);
  await sys.run();
  assert.deepEqual(results, ["inbox", null]);
});

test("readyAsync with a timeout resolves with null when nothing arrives", async () => {
  const results: (string | null)[] = [];
  class Waiter extends Component<string, never> {
    async main() {
      results.push(await this.readyAsync(undefined, { timeout: 5 }));
      setTimeout(() => this.inbox.deliver("y", "test"), 2);
      results.push(await this.readyAsync(undefined, { timeout: 10_000 }));
    }
  }
  await new Waiter().run(new System());
  assert.deepEqual(results, [null, "inbox"]);
});

test("an async component woken while busy elsewhere does not lose the wake", async () => {
  let woke = false;
  class Poked extends Component {
    async main() {
      await new Promise((r) => setTimeout(r, 5)); // busy with I/O when the poke comes
      await this.pauseAsync(); // returns at once: the poke was latched
      woke = true;
    }
  }
  const sys = new System();
  const p = new Poked().activate(sys);
  setTimeout(() => p.unpause(), 1);
  await sys.run();
  assert.ok(woke);
});

test("a component's end is reported only after its children's (a stopped Pipeline waits for async cleanup)", async () => {
  const events: string[] = [];
  let started = false;
  class SlowCleanup extends Component<string, string> {
    async main() {
      try {
        started = true;
        for (;;) await this.recvAsync();
      } finally {
        await new Promise((r) => setTimeout(r, 10));
        events.push("child cleaned up");
      }
    }
  }
  const sys = new System();
  const p = Pipeline(new SlowCleanup()).activate(sys);
  // Stop it once it waits in its loop (under load its first step can come late).
  for (let i = 0; i < 2000 && !started; i++) await new Promise((r) => setTimeout(r, 5));
  assert.ok(started);
  p.stop();
  await p.finished();
  events.push("pipeline finished");
  await sys.run();
  assert.deepEqual(events, ["child cleaned up", "pipeline finished"]);
});

test("processMessages onFinish runs after the last message on producerFinished, before the shutdown is passed on", () => {
  class Batcher extends Component<number, number[]> {
    batch: number[] = [];
    *main() {
      yield* this.processMessages(
        (n) => {
          this.batch.push(n);
          if (this.batch.length === 2) this.send(this.batch.splice(0));
        },
        { onFinish: () => void (this.batch.length > 0 && this.send(this.batch.splice(0))) },
      );
    }
  }
  const h = new Harness();
  const b = h.activate(new Batcher());
  const out = h.collect(b.outbox);
  const sig = h.collect(b.signal);
  h.send(b, "inbox", 1, 2, 3);
  h.control(b, producerFinished());
  h.runUntilIdle();
  assert.deepEqual(out.take(), [[1, 2], [3]]);
  assert.equal(sig.take().length, 1);
  // A stop skips onFinish.
  const b2 = h.activate(new Batcher());
  const out2 = h.collect(b2.outbox);
  h.send(b2, "inbox", 1);
  h.runUntilIdle();
  h.control(b2, shutdownMicroprocess());
  h.runUntilIdle();
  assert.deepEqual(out2.take(), []);
  assert.ok(b2.isFinished());
});

test("processMessages honours a stop that was already read before the loop began", () => {
  class Early extends Component<string, string> {
    *main() {
      yield;
      this.checkShutdown(); // reads the stop
      yield* this.processMessages((s) => this.send(s));
    }
  }
  const h = new Harness();
  const e = h.activate(new Early());
  const out = h.collect(e.outbox);
  h.control(e, shutdownMicroprocess());
  h.send(e, "inbox", "must not be handled");
  h.runUntilIdle();
  assert.deepEqual(out.take(), []);
  assert.ok(e.isFinished());
});

test("a handler's generator waits for room inside processMessages, and the method form gets `this`", () => {
  class Relay extends Component<number, number> {
    main() {
      return this.processMessages(this.handle);
    }
    *handle(n: number): Wait {
      yield* this.waitSend(n);
    }
  }
  const h = new Harness();
  const r = h.activate(new Relay());
  const out = h.collect(r.outbox);
  out.setLimit(1);
  h.send(r, "inbox", 1, 2, 3);
  h.runUntilIdle();
  assert.deepEqual(out.take(), [1]);
  h.runUntilIdle();
  assert.deepEqual(out.take(), [2]);
  h.runUntilIdle();
  assert.deepEqual(out.take(), [3]);
});

test("a pipewidth on a chassis's inbox carries over to the child it wires to", () => {
  class Slow extends Component<number, never> {
    *main() {
      for (;;) {
        this.pause();
        yield;
      }
    }
  }
  class Src extends Component<never, number> {
    *main() {}
  }
  const h = new Harness();
  const slow = new Slow();
  const p = Pipeline(slow);
  const src = new Src();
  src.link(src.outbox, p.inbox, { pipewidth: 2 }); // src is never activated, so its link stays
  h.activate(p);
  h.runUntilIdle();
  assert.equal(slow.inbox.limit, 2);
  src.send(1);
  src.send(2);
  assert.equal(src.trySend(3), false);
});

test("settings may be functions (a factory, a callback)", () => {
  class Server extends Component {
    protocol: () => string = () => "default";
    *main() {}
  }
  assert.equal(Server.create({ protocol: () => "custom" }).protocol(), "custom");
});

test("a producer waiting for room in an inbox whose owner finishes is woken, and its send becomes a dead letter", () => {
  class Stuck extends Component<number, never> {
    *main() {
      for (;;) {
        this.pause();
        yield;
      }
    }
  }
  class Pusher extends Component<never, number> {
    sent = 0;
    *main() {
      for (let i = 0; i < 3; i++) {
        yield* this.waitSend(i);
        this.sent++;
      }
    }
  }
  const h = new Harness();
  const stuck = h.activate(new Stuck());
  const pusher = new Pusher();
  stuck.inbox.setSize(1);
  new Stuck().link(pusher.outbox, stuck.inbox);
  h.activate(pusher);
  h.runUntilIdle();
  assert.equal(pusher.sent, 1, "waiting for room");
  stuck.stop();
  h.runUntilIdle();
  assert.ok(pusher.isFinished(), "woken when the box closed, and not stuck for ever");
  assert.equal(stuck.inbox.deadLetters, 3, "one dropped at close, two sent after");
});

test("Harness.step runs one component for one step", () => {
  class Two extends Component {
    n = 0;
    *main() {
      this.n++;
      yield;
      this.n++;
    }
  }
  const h = new Harness();
  const t = h.activate(new Two());
  assert.equal(h.step(), true);
  assert.equal(t.n, 1);
  assert.equal(h.step(), true);
  assert.equal(t.n, 2);
  assert.equal(h.step(), false);
});

test("an async main that gives way (yieldAsync) before anything else is resumed, not left asleep", async () => {
  const order: string[] = [];
  class Polite extends Component<never, never> {
    async main() {
      await this.yieldAsync();
      order.push("after yield");
      await this.yieldAsync();
      order.push("after second yield");
    }
  }
  const sys = new System();
  new Polite().activate(sys);
  await sys.run();
  assert.deepEqual(order, ["after yield", "after second yield"]);
});
