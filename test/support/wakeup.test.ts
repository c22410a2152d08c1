import assert from "node:assert/strict";
import { test } from "node:test";
import { Component, System } from "../../src/index.js";
import { Wakeup } from "../../src/support/index.js";

test("Wakeup: a poke that lands while the component is busy (not waiting) is kept, and its next wait returns at once", async () => {
  const sys = new System();
  const seen: string[] = [];
  let poke!: () => void;
  class Waiter extends Component<never, never> {
    async main() {
      const w = new Wakeup(this);
      poke = w.poke;
      // Busy with "I/O" when the poke arrives: without the latch it would be lost.
      await new Promise<void>((r) => setImmediate(() => (poke(), r())));
      await w.wait();
      seen.push("woken by the early poke");
      setImmediate(poke);
      await w.wait();
      seen.push("woken by a later poke");
    }
  }
  new Waiter().activate(sys);
  await sys.run();
  assert.deepEqual(seen, ["woken by the early poke", "woken by a later poke"]);
});

test("Wakeup: a wait returns at once when one of the given inboxes holds a message", async () => {
  const sys = new System();
  let got = "";
  class Reader extends Component<string, never> {
    async main() {
      const w = new Wakeup(this);
      await w.wait([this.inbox]);
      got = this.recv();
    }
  }
  const r = new Reader().activate(sys);
  r.inbox.deliver("hello", "test");
  await sys.run();
  assert.equal(got, "hello");
});
