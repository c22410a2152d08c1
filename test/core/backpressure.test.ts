import { test } from "node:test";
import assert from "node:assert/strict";
import { Component, Pipeline, System } from "../../src/index.js";
import { Harness } from "../../src/testing/index.js";

class Source extends Component<never, number> {
  count = 100;
  maxSeen = 0;
  *main() {
    for (let i = 0; i < this.count; i++) yield* this.waitSend(i);
    this.passOnShutdown();
  }
}

class SlowSink extends Component<number, never> {
  got: number[] = [];
  every = 3;
  maxQueued = 0;
  *main() {
    let tick = 0;
    for (;;) {
      this.maxQueued = Math.max(this.maxQueued, this.dataReady());
      if (++tick % this.every === 0 && this.dataReady()) this.got.push(this.recv());
      if (this.checkShutdown() !== null && !this.dataReady()) return;
      yield;
    }
  }
}

class AsyncSource extends Component<never, number> {
  count = 100;
  async main() {
    for (let i = 0; i < this.count; i++) await this.sendAsync(i);
    this.passOnShutdown();
  }
}

for (const limit of [1, 2, 5]) {
  test(`a generator producer waits for room (limit ${limit}); nothing lost, order kept, queue bounded`, () => {
    const h = new Harness();
    const src = Source.create({ count: 200 });
    const sink = new SlowSink();
    sink.inbox.setSize(limit);
    h.activate(Pipeline(src, sink));
    h.runUntilIdle();
    assert.deepEqual(sink.got, Array.from({ length: 200 }, (_, i) => i));
    assert.ok(sink.maxQueued <= limit, `max queued ${sink.maxQueued} > ${limit}`);
    assert.deepEqual(h.failures, []);
  });
}

test("an async producer awaits room; memory stays flat under a fast producer", async () => {
  const sys = new System();
  const src = AsyncSource.create({ count: 20_000 });
  const sink = new SlowSink();
  sink.inbox.setSize(4);
  await Pipeline(src, sink).run(sys);
  assert.equal(sink.got.length, 20_000);
  assert.equal(sink.got[19_999], 19_999);
  assert.ok(sink.maxQueued <= 4);
});
