import { test } from "node:test";
import assert from "node:assert/strict";
import { BadLinkError, BoxAlreadyLinkedError, BoxEmptyError, BoxFullError, Component, NoSuchBoxError } from "../../src/index.js";
import { Harness } from "../../src/testing/index.js";

/** A component that does nothing by itself: tests drive its boxes. */
class Idle<I = unknown, O = unknown> extends Component<I, O> {
  *main(): Generator<unknown, void, unknown> {
    for (;;) {
      this.pause();
      yield;
    }
  }
}

test("delivery is immediate: after send returns the message is in the final inbox", () => {
  const a = new Idle<never, number>();
  const b = new Idle<number, never>();
  const parent = new Idle();
  parent.link(a.outbox, b.inbox);
  a.send(1);
  a.send(2);
  assert.equal(b.dataReady(), 2);
  assert.equal(b.recv(), 1);
  assert.equal(b.recv(), 2);
});

test("the same object reference reaches the receiver (zero-copy)", () => {
  const a = new Idle<never, object>();
  const b = new Idle<object, never>();
  new Idle().link(a.outbox, b.inbox);
  const o = { x: 1 };
  a.send(o);
  assert.equal(b.recv(), o);
});

test("passthrough chains collapse to one hop whatever order the links are made in", () => {
  for (const order of [[0, 1, 2, 3], [3, 2, 1, 0], [1, 3, 0, 2], [2, 0, 3, 1]]) {
    // child.outbox -> parent.outbox -> other.inbox -> otherChild.inbox
    const child = new Idle<never, string>();
    const parent = new Idle<never, string>();
    const other = new Idle<string, never>();
    const otherChild = new Idle<string, never>();
    const makers = [
      () => parent.link(child.outbox, parent.outbox),
      () => new Idle().link(parent.outbox, other.inbox),
      () => other.link(other.inbox, otherChild.inbox),
      () => new Idle().link(otherChild.outbox, new Idle().inbox),
    ];
    for (const i of order) makers[i]!();
    child.send("x");
    assert.equal(otherChild.dataReady(), 1, `order ${order}`);
    assert.equal(other.dataReady(), 0, "a forwarded inbox stores nothing");
    assert.equal(child.outbox.final, otherChild.inbox);
  }
});

test("reading a forwarded inbox does not steal from the final destination", () => {
  const parent = new Idle<string, never>();
  const child = new Idle<string, never>();
  parent.link(parent.inbox, child.inbox);
  parent.inbox.final.deliver("m", "test");
  assert.equal(parent.dataReady(), 0);
  assert.throws(() => parent.recv(), BoxEmptyError);
  assert.equal(child.recv(), "m");
});

test("making a link moves waiting messages, in order, even past a full destination's limit", () => {
  const p = new Idle<number, never>();
  const c = new Idle<number, never>();
  for (let i = 0; i < 5; i++) p.inbox.deliver(i, "test");
  c.inbox.setSize(2);
  p.link(p.inbox, c.inbox);
  assert.deepEqual(c.recvAll(), [0, 1, 2, 3, 4]);
});

test("a second outgoing link is an error naming both ends; fan-in is fine", () => {
  const a = new Idle<never, number>();
  const b = new Idle<number, never>();
  const c = new Idle<number, never>();
  const d = new Idle<never, number>();
  const p = new Idle();
  p.link(a.outbox, b.inbox);
  assert.throws(() => p.link(a.outbox, c.inbox), (e: unknown) => {
    assert.ok(e instanceof BoxAlreadyLinkedError);
    assert.match(e.message, new RegExp(`${a.name}\\.outbox`));
    assert.match(e.message, new RegExp(`${c.name}\\.inbox`));
    assert.match(e.message, new RegExp(`already linked to ${b.name}\\.inbox`));
    return true;
  });
  p.link(d.outbox, b.inbox);
  a.send(1);
  d.send(2);
  a.send(3);
  assert.deepEqual(b.recvAll(), [1, 2, 3]);
});

test("unknown box names, bad link kinds and loops are clear errors", () => {
  const a = new Idle();
  assert.throws(() => a.inboxNamed("inbx"), (e: unknown) => e instanceof NoSuchBoxError && /Idle_\d+ has no inbox named "inbx" \(its inboxes are: inbox, control\)/.test(e.message));
  assert.throws(() => a.link([a, "outbox"], [a, "nope"]), NoSuchBoxError);
  const b = new Idle();
  assert.throws(() => a.link(a.inbox as never, b.outbox as never), BadLinkError);
  a.link(a.inbox, b.inbox);
  assert.throws(() => a.link(b.inbox, a.inbox), /loop/);
});

test("recv on an empty box names the box", () => {
  const a = new Idle();
  assert.throws(() => a.recv(), (e: unknown) => e instanceof BoxEmptyError && e.message.includes(`${a.name}.inbox`));
});

test("send to a full box throws naming the box and limit, and the message stays with the sender", () => {
  const a = new Idle<never, number>();
  const b = new Idle<number, never>();
  new Idle().link(a.outbox, b.inbox, { pipewidth: 2 });
  a.send(1);
  a.send(2);
  assert.throws(() => a.send(3), (e: unknown) => {
    assert.ok(e instanceof BoxFullError);
    assert.equal(e.limit, 2);
    assert.match(e.message, new RegExp(`${b.name}\\.inbox is full \\(2 of limit 2\\)`));
    assert.match(e.message, new RegExp(`sent from ${a.name}\\.outbox`));
    return true;
  });
  assert.equal(a.trySend(3), false);
  assert.deepEqual(b.recvAll(), [1, 2]);
  assert.equal(a.trySend(3), true);
  assert.deepEqual(b.recvAll(), [3]);
});

test("sends from an unlinked outbox are dead letters, counted at the box and the system", () => {
  const h = new Harness();
  const a = h.activate(new Idle<never, number>());
  a.send(1);
  a.send(2);
  assert.equal(a.outbox.deadLetters, 2);
  assert.equal(h.system.deadLetters, 2);
  const seen: unknown[] = [];
  h.system.onDeadLetter = (_box, m) => seen.push(m);
  a.send(3);
  assert.deepEqual(seen, [3]);
});

test("unlinking leaves delivered messages where they are; later sends stop at the broken chain", () => {
  const a = new Idle<never, number>();
  const b = new Idle<number, never>();
  const p = new Idle();
  const l = p.link(a.outbox, b.inbox);
  a.send(1);
  p.unlink(l);
  a.send(2);
  assert.deepEqual(b.recvAll(), [1]);
  assert.equal(a.outbox.deadLetters, 1);
  p.unlink(l); // removing twice does nothing
});

test("reclaimUnread: what is left in an inbox the outbox reaches, directly or through passthroughs, comes back when its owner ends", () => {
  const h = new Harness();
  const feeder = h.activate(new Idle<never, string>());
  const taken: unknown[][] = [];
  feeder.outbox.reclaimUnread((unread) => taken.push(unread));
  // feeder.outbox -> wrapper.inbox -> inner.inbox (a chassis passing its inbox through to a child)
  const wrapper = h.activate(new Idle<string, never>());
  const inner = h.activate(new Idle<string, never>());
  feeder.link(feeder.outbox, wrapper.inbox);
  wrapper.link(wrapper.inbox, inner.inbox);
  feeder.send("a");
  feeder.send("b");
  inner.stop();
  h.runUntilIdle();
  assert.deepEqual(taken, [["a", "b"]], "handed back, oldest first");
  assert.equal(inner.inbox.deadLetters, 0);
  assert.equal(h.system.deadLetters, 0);
  // Later sends reach the closed inbox: dead letters, as before (the feeder checks `final.closed` before sending).
  assert.ok(feeder.outbox.final!.closed);
  // Without a taker upstream, what is left is dropped and counted, as before.
  const lone = h.activate(new Idle<string, never>());
  const other = h.activate(new Idle<never, string>());
  other.link(other.outbox, lone.inbox);
  other.send("x");
  lone.stop();
  h.runUntilIdle();
  assert.equal(lone.inbox.deadLetters, 1);
  assert.equal(h.system.deadLetters, 1);
  assert.deepEqual(taken, [["a", "b"]]);
});
