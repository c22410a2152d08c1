/**
 * A link never changes another box's configuration: a limit on an inbox that
 * forwards (a chassis's inbox wired to its child) is in force where the
 * messages are stored only while the chain exists, and unlinking restores
 * each box's own limit.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { Component, System } from "../../src/index.js";

/** A component that does nothing by itself: tests drive its boxes. */
class Idle<I = unknown, O = unknown> extends Component<I, O> {
  *main(): Generator<unknown, void, unknown> {
    for (;;) {
      this.pause();
      yield;
    }
  }
}

test("a forwarding inbox's limit is in force at the end of its chain while linked, and each box's own is restored on unlink", () => {
  const src = new Idle<never, number>();
  const chassis = new Idle<number, never>();
  const child = new Idle<number, never>();
  src.link(src.outbox, chassis.inbox, { pipewidth: 2 });
  const wire = chassis.link(chassis.inbox, child.inbox);
  assert.equal(child.inbox.limit, 2, "the chassis's limit is in force where the messages go");
  assert.equal(child.inbox.ownLimit, Infinity, "the child's own configuration is untouched");
  assert.equal(chassis.inbox.ownLimit, 2);
  src.send(1);
  src.send(2);
  assert.equal(src.trySend(3), false, "the flow is bounded by the chassis's pipewidth");
  assert.deepEqual(child.inbox.peek(), [1, 2]);

  chassis.unlink(wire);
  assert.equal(child.inbox.limit, Infinity, "the child's own (no) limit is back");
  assert.equal(child.inbox.ownLimit, Infinity);
  assert.equal(chassis.inbox.limit, 2, "the chassis keeps its own limit");
  // Sends now stop at the chassis's own inbox again, under its own limit.
  src.send(4);
  src.send(5);
  assert.equal(src.trySend(6), false);
  assert.deepEqual(chassis.inbox.peek(), [4, 5]);
  assert.deepEqual(child.inbox.peek(), [1, 2], "messages already delivered stay where they are");
});

test("an inbox's own limit wins over the chain's, before, during and after the link", () => {
  const chassis = new Idle<number, never>();
  const child = new Idle<number, never>();
  chassis.inbox.setSize(2);
  child.inbox.setSize(5);
  const wire = chassis.link(chassis.inbox, child.inbox);
  assert.equal(child.inbox.limit, 5);
  chassis.unlink(wire);
  assert.equal(child.inbox.limit, 5);
  assert.equal(chassis.inbox.limit, 2);
});

test("several limited inboxes forwarding into one: the smallest is in force, and it follows links and limits as they change", () => {
  const a = new Idle<number, never>();
  const b = new Idle<number, never>();
  const end = new Idle<number, never>();
  const owner = new Idle();
  a.inbox.setSize(3);
  b.inbox.setSize(2);
  const la = owner.link(a.inbox, end.inbox);
  assert.equal(end.inbox.limit, 3);
  const lb = owner.link(b.inbox, end.inbox);
  assert.equal(end.inbox.limit, 2);
  b.inbox.setSize(7);
  assert.equal(end.inbox.limit, 3, "a limit changed upstream while linked is seen at once");
  owner.unlink(la);
  assert.equal(end.inbox.limit, 7);
  owner.unlink(lb);
  assert.equal(end.inbox.limit, Infinity);
  assert.equal(a.inbox.limit, 3);
  assert.equal(b.inbox.limit, 7);
});

test("a chain of forwarding inboxes: the limit in force is at the final inbox, whatever order the links were made in", () => {
  for (const order of ["outer first", "inner first"]) {
    const outer = new Idle<number, never>();
    const middle = new Idle<number, never>();
    const inner = new Idle<number, never>();
    const owner = new Idle();
    outer.inbox.setSize(4);
    middle.inbox.setSize(6);
    if (order === "outer first") {
      owner.link(outer.inbox, middle.inbox);
      owner.link(middle.inbox, inner.inbox);
    } else {
      owner.link(middle.inbox, inner.inbox);
      owner.link(outer.inbox, middle.inbox);
    }
    assert.equal(inner.inbox.limit, 4, order);
    assert.equal(inner.inbox.ownLimit, Infinity, order);
    owner.unlinkAll();
    assert.deepEqual([outer.inbox.limit, middle.inbox.limit, inner.inbox.limit], [4, 6, Infinity], order);
  }
});

test("unlinking a chain that held a full box: the producer waiting for room is woken and sends to its new destination", async () => {
  const sys = new System();
  const sent: number[] = [];
  class Producer extends Component<never, number> {
    *main() {
      for (let i = 0; i < 4; i++) {
        yield* this.waitSend(i);
        sent.push(i);
      }
    }
  }
  const chassis = new Idle<number, never>();
  const child = new Idle<number, never>();
  const p = new Producer();
  chassis.inbox.setSize(2);
  const wire = chassis.link(chassis.inbox, child.inbox);
  p.link(p.outbox, chassis.inbox);
  p.activate(sys);
  for (const end = Date.now() + 20_000; sent.length < 2 || sys.scheduler.hasWork(); ) {
    assert.ok(Date.now() < end, "the producer filled the chain");
    await new Promise((r) => setTimeout(r, 5));
  }
  assert.deepEqual(sent, [0, 1], "held at the chain's limit");
  // Its messages now stop at the chassis's own inbox (empty, limit 2): nothing else will wake it.
  chassis.unlink(wire);
  await p.finished();
  assert.deepEqual(sent, [0, 1, 2, 3]);
  assert.deepEqual(child.inbox.peek(), [0, 1]);
  assert.deepEqual(chassis.inbox.peek(), [2, 3]);
  sys.stop();
  await sys.run();
});
