import { test } from "node:test";
import assert from "node:assert/strict";
import {
  ChassisArgumentError,
  Component,
  ErrorInformation,
  Graphline,
  PassThrough,
  Pipeline,
  ProducerFinished,
  Seq,
  System,
  producerFinished,
  shutdownKind,
  shutdownMicroprocess,
  type SeqComponent,
} from "../../src/index.js";
import { Harness } from "../../src/testing/index.js";
import { Idler, Keep, Lines, TakeThenLinger } from "./helpers.js";

/** Handles `n` messages (tagging them), then ends; obeys control. */
class Phase extends Component<string, string> {
  ran = false;
  sawShutdown: unknown = null;
  constructor(
    readonly tag: string,
    readonly n: number,
  ) {
    super();
  }
  *main() {
    this.ran = true;
    let taken = 0;
    for (;;) {
      while (this.dataReady() > 0 && taken < this.n) {
        this.send(`${this.tag}:${this.recv()}`);
        taken++;
      }
      if (taken >= this.n) break;
      const k = this.checkShutdown();
      if (k === "stop" || (k === "finish" && this.dataReady() === 0)) break;
      this.pause();
      yield;
    }
    this.sawShutdown = this.shutdownMessage;
    this.passOnShutdown();
  }
}

test("components run one after another, each taking its share of the input, in order", () => {
  const h = new Harness();
  const phases = [new Phase("a", 2), new Phase("b", 1), new Phase("c", 2)];
  const seq = Seq(...phases);
  // Input sent before the Seq has wired itself is not lost.
  h.send(seq, "inbox", "1", "2", "3");
  h.activate(seq);
  const out = h.collect(seq.outbox);
  const sig = h.collect(seq.signal);
  h.runUntilIdle();
  assert.deepEqual(out.take(), ["a:1", "a:2", "b:3"]);
  assert.ok(phases[2]!.isActive(), "the third phase is running, waiting for input");
  assert.deepEqual(sig.take(), [], "a phase ending does not leak its signal");
  h.send(seq, "inbox", "4", "5");
  h.runUntilIdle();
  assert.deepEqual(out.take(), ["c:4", "c:5"]);
  const s = sig.take();
  assert.equal(s.length, 1);
  assert.ok(s[0] instanceof ProducerFinished);
  assert.ok(seq.isFinished());
});

test("input that arrives while one phase ends and the next starts goes to the next phase", () => {
  const h = new Harness();
  const seq = h.activate(Seq(new Phase("a", 1), new Phase("b", 3)));
  const out = h.collect(seq.outbox);
  h.runUntilIdle();
  h.send(seq, "inbox", "1");
  h.system.scheduler.stepOne(); // phase a takes "1" and ends; the Seq has not noticed yet
  h.send(seq, "inbox", "2", "3");
  h.runUntilIdle();
  h.send(seq, "inbox", "4");
  h.runUntilIdle();
  assert.deepEqual(out.take(), ["a:1", "b:2", "b:3", "b:4"]);
});

test("a message handed to a phase that ends without reading it goes to the next phase (typing ahead loses nothing)", () => {
  /** Ends as soon as it has one message, leaving the next one (already handed over) unread. */
  class Login extends Component<string, string> {
    *main() {
      const user = yield* this.waitRecv();
      this.send(`welcome ${user}`);
      // Give the Seq a chance to hand over the next line before ending.
      yield;
      yield;
    }
  }
  const h = new Harness();
  const seq = Seq(new Login(), new Phase("board", 3));
  h.send(seq, "inbox", "alice", "help", "list");
  h.activate(seq);
  const out = h.collect(seq.outbox);
  h.runUntilIdle();
  assert.deepEqual(out.take(), ["welcome alice", "board:help", "board:list"]);
});

/**
 * Count the data messages `system` drops: not the end-of-work messages a child sends from an unlinked signal,
 * nor the finish a phase was told and ended (by itself) before reading from its control.
 */
function countLostData(system: System): { lost: number } {
  const count = { lost: 0 };
  system.onDeadLetter = (box, m) => {
    if (shutdownKind(m) === null && box.name !== "control") count.lost++;
  };
  return count;
}

/** Run `seq` on a harness fed 1..5 and return what came out, with the count of input messages dropped. */
function feedFive(seq: SeqComponent<string, string>): { out: string[]; dead: number; h: Harness } {
  const h = new Harness();
  const count = countLostData(h.system);
  h.send(seq, "inbox", "1", "2", "3", "4", "5");
  h.activate(seq);
  const out = h.collect(seq.outbox);
  h.collect(seq.signal);
  h.runUntilIdle();
  return { out: out.take(), dead: count.lost, h };
}

test("regression (issue 14): a Pipeline phase's unread input goes to the next phase, even after the component reading it has ended", () => {
  // The issue's own example: the Seq kept feeding the Pipeline after takeTwo ended; 3 dead letters, and a hang.
  const plain = feedFive(Seq(Pipeline(new Phase("two", 2), new PassThrough<string>()), new Phase("three", 3)));
  assert.deepEqual(plain.out, ["two:1", "two:2", "three:3", "three:4", "three:5"]);
  assert.equal(plain.dead, 0);
  assert.deepEqual(plain.h.alive(), []);
  // The first stage is handed one more message than it reads before it ends: that one is not lost either.
  const linger = feedFive(Seq(Pipeline(new TakeThenLinger("two", 2), new PassThrough<string>()), new Phase("three", 3)));
  assert.deepEqual(linger.out, ["two:1", "two:2", "three:3", "three:4", "three:5"]);
  assert.equal(linger.dead, 0);
  assert.deepEqual(linger.h.alive(), []);
});

test("regression (issue 14): a Graphline phase's unread input goes to the next phase", () => {
  const g = Graphline(
    { A: new TakeThenLinger("a", 2), B: new PassThrough<string>() },
    { "self.inbox": "A.inbox", "A.outbox": "B.inbox", "A.signal": "B.control", "B.outbox": "self.outbox" },
  );
  const r = feedFive(Seq(g, new Phase("next", 3)));
  assert.deepEqual(r.out, ["a:1", "a:2", "next:3", "next:4", "next:5"]);
  assert.equal(r.dead, 0);
  assert.deepEqual(r.h.alive(), []);
});

test("regression (issue 14): a nested Seq's unread input (left inside a Pipeline inside it) goes to the outer Seq's next phase", () => {
  const inner = Seq(Pipeline(new TakeThenLinger("p", 1), new PassThrough<string>()), new TakeThenLinger("q", 1));
  const r = feedFive(Seq(inner, new Phase("rest", 3)));
  assert.deepEqual(r.out, ["p:1", "q:2", "rest:3", "rest:4", "rest:5"]);
  assert.equal(r.dead, 0);
  assert.deepEqual(r.h.alive(), []);
});

test("regression (issue 14): the same on the real scheduler, input arriving as the phases run", async () => {
  const keep = new Keep();
  const system = new System();
  const count = countLostData(system);
  const seq = Seq(
    Pipeline(new TakeThenLinger("a", 3), new PassThrough<string>()),
    Seq(Graphline({ G: new TakeThenLinger("b", 4) }, { "self.inbox": "G.inbox", "G.outbox": "self.outbox" }), new TakeThenLinger("c", 5)),
    new Phase("d", 100),
  );
  await Pipeline(new Lines(Array.from({ length: 20 }, (_, i) => String(i + 1))), seq, keep).run(system);
  const expected = Array.from({ length: 20 }, (_, i) => `${i < 3 ? "a" : i < 7 ? "b" : i < 12 ? "c" : "d"}:${i + 1}`);
  assert.deepEqual(keep.got, expected);
  assert.equal(count.lost, 0);
});

test("regression (issue 14): producerFinished reaches a last phase that never reads its inbox, with input still waiting", () => {
  const h = new Harness();
  const t = new Idler();
  const seq = h.activate(Seq(new Phase("a", 1), t));
  h.send(seq, "inbox", "1", "2", "3", "4");
  h.runUntilIdle();
  const fin = producerFinished();
  h.control(seq, fin);
  h.runUntilIdle();
  assert.equal(t.saw, fin);
  assert.ok(seq.isFinished());
  assert.deepEqual(h.alive(), []);
});

test("producerFinished reaches a phase before the last that never reads, with input waiting; that input goes to the next phase", () => {
  const h = new Harness();
  const idle = new Idler();
  const b = new Phase("b", 5);
  const seq = h.activate(Seq(idle, b));
  const out = h.collect(seq.outbox);
  const sig = h.collect(seq.signal);
  h.send(seq, "inbox", "1", "2", "3");
  h.runUntilIdle();
  const fin = producerFinished();
  h.control(seq, fin);
  h.runUntilIdle();
  assert.equal(idle.saw, fin, "the idle phase was told");
  assert.deepEqual(out.take(), ["b:1", "b:2", "b:3"], "every line, in order, to the next phase");
  assert.equal(b.sawShutdown, fin);
  assert.deepEqual(sig.take(), [fin]);
  assert.deepEqual(h.alive(), []);
});

test("on producerFinished a phase before the last sees all the input left and takes its share; the rest goes on, in order", () => {
  const h = new Harness();
  const phases = [new Phase("a", 2), new Phase("b", 1), new Phase("c", 5)];
  const seq = h.activate(Seq(new Idler(), ...phases));
  const out = h.collect(seq.outbox);
  const fin = producerFinished();
  h.send(seq, "inbox", "1", "2", "3", "4", "5");
  h.control(seq, fin);
  h.runUntilIdle();
  assert.deepEqual(out.take(), ["a:1", "a:2", "b:3", "c:4", "c:5"]);
  // a and b end once they have their share (before looking at control); c is left wanting and ends on the finish.
  assert.deepEqual(phases.map((p) => p.sawShutdown), [null, null, fin]);
  assert.deepEqual(h.alive(), []);
});

test("the same on the real scheduler, in a Pipeline whose source finishes: the Seq ends and nothing is lost", async () => {
  const keep = new Keep();
  const idle = new Idler();
  await Pipeline(new Lines(["1", "2", "3"]), Seq(idle, new Phase("b", 5)), keep).run(new System());
  assert.ok(idle.saw instanceof ProducerFinished);
  assert.deepEqual(keep.got, ["b:1", "b:2", "b:3"]);
});

test("string phases are sent out of the Seq's outbox between the components, in order (Kamaelia's tutorial)", () => {
  const h = new Harness();
  const seq = Seq("Authenticating...", new Phase("auth", 1), "Retrieving user", new Phase("user", 1), "Done");
  h.send(seq, "inbox", "alice", "1234");
  h.activate(seq);
  const out = h.collect(seq.outbox);
  const sig = h.collect(seq.signal);
  h.runUntilIdle();
  assert.deepEqual(out.take(), ["Authenticating...", "auth:alice", "Retrieving user", "user:1234", "Done"]);
  assert.ok(sig.take()[0] instanceof ProducerFinished);
  assert.deepEqual(seq.components.length, 2);
  // A string phase waits for room downstream, and a stop while it waits skips it and the rest.
  const h2 = new Harness();
  const seq2 = h2.activate(Seq("one", "two", new Phase("never", 1)));
  const out2 = h2.collect(seq2.outbox);
  out2.setLimit(1);
  h2.runUntilIdle();
  assert.equal(out2.pending, 1, '"two" waits for room');
  const stop = shutdownMicroprocess();
  h2.control(seq2, stop);
  h2.runUntilIdle();
  assert.ok(seq2.isFinished());
  assert.deepEqual(out2.take(), ["one"]);
});

test("shutdownMicroprocess stops the running component and skips the rest", () => {
  const h = new Harness();
  const phases = [new Phase("a", 1), new Phase("b", 5), new Phase("c", 1)];
  const seq = h.activate(Seq(...phases));
  const out = h.collect(seq.outbox);
  const sig = h.collect(seq.signal);
  h.send(seq, "inbox", "1", "2");
  h.runUntilIdle();
  const stop = shutdownMicroprocess();
  h.control(seq, stop);
  h.runUntilIdle();
  assert.deepEqual(out.take(), ["a:1", "b:2"]);
  assert.equal(phases[1]!.sawShutdown, stop);
  assert.equal(phases[2]!.ran, false);
  assert.deepEqual(sig.take(), [stop]);
  assert.deepEqual(h.alive(), []);
});

test("producerFinished: the running and every later phase run, each told that input is done", () => {
  const h = new Harness();
  const phases = [new Phase("a", 3), new Phase("b", 5), new Phase("c", 1)];
  const seq = h.activate(Seq(...phases));
  const out = h.collect(seq.outbox);
  const sig = h.collect(seq.signal);
  h.send(seq, "inbox", "1", "2");
  const fin = producerFinished();
  h.control(seq, fin);
  h.runUntilIdle();
  assert.deepEqual(out.take(), ["a:1", "a:2"]);
  assert.ok(phases.every((p) => p.ran && p.sawShutdown === fin));
  assert.deepEqual(sig.take(), [fin]);
  assert.deepEqual(h.alive(), []);
});

test("a stop after a finish is passed on too", () => {
  const h = new Harness();
  class Stubborn extends Component<string, string> {
    seen: unknown[] = [];
    *main() {
      for (;;) {
        const k = this.checkShutdown();
        if (k !== null) this.seen.push(k);
        if (k === "stop") return;
        this.pause();
        yield;
      }
    }
  }
  const s = new Stubborn();
  const seq = h.activate(Seq(s));
  h.runUntilIdle();
  h.control(seq, producerFinished());
  h.runUntilIdle();
  assert.ok(s.isActive());
  h.control(seq, shutdownMicroprocess());
  h.runUntilIdle();
  assert.deepEqual(s.seen, ["finish", "stop"]);
  assert.ok(seq.isFinished());
});

test("ErrorInformation a phase reports is passed on out of the Seq's signal", () => {
  const h = new Harness();
  class Reporter extends Component<string, string> {
    *main() {
      const line = yield* this.waitRecv();
      this.send(new ErrorInformation(this, new Error("bad line"), line), "signal");
    }
  }
  const seq = h.activate(Seq(new Reporter(), new Phase("b", 1)));
  const sig = h.collect(seq.signal);
  h.send(seq, "inbox", "1", "2");
  h.runUntilIdle();
  const got = sig.take();
  assert.equal(got.length, 2);
  assert.ok(got[0] instanceof ErrorInformation && got[0].error.message === "bad line" && got[0].message === "1");
  assert.ok(got[1] instanceof ProducerFinished);
});

test("phases sharing state, as in the bulletin board; inside a Pipeline on the real scheduler", async () => {
  const state: { user?: string; posts: string[] } = { posts: [] };
  class Login extends Component<string, string> {
    *main() {
      this.send("login:");
      state.user = yield* this.waitRecv();
      this.send(`hello ${state.user}`);
    }
  }
  class Board extends Component<string, string> {
    *main() {
      yield* this.processMessages((line) => {
        state.posts.push(`${state.user}: ${line}`);
        this.send(`posted ${state.posts.length}`);
      });
    }
  }
  const keep = new Keep();
  await Pipeline(new Lines(["ann", "first", "second"]), Seq(new Login(), new Board()), keep).run(new System());
  assert.deepEqual(keep.got, ["login:", "hello ann", "posted 1", "posted 2"]);
  assert.deepEqual(state.posts, ["ann: first", "ann: second"]);
});

test("an empty Seq finishes at once", () => {
  const h = new Harness();
  const seq = h.activate(Seq());
  const sig = h.collect(seq.signal);
  h.runUntilIdle();
  assert.ok(seq.isFinished());
  assert.ok(sig.take()[0] instanceof ProducerFinished);
});

test("bad arguments give a clear error naming the Seq", () => {
  assert.throws(() => Seq(new Phase("a", 1), 42 as unknown as Component), (e: unknown) => e instanceof ChassisArgumentError && /SeqComponent_\d+: argument 1 is not a component or a string \(got a number \(42\)\)/.test(e.message));
  const p = new Phase("a", 1);
  assert.throws(() => Seq(p, p), (e: unknown) => e instanceof ChassisArgumentError && e.message.includes("given twice"));
});

test("types: a Seq accepts what every component accepts and sends what any sends", () => {
  class Num extends Component<number, number> {
    *main() {}
  }
  class Str extends Component<string, string> {
    *main() {}
  }
  const s: SeqComponent<string, string> = Seq(new Phase("a", 1), new Str());
  const mixed: SeqComponent<never, string | number> = Seq(new Str(), new Num());
  // Strings between phases accept nothing and add their own text to what the Seq sends.
  const told: SeqComponent<number, number | "Counting..."> = Seq("Counting...", new Num());
  // @ts-expect-error a string phase is sent out, so the Seq's output type includes it
  const wrong: SeqComponent<number, number> = Seq("Counting...", new Num());
  void told;
  void wrong;
  class NumSource extends Component<never, number> {
    *main() {}
  }
  // @ts-expect-error a Seq whose components take strings cannot follow a source of numbers
  Pipeline(new NumSource(), Seq(new Str()));
  void s;
  void mixed;
});
