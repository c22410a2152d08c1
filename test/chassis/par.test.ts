import { test } from "node:test";
import assert from "node:assert/strict";
import {
  ChassisArgumentError,
  Component,
  ErrorInformation,
  PAR,
  Pipeline,
  ProducerFinished,
  System,
  producerFinished,
  shutdownMicroprocess,
  type Ipc,
  type PARComponent,
} from "../../src/index.js";
import { Harness } from "../../src/testing/index.js";

/** Sends its items, then finishes by itself. */
class Source extends Component<never, string> {
  constructor(private readonly items: string[]) {
    super();
  }
  *main() {
    for (const x of this.items) yield* this.waitSend(x);
    this.passOnShutdown();
  }
}

/** Tags what it receives; obeys control; records the shutdown it saw. */
class Tagger extends Component<string, string> {
  saw: Ipc | null = null;
  constructor(readonly tag: string) {
    super();
  }
  *main() {
    this.saw = yield* this.processMessages((m) => this.waitSend(`${this.tag}:${m}`));
  }
}

test("outputs are merged; the PAR waits for every component and sends one producerFinished", () => {
  const h = new Harness();
  const par = h.activate(PAR(new Source(["a1", "a2"]), new Source(["b1"]), new Source(["c1", "c2", "c3"])));
  const out = h.collect(par.outbox);
  const sig = h.collect(par.signal);
  h.runUntilIdle();
  const got = out.take();
  assert.deepEqual(got.filter((x) => x.startsWith("a")), ["a1", "a2"]);
  assert.deepEqual(got.filter((x) => x.startsWith("b")), ["b1"]);
  assert.deepEqual(got.filter((x) => x.startsWith("c")), ["c1", "c2", "c3"]);
  assert.equal(got.length, 6);
  const s = sig.take();
  assert.equal(s.length, 1, "the children's own producerFinished messages do not leak out");
  assert.ok(s[0] instanceof ProducerFinished);
  assert.deepEqual(h.alive(), []);
});

test("input is copied to every component, in order, even to a bounded one", () => {
  const h = new Harness();
  const a = new Tagger("a");
  const b = new Tagger("b");
  b.inbox.setSize(1);
  const par = PAR(a, b);
  h.send(par, "inbox", "1", "2"); // before the PAR has wired itself
  h.activate(par);
  const out = h.collect(par.outbox);
  h.runUntilIdle();
  h.send(par, "inbox", "3", "4", "5");
  h.control(par, producerFinished());
  h.runUntilIdle();
  const got = out.take();
  assert.deepEqual(got.filter((x) => x.startsWith("a")), ["a:1", "a:2", "a:3", "a:4", "a:5"]);
  assert.deepEqual(got.filter((x) => x.startsWith("b")), ["b:1", "b:2", "b:3", "b:4", "b:5"]);
  assert.deepEqual(h.alive(), []);
});

for (const make of [producerFinished, shutdownMicroprocess]) {
  test(`${make.name} reaches every component and the PAR waits for all of them before passing it on`, () => {
    const h = new Harness();
    const kids = [new Tagger("a"), new Tagger("b"), new Tagger("c")] as const;
    const par = h.activate(PAR(...kids));
    const sig = h.collect(par.signal);
    h.runUntilIdle();
    const msg = make();
    h.control(par, msg);
    h.runUntilIdle();
    for (const k of kids) assert.equal(k.saw, msg);
    assert.deepEqual(sig.take(), [msg]);
    assert.deepEqual(h.alive(), []);
  });
}

test("the PAR does not finish before a slow component does (Kamaelia's did)", () => {
  const h = new Harness();
  class Slow extends Component<string, string> {
    release = false;
    *main() {
      while (this.checkShutdown() === null) {
        this.pause();
        yield;
      }
      while (!this.release) {
        this.pause();
        yield;
      }
      this.passOnShutdown();
    }
  }
  const slow = new Slow();
  const par = h.activate(PAR(new Tagger("a"), slow));
  h.runUntilIdle();
  h.control(par, shutdownMicroprocess());
  h.runUntilIdle();
  assert.ok(par.isActive());
  slow.release = true;
  slow.unpause();
  h.runUntilIdle();
  assert.ok(par.isFinished());
});

test("ErrorInformation from a component is passed on", () => {
  const h = new Harness();
  class Reporter extends Component<string, string> {
    *main() {
      this.send(new ErrorInformation(this, new Error("oops")), "signal");
    }
  }
  const par = h.activate(PAR(new Reporter()));
  const sig = h.collect(par.signal);
  h.runUntilIdle();
  const s = sig.take();
  assert.ok(s[0] instanceof ErrorInformation);
  assert.ok(s[1] instanceof ProducerFinished);
});

test("in a Pipeline on the real scheduler", async () => {
  class Keep extends Component<string, never> {
    got: string[] = [];
    *main() {
      yield* this.processMessages((m) => {
        this.got.push(m);
      });
    }
  }
  const keep = new Keep();
  await Pipeline(PAR(new Source(["x", "y"]), new Source(["z"])), keep).run(new System());
  assert.deepEqual([...keep.got].sort(), ["x", "y", "z"]);
});

test("an empty PAR ends at once with producerFinished, as in Kamaelia and like an empty Seq", () => {
  const h = new Harness();
  const par = PAR();
  h.send(par, "inbox", "lost");
  h.activate(par);
  const sig = h.collect(par.signal);
  h.runUntilIdle();
  assert.ok(par.isFinished());
  const s = sig.take();
  assert.equal(s.length, 1);
  assert.ok(s[0] instanceof ProducerFinished);
  assert.equal(par.inbox.deadLetters, 1, "input sent to an empty PAR is counted as dropped, not silently swallowed");
});

test("bad arguments give a clear error naming the PAR", () => {
  assert.throws(() => PAR(new Tagger("a"), 3 as unknown as Component), (e: unknown) => e instanceof ChassisArgumentError && /argument 1 is not a component/.test(e.message));
});

test("types", () => {
  const p: PARComponent<string, string> = PAR(new Tagger("a"), new Tagger("b"));
  const empty: PARComponent<unknown, never> = PAR();
  void p;
  void empty;
});
