import { test } from "node:test";
import assert from "node:assert/strict";
import {
  ChassisArgumentError,
  Component,
  ErrorInformation,
  KamaeliaError,
  Pipeline,
  ProducerFinished,
  System,
  TPipe,
  producerFinished,
  shutdownMicroprocess,
  type Ipc,
  type TPipeComponent,
} from "../../src/index.js";
import { Harness } from "../../src/testing/index.js";

/** Multiplies by ten; records the shutdown it saw. */
class Times10 extends Component<number, number> {
  saw: Ipc | null = null;
  *main() {
    this.saw = yield* this.processMessages((n) => this.waitSend(n * 10));
  }
}

/** Takes `n` messages then ends by itself. */
class TakeN extends Component<number, number> {
  constructor(readonly n: number) {
    super();
  }
  *main() {
    for (let i = 0; i < this.n; i++) yield* this.waitSend((yield* this.waitRecv()) * 10);
    this.passOnShutdown();
  }
}

const even = (n: number) => n % 2 === 0;

test("route: matching messages go through the action only, the rest pass by; nothing lost, each path in order", () => {
  const h = new Harness();
  const action = new Times10();
  action.inbox.setSize(1); // a bounded action must not lose anything either
  const tp = TPipe({ condition: even, action });
  h.send(tp, "inbox", 1, 2); // before the TPipe has wired itself
  h.activate(tp);
  const out = h.collect(tp.outbox);
  h.runUntilIdle();
  h.send(tp, "inbox", ...Array.from({ length: 98 }, (_, i) => i + 3));
  h.runUntilIdle();
  const got = out.take();
  const nums = Array.from({ length: 100 }, (_, i) => i + 1);
  assert.deepEqual(got.filter((n) => n % 10 !== 0 || n < 10).filter((n) => n % 2 === 1), nums.filter((n) => !even(n)));
  assert.deepEqual(got.filter((n) => n >= 20 && n % 20 === 0), nums.filter(even).map((n) => n * 10));
  assert.equal(got.length, 100);
});

test("the default mode is route (Kamaelia's is split, as TPipe's doc says); split is one option away", () => {
  assert.equal(TPipe({ condition: even, action: new Times10() }).mode, "route");
  assert.equal(TPipe({ condition: even, action: new Times10(), mode: "split" }).mode, "split");
});

test("split: matching messages go through the action and straight out as well", () => {
  const h = new Harness();
  const tp = h.activate(TPipe({ condition: even, action: new Times10(), mode: "split" }));
  const out = h.collect(tp.outbox);
  h.send(tp, "inbox", 1, 2, 3, 4);
  h.runUntilIdle();
  assert.deepEqual([...out.take()].sort((a, b) => a - b), [1, 2, 3, 4, 20, 40]);
});

test("a condition that throws is reported as ErrorInformation carrying the message; the TPipe carries on", () => {
  const h = new Harness();
  const tp = h.activate(
    TPipe({
      condition: (n: number) => {
        if (n === 3) throw new Error("cannot judge 3");
        return even(n);
      },
      action: new Times10(),
    }),
  );
  const out = h.collect(tp.outbox);
  const sig = h.collect(tp.signal);
  h.send(tp, "inbox", 1, 2, 3, 4);
  h.runUntilIdle();
  assert.deepEqual([...out.take()].sort((a, b) => a - b), [1, 20, 40]);
  const s = sig.take();
  assert.equal(s.length, 1);
  assert.ok(s[0] instanceof ErrorInformation && s[0].message === 3 && s[0].error.message === "cannot judge 3");
});

/** A TPipe routing even numbers to `action`, sent 1, 2, 3, 4 and then producerFinished, run until idle. */
function finishedWith(action: Component<number, number>) {
  const h = new Harness();
  const tp = h.activate(TPipe({ condition: even, action }));
  const out = h.collect(tp.outbox);
  const sig = h.collect(tp.signal);
  const fin = producerFinished();
  h.send(tp, "inbox", 1, 2, 3, 4);
  h.control(tp, fin);
  h.runUntilIdle();
  return { h, out, sig, fin };
}

test("producerFinished: waiting input is handled, then the action finishes, then the message is passed on", () => {
  const action = new Times10();
  const { h, out, sig, fin } = finishedWith(action);
  assert.deepEqual([...out.take()].sort((a, b) => a - b), [1, 3, 20, 40]);
  assert.equal(action.saw, fin);
  assert.deepEqual(sig.take(), [fin]);
  assert.deepEqual(h.alive(), []);
});

test("shutdownMicroprocess stops the action and the TPipe at once", () => {
  const h = new Harness();
  const action = new Times10();
  const tp = h.activate(TPipe({ condition: even, action }));
  const sig = h.collect(tp.signal);
  h.runUntilIdle();
  const stop = shutdownMicroprocess();
  h.control(tp, stop);
  h.runUntilIdle();
  assert.equal(action.saw, stop);
  assert.deepEqual(sig.take(), [stop]);
  assert.deepEqual(h.alive(), []);
});

test("when the action ends by itself the TPipe passes the rest by, reports matching ones, and ends", () => {
  const h = new Harness();
  const action = new TakeN(1);
  action.inbox.setSize(1);
  const tp = h.activate(TPipe({ condition: even, action }));
  const out = h.collect(tp.outbox);
  const sig = h.collect(tp.signal);
  h.send(tp, "inbox", 2, 3, 4, 5);
  h.runUntilIdle();
  assert.deepEqual(out.take(), [3, 20, 5]);
  const s = sig.take();
  assert.ok(s[0] instanceof ErrorInformation && s[0].message === 4 && /has finished/.test(s[0].error.message));
  assert.ok(s[1] instanceof ProducerFinished);
  assert.ok(tp.isFinished());
});

/** Reads nothing: waits for a shutdown message, then passes it on. */
class Deaf extends Component<number, number> {
  *main() {
    while (this.checkShutdown() === null) {
      this.pause();
      yield;
    }
    this.passOnShutdown();
  }
}

/** The messages carried by the ErrorInformation reports in `sent`, with their codes. */
function reported(sent: readonly unknown[]): [unknown, string][] {
  return sent.filter((m): m is ErrorInformation => m instanceof ErrorInformation).map((m) => [m.message, (m.error as KamaeliaError).code]);
}

test("the action ends by itself with matching messages it never read: each is reported carrying it, none lost", () => {
  const h = new Harness();
  const action = new TakeN(1); // an unbounded inbox: 2, 4 and 6 all wait in it
  const tp = h.activate(TPipe({ condition: even, action }));
  const out = h.collect(tp.outbox);
  const sig = h.collect(tp.signal);
  h.send(tp, "inbox", 2, 3, 4, 5, 6);
  h.runUntilIdle();
  assert.deepEqual(out.take(), [3, 5, 20]);
  const s = sig.take();
  assert.deepEqual(reported(s), [
    [4, "ACTION_UNREAD"],
    [6, "ACTION_UNREAD"],
  ]);
  assert.match((s[0] as ErrorInformation).error.message, /TakeN_\d+ \(or the component in it reading its input\) ended without reading/);
  assert.ok(s.at(-1) instanceof ProducerFinished);
  assert.ok(tp.isFinished());
});

test("an action told to finish that ends without reading its input: what it was given is reported, not lost", () => {
  const { h, out, sig, fin } = finishedWith(new Deaf());
  assert.deepEqual(out.take(), [1, 3]);
  const s = sig.take();
  assert.deepEqual(reported(s), [
    [2, "ACTION_UNREAD"],
    [4, "ACTION_UNREAD"],
  ]);
  assert.equal(s.at(-1), fin);
  assert.deepEqual(h.alive(), []);
});

test("an action whose input end closes while it runs on (a Pipeline's first stage ends): what it left comes back at once, the rest when the action ends", () => {
  /** Takes one message, sends it on times ten, and ends without a word (so the stage after it runs on). */
  class TakeOneQuietly extends Component<number, number> {
    *main() {
      yield* this.waitSend((yield* this.waitRecv()) * 10);
    }
  }
  const h = new Harness();
  const last = new Times10();
  const action = Pipeline(new TakeOneQuietly(), last);
  const tp = h.activate(TPipe({ condition: even, action }));
  const out = h.collect(tp.outbox);
  const sig = h.collect(tp.signal);
  h.send(tp, "inbox", 2, 4);
  h.runUntilIdle();
  assert.ok(action.isActive() && !action.isFinished(), "the Pipeline runs on");
  assert.deepEqual(reported(sig.take()), [[4, "ACTION_UNREAD"]], "left in the first stage: back as soon as it ended");
  h.send(tp, "inbox", 5, 6); // 6 waits in the Pipeline's own inbox, which nothing inside reads now
  h.runUntilIdle();
  last.stop(); // the Pipeline ends with its last stage
  h.runUntilIdle();
  assert.deepEqual(out.take(), [200, 5]);
  const s = sig.take();
  assert.deepEqual(reported(s), [[6, "ACTION_UNREAD"]]);
  assert.ok(s.at(-1) instanceof ProducerFinished);
  assert.equal(h.system.deadLetters, 0);
  assert.deepEqual(h.alive(), []);
});

test("split: once the action has ended, matching messages still pass straight out (and are reported); those it never read are not sent twice", () => {
  const h = new Harness();
  const action = new TakeN(1);
  action.inbox.setSize(2); // 2 and 4 wait in it; 6 waits for room, until the action has ended
  const tp = h.activate(TPipe({ condition: even, action, mode: "split" }));
  const out = h.collect(tp.outbox);
  const sig = h.collect(tp.signal);
  h.send(tp, "inbox", 2, 4, 6, 7);
  h.runUntilIdle();
  assert.deepEqual([...out.take()].sort((a, b) => a - b), [2, 4, 6, 7, 20]);
  assert.deepEqual(reported(sig.take()), [
    [4, "ACTION_UNREAD"],
    [6, "ACTION_FINISHED"],
  ]);
});

test("in a Pipeline on the real scheduler", async () => {
  class Source extends Component<never, number> {
    *main() {
      for (let i = 1; i <= 6; i++) yield* this.waitSend(i);
      this.passOnShutdown();
    }
  }
  class Keep extends Component<number, never> {
    got: number[] = [];
    *main() {
      yield* this.processMessages((m) => {
        this.got.push(m);
      });
    }
  }
  const keep = new Keep();
  await Pipeline(new Source(), TPipe({ condition: even, action: new Times10() }), keep).run(new System());
  assert.deepEqual([...keep.got].sort((a, b) => a - b), [1, 3, 5, 20, 40, 60]);
});

test("bad arguments give a clear error naming the TPipe", () => {
  const action = new Times10();
  assert.throws(() => TPipe({ condition: "yes" as unknown as () => boolean, action }), (e: unknown) => e instanceof ChassisArgumentError && /TPipeComponent_\d+: TPipe's condition must be a function/.test(e.message));
  assert.throws(() => TPipe({ condition: even, action: {} as unknown as Times10 }), (e: unknown) => e instanceof ChassisArgumentError && /action must be a component/.test(e.message));
  assert.throws(() => TPipe({ condition: even, action, mode: "tee" as "split" }), (e: unknown) => e instanceof ChassisArgumentError && /mode must be "route" or "split"/.test(e.message));
  const t: TPipeComponent<number, number> = TPipe({ condition: even, action });
  // @ts-expect-error the condition must accept what the action accepts
  TPipe({ condition: (s: string) => s === "", action });
  void t;
});
