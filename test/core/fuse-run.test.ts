/**
 * Fusion of a run (Component._fuseRun, runner.ts `fuseRun`): many messages
 * for one idle processMessages component handed to its handler in one fused
 * call. Each message is taken only if a fused delivery would take it at that
 * moment; the run stops at the first that would not, and the caller delivers
 * the rest as usual. These tests change things from inside the handler and
 * check the result is what one delivery at a time gives.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { ComponentFailure, shutdownMicroprocess, type Inbox } from "../../src/index.js";
import { Harness } from "../../src/testing/index.js";
import { Keep, keepSendingIntoOne } from "../support/keep.js";

const always = { holds: () => true };

/** Hand `run` to `c` as a fused run, then deliver whatever it did not take one by one (as the Backplane does). */
function give(c: Keep, run: number[], guard = always): number {
  const k = c._fuseRun(c.inbox as Inbox, run, 0, run.length, guard);
  for (let j = k; j < run.length; j++) c.inbox.deliver(run[j], "test");
  return k;
}

test("an idle receiver takes the whole run in one call, in order, with no scheduler step", () => {
  const h = new Harness();
  const c = h.activate(new Keep());
  h.runUntilIdle();
  const steps = h.system.scheduler.steps;
  assert.equal(give(c, [1, 2, 3, 4]), 4);
  assert.deepEqual(c.got, [1, 2, 3, 4]);
  assert.equal(h.system.scheduler.steps, steps);
});

test("a receiver that is not idle in its loop takes nothing (not started, fusion off, or stopped)", () => {
  const h = new Harness();
  const fresh = h.activate(new Keep());
  assert.equal(fresh._fuseRun(fresh.inbox as Inbox, [1], 0, 1, always), 0, "not started yet");
  h.runUntilIdle();
  h.system.scheduler.fusion = false;
  assert.equal(fresh._fuseRun(fresh.inbox as Inbox, [1], 0, 1, always), 0, "fusion off");
  h.system.scheduler.fusion = true;
  fresh.stop();
  assert.equal(fresh._fuseRun(fresh.inbox as Inbox, [1], 0, 1, always), 0, "stopping");
  assert.deepEqual(fresh.got, []);
});

test("a handler that queues into its own inbox ends the run: what it queued comes first", () => {
  const h = new Harness();
  const c = h.activate(new Keep());
  h.runUntilIdle();
  c.onMessage = (m) => {
    if (m === 2) c.inbox.deliver(100, "self");
  };
  assert.equal(give(c, [1, 2, 3, 4]), 2);
  h.runUntilIdle();
  assert.deepEqual(c.got, [1, 2, 100, 3, 4]);
});

test("a stop or a shutdown on control from inside the handler ends the run there; the rest is never handled", () => {
  for (const how of ["stop", "control"] as const) {
    const h = new Harness();
    const c = h.activate(new Keep());
    h.runUntilIdle();
    c.onMessage = (m) => {
      if (m !== 2) return;
      if (how === "stop") c.stop();
      else c.control.deliver(shutdownMicroprocess(), "test");
    };
    assert.equal(give(c, [1, 2, 3, 4]), 2, how);
    h.runUntilIdle();
    assert.deepEqual(c.got, [1, 2], how);
    assert.ok(c.isFinished(), how);
  }
});

test("a handler that waits (for room downstream) ends the run; the rest queue behind it and follow in order", () => {
  const { h, c, out } = keepSendingIntoOne();
  assert.equal(give(c, [1, 2, 3, 4]), 2, "1 is sent, 2 waits for room");
  assert.deepEqual(c.got, [1, 2]);
  for (let i = 0; i < 10 && c.got.length < 4; i++) {
    out.take();
    h.runUntilIdle();
  }
  assert.deepEqual(c.got, [1, 2, 3, 4]);
});

test("a handler that throws ends the run and fails in the receiver's own next step; the rest are not handled", () => {
  const h = new Harness();
  const c = h.activate(new Keep());
  h.runUntilIdle();
  c.onMessage = (m) => {
    if (m === 2) throw new RangeError("two");
  };
  assert.equal(give(c, [1, 2, 3]), 2);
  assert.equal(h.failures.length, 0, "not inside the sender's call");
  h.runUntilIdle();
  assert.deepEqual(c.got, [1, 2]);
  assert.equal(h.failures.length, 1);
  assert.ok(h.failures[0] instanceof ComponentFailure);
});

test("the sender's guard is asked before every message, and false ends the run", () => {
  const h = new Harness();
  const c = h.activate(new Keep());
  h.runUntilIdle();
  let asked = 0;
  const guard = { holds: (box: Inbox) => box === c.inbox && ++asked <= 2 };
  assert.equal(c._fuseRun(c.inbox as Inbox, [1, 2, 3], 0, 3, guard), 2);
  assert.equal(asked, 3);
  assert.deepEqual(c.got, [1, 2]);
});
