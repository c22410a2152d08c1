import { test } from "node:test";
import assert from "node:assert/strict";
import { Component, Pipeline, PipelineComponent, ProducerFinished, System, producerFinished, shutdownMicroprocess } from "../../src/index.js";
import { Harness } from "../../src/testing/index.js";

class Add extends Component<number, number> {
  by = 1;
  *main() {
    yield* this.processMessages((n) => this.send(n + this.by));
  }
}

class AsyncDouble extends Component<number, number> {
  async main() {
    for (;;) {
      if ((await this.readyAsync()) === "control" && this.checkShutdown() !== null && !this.dataReady()) break;
      while (this.dataReady()) await this.sendAsync(this.recv() * 2);
    }
    this.passOnShutdown();
  }
}

test("messages pass through every stage in order and out of the Pipeline's outbox", async () => {
  const h = new Harness();
  const p = h.activate(Pipeline(new Add(), AsyncDouble.create(), Add.create({ by: 10 })));
  const out = h.collect(p.outbox);
  const sig = h.collect(p.signal);
  h.send(p, "inbox", 1, 2, 3);
  const pf = producerFinished();
  h.control(p, pf);
  await h.settle();
  assert.deepEqual(out.take(), [14, 16, 18]);
  assert.deepEqual(sig.take(), [pf], "producerFinished travelled signal → control down the line and out");
  assert.ok(p.isFinished(), "the Pipeline ends when all its children have");
});

test("messages sent before the Pipeline wired itself are not lost, nested Pipelines included", () => {
  const h = new Harness();
  const inner = Pipeline(new Add(), new Add());
  const p = Pipeline(inner, new Add());
  // Before activation, and before the first timeslice: they wait in the Pipeline's own inbox.
  p.inbox.deliver(0, "test");
  h.activate(p);
  p.inbox.final.deliver(100, "test");
  const out = h.collect(p.outbox);
  h.runUntilIdle();
  assert.deepEqual(out.take(), [3, 103]);
});

test("shutdownMicroprocess stops every stage at once and comes out of signal", () => {
  const h = new Harness();
  const stages = [new Add(), new Add(), new Add()];
  const p = h.activate(Pipeline(...stages));
  const sig = h.collect(p.signal);
  h.runUntilIdle();
  const sd = shutdownMicroprocess();
  h.control(p, sd);
  h.runUntilIdle();
  assert.ok(stages.every((s) => s.isFinished()) && p.isFinished());
  assert.deepEqual(sig.take(), [sd]);
});

class Counter extends Component<number, number> {
  limit = 5;
  seen: number[] = [];
  *main() {
    if (!this.dataReady()) this.send(0);
    for (;;) {
      const n = yield* this.waitRecv();
      this.seen.push(n);
      if (n >= this.limit) {
        this.send(producerFinished(this), "signal");
        return;
      }
      this.send(n);
    }
  }
}

test("a circular Pipeline feeds the last stage back to the first", async () => {
  const counter = Counter.create({ limit: 6 });
  const p = Pipeline.circular(counter, new Add());
  assert.ok(p instanceof PipelineComponent && p.circular);
  const sys = new System();
  const done = p.run(sys);
  await done;
  assert.deepEqual(counter.seen, [1, 2, 3, 4, 5, 6]);
});

test("an empty Pipeline finishes at once", async () => {
  await Pipeline().run(new System());
});

test("the Pipeline's control passes to the first child; its signal is the last child's", () => {
  const h = new Harness();
  const a = new Add();
  const b = new Add();
  const p = h.activate(Pipeline(a, b));
  h.runUntilIdle();
  assert.equal(p.control.final, a.control);
  assert.equal(b.signal.final, null, "unlinked beyond the Pipeline");
  const sig = h.collect(p.signal);
  h.control(p, producerFinished());
  h.runUntilIdle();
  assert.ok(sig.take()[0] instanceof ProducerFinished);
});
