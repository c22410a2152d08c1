import { test } from "node:test";
import assert from "node:assert/strict";
import { Backplane, WaitBudget } from "../../src/index.js";

test("WaitBudget: counts only the waiting within the sliding window, partly overlapping waits in part", () => {
  const b = new WaitBudget(500, 10_000);
  assert.equal(b.remaining(0), 500);
  b.record(1_000, 1_200);
  b.record(2_000, 2_250);
  assert.equal(b.spent(3_000), 450);
  assert.equal(b.remaining(3_000), 50);
  b.record(3_000, 3_100);
  assert.equal(b.spent(3_100), 550);
  assert.equal(b.remaining(3_100), 0, "over budget: nothing left, never negative");
  // The first wait is half out of the window at 11,100 and wholly out at 11,200.
  assert.equal(b.spent(11_100), 100 + 250 + 100);
  assert.equal(b.spent(11_200), 250 + 100);
  assert.equal(b.spent(20_000), 0);
  b.record(5, 5);
  assert.equal(b.spent(20_000), 0, "an empty wait is not kept");
});

test("windowMs is a backplane setting (default 10 s) with a clear error when bad", () => {
  assert.equal(Backplane("W1").windowMs, 10_000);
  assert.equal(Backplane("W2", { windowMs: 2_000 }).windowMs, 2_000);
  assert.throws(() => Backplane("W3", { windowMs: -1 }), /BackplaneComponent_\d+: windowMs must be a whole number >= 0 \(0 for no limit\), got a number \(-1\)/);
});
