import { test } from "node:test";
import assert from "node:assert/strict";
import {
  ChassisArgumentError,
  Component,
  ComponentFailure,
  ErrorInformation,
  Pipeline,
  RestartLimitError,
  Supervisor,
  System,
  producerFinished,
  shutdownMicroprocess,
  type Ipc,
  type SupervisorComponent,
} from "../../src/index.js";
import { Harness } from "../../src/testing/index.js";

/** Passes numbers on; throws on negative ones (the message in its hands is lost). */
class Flaky extends Component<number, number> {
  saw: Ipc | null = null;
  *main() {
    this.saw = yield* this.processMessages((n) => {
      if (n < 0) throw new Error(`cannot take ${n}`);
      return this.waitSend(n);
    });
  }
}

/** Adds `by`; never fails. */
class Add extends Component<number, number> {
  constructor(readonly by: number) {
    super();
  }
  *main() {
    yield* this.processMessages((n) => this.waitSend(n < 0 ? n : n + this.by));
  }
}

/** Counts how many times each factory is called. */
function counted<C>(make: () => C): { factory: () => C; made: C[] } {
  const made: C[] = [];
  return { factory: () => (made.push(make()), made[made.length - 1]!), made };
}

test("one-for-one: a child that throws is restarted and relinked; only the message in its hands is lost", () => {
  const h = new Harness();
  const flaky = counted(() => new Flaky());
  const sup = Supervisor({ children: [flaky.factory] });
  // Everything is waiting before the child even starts, so the crash leaves 8..20 unread in its inbox.
  h.send(sup, "inbox", 1, 2, 3, 4, 5, 6, -7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20);
  h.activate(sup);
  const out = h.collect(sup.outbox);
  h.runUntilIdle();
  h.send(sup, "inbox", 21);
  h.runUntilIdle();
  assert.deepEqual(out.take(), [1, 2, 3, 4, 5, 6, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21]);
  assert.equal(flaky.made.length, 2);
  assert.equal(sup.restarts, 1);
  assert.match(sup.failures[0]!.message, /Flaky_\d+ failed: Error: cannot take -7/);
  assert.deepEqual(h.failures, [], "the failure did not reach the top");
  assert.ok(sup.isActive() && flaky.made[1]!.isActive());
});

test("one-for-one restarts only the failed child of a line; its neighbours keep running, relinked to the new one", () => {
  const h = new Harness();
  const a = counted(() => new Add(100));
  const b = counted(() => new Flaky());
  const c = counted(() => new Add(1000));
  const sup = h.activate(Supervisor({ children: [a.factory, b.factory, c.factory] }));
  const out = h.collect(sup.outbox);
  h.send(sup, "inbox", 1, 2, -3, 4, 5);
  h.runUntilIdle();
  h.send(sup, "inbox", 6);
  h.runUntilIdle();
  assert.deepEqual(out.take(), [1101, 1102, 1104, 1105, 1106]);
  assert.deepEqual([a.made.length, b.made.length, c.made.length], [1, 2, 1]);
  assert.ok(a.made[0]!.isActive() && c.made[0]!.isActive());
});

test("all-for-one replaces every child; unread messages everywhere are handed to the replacements", () => {
  const h = new Harness();
  const a = counted(() => new Add(100));
  const b = counted(() => new Flaky());
  const c = counted(() => new Add(1000));
  const sup = h.activate(Supervisor({ strategy: "all-for-one", children: [a.factory, b.factory, c.factory] }));
  const out = h.collect(sup.outbox);
  h.runUntilIdle();
  h.send(sup, "inbox", 1, 2, -3, 4, 5);
  h.runUntilIdle();
  h.send(sup, "inbox", 6);
  h.runUntilIdle();
  assert.deepEqual(out.take(), [1101, 1102, 1104, 1105, 1106]);
  assert.deepEqual([a.made.length, b.made.length, c.made.length], [2, 2, 2]);
  assert.ok(a.made[0]!.isFinished() && c.made[0]!.isFinished(), "the old siblings were stopped");
  assert.equal(sup.restarts, 1);
});

test("a failure deep inside a supervised child (a Pipeline) restarts that child", () => {
  const h = new Harness();
  const made = counted(() => Pipeline(new Flaky(), new Add(1)));
  const sup = h.activate(Supervisor({ children: [made.factory] }));
  const out = h.collect(sup.outbox);
  h.send(sup, "inbox", 1);
  h.runUntilIdle();
  // 3 waits at the Pipeline's entrance (its first stage's inbox) when -2 brings it down: it is handed over.
  h.send(sup, "inbox", -2, 3);
  h.runUntilIdle();
  assert.deepEqual(out.take(), [2, 4]);
  assert.equal(made.made.length, 2);
  assert.ok(made.made[0]!.isFinished());
  assert.deepEqual(h.failures, []);
});

test("restart intensity: more than maxRestarts within the window and the Supervisor fails upward", () => {
  const h = new Harness();
  const flaky = counted(() => new Flaky());
  const sup = h.activate(Supervisor({ children: [flaky.factory], intensity: { maxRestarts: 2, withinMs: 1000 }, clock: () => 0 }));
  h.send(sup, "inbox", -1, -2, -3, 4);
  h.runUntilIdle();
  assert.equal(sup.restarts, 2);
  assert.equal(flaky.made.length, 3);
  assert.ok(sup.isFinished());
  assert.equal(h.failures.length, 1);
  const f = h.failures[0]!;
  assert.equal(f.component, sup.name);
  assert.ok(f.cause instanceof RestartLimitError);
  assert.match(f.message, new RegExp(`${sup.name} gave up: Flaky_\\d+ failed after 2 restart\\(s\\) within 1000 ms \\(limit 2\\)`));
  assert.ok((f.cause as RestartLimitError).cause instanceof ComponentFailure);
  assert.deepEqual(h.alive(), []);
});

test("restart intensity: failures spread out beyond the window are restarted without limit", () => {
  const h = new Harness();
  let now = 0;
  const sup = h.activate(Supervisor({ children: [() => new Flaky()], intensity: { maxRestarts: 1, withinMs: 1000 }, clock: () => (now += 1500) }));
  const out = h.collect(sup.outbox);
  for (let i = 1; i <= 10; i++) h.send(sup, "inbox", -i, i);
  h.runUntilIdle();
  assert.equal(sup.restarts, 10);
  assert.deepEqual(out.take(), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  assert.deepEqual(h.failures, []);
});

test("on the real scheduler run() rejects with the Supervisor's failure when it gives up", async () => {
  const sys = new System();
  class Source extends Component<never, number> {
    *main() {
      for (const n of [1, -1, 2, -2, 3]) yield* this.waitSend(n);
      this.passOnShutdown();
    }
  }
  const sup = Supervisor({ children: [() => new Flaky()], intensity: { maxRestarts: 1, withinMs: 60_000 } });
  await assert.rejects(Pipeline(new Source(), sup).run(sys), (e: unknown) => e instanceof ComponentFailure && e.message.includes(`${sup.name} gave up`));
});

test("a child that finishes normally is not restarted; the Supervisor passes producerFinished on", async () => {
  class Source extends Component<never, number> {
    *main() {
      for (const n of [1, 2, 3]) yield* this.waitSend(n);
      this.passOnShutdown();
    }
  }
  const src = counted(() => new Source());
  class Keep extends Component<number, never> {
    got: number[] = [];
    *main() {
      yield* this.processMessages((m) => {
        this.got.push(m);
      });
    }
  }
  const keep = new Keep();
  const sup = Supervisor({ children: [src.factory, () => new Add(10)] });
  await Pipeline(sup, keep).run(new System());
  assert.deepEqual(keep.got, [11, 12, 13]);
  assert.equal(src.made.length, 1);
  assert.equal(sup.restarts, 0);
});

test("producerFinished travels along the line; shutdownMicroprocess stops every child; no restarts during shutdown", () => {
  for (const make of [producerFinished, shutdownMicroprocess]) {
    const h = new Harness();
    const kids = [counted(() => new Flaky()), counted(() => new Flaky())];
    const sup = h.activate(Supervisor({ children: [kids[0]!.factory, kids[1]!.factory] }));
    const out = h.collect(sup.outbox);
    const sig = h.collect(sup.signal);
    h.runUntilIdle();
    const msg = make();
    h.send(sup, "inbox", 1, 2);
    h.control(sup, msg);
    h.runUntilIdle();
    if (make === producerFinished) {
      assert.deepEqual(out.take(), [1, 2]);
      assert.equal(kids[1]!.made[0]!.saw, msg, "the finish reached the last child through the line");
    }
    assert.deepEqual(sig.take(), [msg]);
    assert.deepEqual(h.alive(), []);
    assert.equal(kids[0]!.made.length + kids[1]!.made.length, 2);
  }
});

test("a child failing while the line finishes is restarted, and its replacement finishes the rest", () => {
  const h = new Harness();
  const kids = [counted(() => new Flaky()), counted(() => new Add(1))];
  const sup = h.activate(Supervisor({ children: [kids[0]!.factory, kids[1]!.factory] }));
  const sig = h.collect(sup.signal);
  const out = h.collect(sup.outbox);
  h.runUntilIdle();
  const fin = producerFinished();
  h.control(sup, fin); // the Supervisor runs first and passes the finish on before the child meets -2
  h.send(sup, "inbox", 1, -2, 3);
  h.runUntilIdle();
  assert.deepEqual(out.take(), [2, 4]);
  assert.equal(sup.restarts, 1);
  assert.deepEqual(sig.take(), [fin]);
  assert.deepEqual(h.alive(), []);
});

test("a child failing after shutdownMicroprocess is reported, not restarted", () => {
  const h = new Harness();
  class FailsOnStop extends Component<number, number> {
    *main() {
      try {
        for (;;) {
          this.pause();
          yield;
        }
      } finally {
        // eslint-disable-next-line no-unsafe-finally
        throw new Error("cleanup failed");
      }
    }
  }
  const made = counted(() => new FailsOnStop());
  const sup = h.activate(Supervisor({ children: [made.factory] }));
  const sig = h.collect(sup.signal);
  h.runUntilIdle();
  const stop = shutdownMicroprocess();
  h.control(sup, stop);
  h.runUntilIdle();
  const s = sig.take();
  assert.ok(s[0] instanceof ErrorInformation && /cleanup failed/.test(s[0].error.message));
  assert.equal(s[1], stop);
  assert.equal(made.made.length, 1);
  assert.deepEqual(h.failures, []);
});

test("a restarted child that fails to be made makes the Supervisor give up", () => {
  const h = new Harness();
  let calls = 0;
  const sup = h.activate(
    Supervisor({
      children: [
        () => {
          if (++calls > 1) throw new Error("no more");
          return new Flaky();
        },
      ],
    }),
  );
  h.send(sup, "inbox", -1);
  h.runUntilIdle();
  assert.equal(h.failures.length, 1);
  assert.match(h.failures[0]!.message, /gave up: restarting after Flaky_\d+ failed went wrong: no more/);
});

test("bad arguments give a clear error naming the Supervisor", () => {
  const f = () => new Flaky();
  const bad = (options: unknown, re: RegExp) =>
    assert.throws(() => Supervisor(options as { children: [typeof f] }), (e: unknown) => e instanceof ChassisArgumentError && /SupervisorComponent_\d+/.test(e.message) && re.test(e.message));
  bad({ children: [] }, /needs children: a non-empty array of factories/);
  bad({}, /needs children/);
  bad({ children: [f, new Flaky()] }, /children\[1\] must be a factory function/);
  bad({ children: [f], strategy: "rest-for-one" }, /unknown restart strategy .*rest-for-one/);
  bad({ children: [f], intensity: { maxRestarts: -1, withinMs: 5 } }, /maxRestarts must be a whole number/);
  bad({ children: [f], intensity: { maxRestarts: 1.5, withinMs: 5 } }, /maxRestarts must be a whole number/);
  bad({ children: [f], intensity: { maxRestarts: 1, withinMs: 0 } }, /withinMs must be a finite number/);
  bad({ children: [f], intensity: { maxRestarts: 1, withinMs: Infinity } }, /withinMs must be a finite number/);
  const h = new Harness();
  h.activate(Supervisor({ children: [() => 5 as unknown as Flaky] }));
  h.runUntilIdle();
  assert.match(h.failures[0]!.message, /children\[0\] returned a number/);
});

test("types: a Supervisor takes what its first child takes and sends what its last sends", () => {
  class ToText extends Component<number, string> {
    *main() {}
  }
  const s: SupervisorComponent<number, string> = Supervisor({ children: [() => new Flaky(), () => new ToText()] });
  // @ts-expect-error an empty list of children does not compile
  assert.throws(() => Supervisor({ children: [] }));
  void s;
});
