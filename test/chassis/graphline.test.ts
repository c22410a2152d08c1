import { test } from "node:test";
import assert from "node:assert/strict";
import { Component, Graphline, GraphlineComponent, LinkageError, Pipeline, ProducerFinished, producerFinished, shutdownMicroprocess, type Ipc } from "../../src/index.js";
import { Harness } from "../../src/testing/index.js";

class Tag extends Component<string, string> {
  tag = "";
  *main() {
    yield* this.processMessages((s) => this.send(`${this.tag}${s}`));
  }
}

/** Records control messages; finishes on any shutdown without passing it on. */
class Quiet extends Component<string, string> {
  heard: Ipc[] = [];
  *main() {
    for (;;) {
      while (this.dataReady("control")) {
        const m = this.recv("control");
        this.heard.push(m);
        if (m instanceof ProducerFinished || m.constructor.name === "ShutdownMicroprocess") return;
      }
      this.pause();
      yield;
    }
  }
}

test("linkages wire children to each other and to the Graphline's own boxes", () => {
  const h = new Harness();
  const g = h.activate(
    Graphline(
      { A: Tag.create({ tag: "a" }), B: Tag.create({ tag: "b" }) },
      { "self.inbox": "A.inbox", "A.outbox": "B.inbox", "B.outbox": "self.outbox" },
    ),
  );
  const out = h.collect(g.outbox);
  h.send(g, "inbox", "1", "2");
  h.runUntilIdle();
  assert.deepEqual(out.take(), ["ba1", "ba2"]);
});

test("boxes named on self are created per instance, described like the child box they link to", () => {
  class Side extends Component<string, string> {
    readonly errors = this.addOutbox<string>("errors", "complaints about bad input");
    *main() {
      yield* this.processMessages((s) => this.send(`bad: ${s}`, this.errors));
    }
  }
  const h = new Harness();
  const g1 = h.activate(Graphline({ S: new Side() }, { "self.inbox": "S.inbox", "S.errors": "self.errors" }));
  const g2 = h.activate(Graphline({ T: new Tag() }, { "self.inbox": "T.inbox" }));
  h.runUntilIdle();
  const errs = g1.outboxNamed("errors");
  assert.equal(errs.description, "complaints about bad input");
  assert.throws(() => g2.outboxNamed("errors"), /has no outbox named "errors"/, "self boxes do not leak into other instances");
  const got = h.collect(errs);
  h.send(g1, "inbox", "x");
  h.runUntilIdle();
  assert.deepEqual(got.take(), ["bad: x"]);
});

test("Graphlines nest inside Pipelines inside Graphlines, and messages sent before wiring are not lost", () => {
  const h = new Harness();
  const inner = Graphline({ X: Tag.create({ tag: "x" }) }, { "self.inbox": "X.inbox", "X.outbox": "self.outbox" });
  const outer = Graphline(
    { P: Pipeline(inner, Tag.create({ tag: "p" })), Q: Tag.create({ tag: "q" }) },
    { "self.inbox": "P.inbox", "P.outbox": "Q.inbox", "Q.outbox": "self.outbox" },
  );
  outer.inbox.deliver("early", "test");
  h.activate(outer);
  const out = h.collect(outer.outbox);
  h.runUntilIdle();
  h.send(outer, "inbox", "late");
  h.runUntilIdle();
  assert.deepEqual(out.take(), ["qpxearly", "qpxlate"]);
});

test("shutdown: control goes to each child whose control is not linked; then a new producerFinished out of signal", () => {
  const h = new Harness();
  const a = new Quiet();
  const b = new Quiet();
  const c = new Quiet();
  const g = h.activate(Graphline({ A: a, B: b, C: c }, { "A.signal": "B.control" }));
  const sig = h.collect(g.signal);
  h.runUntilIdle();
  const pf = producerFinished();
  h.control(g, pf);
  h.runUntilIdle();
  assert.deepEqual(a.heard, [pf]);
  assert.deepEqual(c.heard, [pf]);
  assert.deepEqual(b.heard, [], "B's control is the sink of a linkage, so the Graphline leaves it alone");
  assert.ok(!g.isFinished(), "B is still running");
  b.control.deliver(producerFinished(), "test");
  h.runUntilIdle();
  assert.ok(g.isFinished());
  const out = sig.take();
  assert.equal(out.length, 1);
  assert.ok(out[0] instanceof ProducerFinished && out[0] !== pf, "a new producerFinished");
});

test("shutdown: a shutdownMicroprocess received is remembered and sent out of signal at the end", () => {
  const h = new Harness();
  const g = h.activate(Graphline({ A: new Quiet(), B: new Tag() }, {}));
  const sig = h.collect(g.signal);
  h.runUntilIdle();
  const sd = shutdownMicroprocess();
  h.control(g, sd);
  h.runUntilIdle();
  assert.ok(g.isFinished());
  assert.deepEqual(sig.take(), [sd]);
});

test("shutdown: with self.control linked the Graphline forwards nothing; with self.signal linked it sends nothing itself", () => {
  const h = new Harness();
  const a = Tag.create({ tag: "a" });
  const b = new Quiet();
  const g = h.activate(Graphline({ A: a, B: b }, { "self.control": "A.control", "A.signal": "self.signal" }));
  const sig = h.collect(g.signal);
  h.runUntilIdle();
  const pf = producerFinished();
  h.control(g, pf);
  h.runUntilIdle();
  assert.deepEqual(b.heard, [], "not forwarded to B");
  assert.ok(a.isFinished());
  assert.deepEqual(sig.take(), [pf], "only A's own signal, passed through");
  b.control.deliver(shutdownMicroprocess(), "test");
  h.runUntilIdle();
  assert.ok(g.isFinished());
  assert.deepEqual(sig.take(), [], "no message of the Graphline's own");
});

test("bad linkages are clear errors naming the Graphline, the linkage and what is wrong", () => {
  const mk = (l: Record<string, string>) => new GraphlineComponent({ A: new Tag(), B: new Tag() }, l);
  assert.throws(() => mk({ "Z.outbox": "A.inbox" }), (e: unknown) => e instanceof LinkageError && /linkage "Z.outbox" → "A.inbox" names a child "Z" that does not exist \(children: A, B\)/.test(e.message));
  assert.throws(() => mk({ "A.outbox": "B.nope" }), /has no inbox named "nope"/);
  assert.throws(() => mk({ "A.inbox": "B.inbox" }), /has no outbox named "inbox"/);
  assert.throws(() => mk({ "self.inbox": "self.outbox" }), /links the Graphline to itself/);
  assert.throws(() => mk({ Aoutbox: "B.inbox" }), /must be written "child.box"/);
  assert.throws(() => new GraphlineComponent({ A: new Tag() }, undefined as never), /needs its linkages/);
  assert.throws(() => new GraphlineComponent({ "A.b": new Tag() }, {}), /cannot name a child/);
});

test("an empty Graphline finishes at once, sending producerFinished", () => {
  const h = new Harness();
  const g = h.activate(Graphline({}, {}));
  const sig = h.collect(g.signal);
  h.runUntilIdle();
  assert.ok(g.isFinished());
  assert.ok(sig.take()[0] instanceof ProducerFinished);
});
