/**
 * The Harness as its doc comment shows it: `messages` holds what the
 * outbox sent without an explicit `take()`.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { Component } from "../../src/index.js";
import { Harness } from "../../src/testing/index.js";

class Upper extends Component<string, string> {
  *main() {
    yield* this.processMessages((s) => this.send(s.toUpperCase()));
  }
}

test("the documented use: send, runUntilIdle, read messages", () => {
  const h = new Harness();
  const up = h.activate(new Upper());
  const out = h.collect(up.outbox);
  h.send(up, "inbox", "a", "b");
  h.runUntilIdle();
  assert.deepEqual(out.messages, ["A", "B"]);
});

test("messages accumulates across reads; take() returns only the newly arrived", () => {
  const h = new Harness();
  const up = h.activate(new Upper());
  const out = h.collect(up.outbox);
  h.send(up, "inbox", "a");
  h.runUntilIdle();
  const seen = out.messages;
  h.send(up, "inbox", "b");
  h.runUntilIdle();
  assert.equal(out.pending, 1);
  assert.deepEqual(out.take(), ["B"]);
  assert.equal(out.pending, 0);
  assert.deepEqual(out.messages, ["A", "B"]);
  assert.equal(out.messages, seen, "the same array each time");
});

test("reading messages makes room in a limited collector, so a waiting producer carries on", () => {
  class Three extends Component<never, number> {
    *main() {
      for (const n of [1, 2, 3]) yield* this.waitSend(n);
    }
  }
  const h = new Harness();
  const p = h.activate(new Three());
  const out = h.collect(p.outbox);
  out.setLimit(1);
  h.runUntilIdle();
  assert.equal(out.pending, 1);
  assert.ok(!p.isFinished(), "waiting for room");
  const got: number[] = [];
  for (let i = 0; i < 5 && !p.isFinished(); i++) {
    got.push(...out.take());
    h.runUntilIdle();
  }
  assert.deepEqual([...got, ...out.take()], [1, 2, 3]);
  assert.deepEqual(out.messages, [1, 2, 3]);
  assert.ok(p.isFinished());
});
