import { test } from "node:test";
import assert from "node:assert/strict";
import { Component, System } from "../../src/index.js";
import { Harness } from "../../src/testing/index.js";

const log: string[] = [];

/** Logs `NAMEi` at each of its first `n` steps. */
class Stepper extends Component {
  label = "A";
  n = 2;
  spawn: Stepper | null = null;
  *main() {
    for (let i = 0; i < this.n; i++) {
      log.push(`${this.label}${i}`);
      if (this.spawn && i === 0) this.spawn.activate(this.system!);
      yield;
    }
  }
}

test("round-robin in activation order; components activated during a cycle start at the end of the next (Axon's A0 B0 C0 A1 B1 C1 X0)", () => {
  log.length = 0;
  const h = new Harness();
  const x = Stepper.create({ label: "X", n: 1 });
  h.activate(Stepper.create({ label: "A" }));
  h.activate(Stepper.create({ label: "B", spawn: x }));
  h.activate(Stepper.create({ label: "C" }));
  h.runUntilIdle();
  assert.deepEqual(log, ["A0", "B0", "C0", "A1", "B1", "C1", "X0"]);
});

class Sleeper extends Component<string, never> {
  wakes = 0;
  got: string[] = [];
  *main() {
    for (;;) {
      this.wakes++;
      while (this.dataReady()) this.got.push(this.recv());
      if (this.checkShutdown()) return;
      this.pause();
      yield;
    }
  }
}

test("passive: a paused component is not stepped until a delivery wakes it, and drains what is waiting", () => {
  const h = new Harness();
  const s = h.activate(new Sleeper());
  h.runUntilIdle();
  assert.equal(s.wakes, 1);
  const before = h.system.scheduler.steps;
  assert.equal(h.runUntilIdle(), 0, "nothing runs while it sleeps");
  h.send(s, "inbox", "a", "b", "c");
  h.runUntilIdle();
  assert.equal(s.wakes, 2, "three deliveries, one wake");
  assert.deepEqual(s.got, ["a", "b", "c"]);
  assert.equal(h.system.scheduler.steps - before, 1);
});

class Forwarder extends Component<string, string> {
  steps = 0;
  child = new Sleeper();
  *main() {
    this.addChildren(this.child);
    this.link(this.inbox, this.child.inbox);
    this.child.activate(this.system!);
    for (;;) {
      this.steps++;
      this.pause();
      yield;
    }
  }
}

test("a delivery wakes exactly the final receiver, not the owners of passthrough boxes on the way", () => {
  const h = new Harness();
  const f = h.activate(new Forwarder());
  h.runUntilIdle();
  const fSteps = f.steps;
  const cWakes = f.child.wakes;
  h.send(f, "inbox", "x");
  h.runUntilIdle();
  assert.equal(f.steps, fSteps, "the forwarding parent was not woken");
  assert.equal(f.child.wakes, cWakes + 1);
  assert.deepEqual(f.child.got, ["x"]);
});

class PauseThenCheck extends Component<string, string> {
  got: string[] = [];
  *main() {
    for (;;) {
      if (!this.dataReady()) {
        this.pause();
        // A message that arrives between the check and the yield (here: sent to itself) must still wake it.
        this.send("self-wake");
        yield;
        continue;
      }
      const m = this.recv();
      this.got.push(m);
      if (this.got.length >= 3) return;
    }
  }
}

test("a pause and a wake in the same cycle never lose the wake", () => {
  const h = new Harness();
  const c = new PauseThenCheck();
  c.link(c.outbox, c.inbox);
  h.activate(c);
  h.runUntilIdle(100);
  assert.deepEqual(c.got, ["self-wake", "self-wake", "self-wake"]);
  assert.ok(c.isFinished());
});

class Busy extends Component {
  steps = 0;
  *main() {
    for (;;) {
      this.steps++;
      if (this.checkShutdown()) return;
      yield;
    }
  }
}

test("slices yield to the event loop: a timer fires while components are busy", async () => {
  const sys = new System();
  const busy = [new Busy().activate(sys), new Busy().activate(sys)];
  const stepsAtTimer = await new Promise<number>((resolve) => setTimeout(() => resolve(busy[0]!.steps), 20));
  assert.ok(stepsAtTimer > 0, "the components ran before the timer");
  sys.stop();
  await sys.run();
  assert.ok(busy.every((b) => b.isFinished()));
});

test("an idle system schedules nothing (no polling)", async () => {
  const sys = new System();
  const s = new Sleeper().activate(sys);
  // Wait (however loaded the machine) until it has run and gone to sleep; from then on nothing may be scheduled.
  for (const end = Date.now() + 20_000; s.wakes === 0 || sys.scheduler.hasWork(); ) {
    assert.ok(Date.now() < end, "the sleeper ran and went to sleep");
    await new Promise((r) => setTimeout(r, 5));
  }
  const steps = sys.scheduler.steps;
  await new Promise((r) => setTimeout(r, 30));
  assert.equal(sys.scheduler.steps, steps);
  assert.equal(sys.scheduler.hasWork(), false);
  s.stop();
  await sys.run();
});

test("independent systems do not share scheduler, services or components", async () => {
  const a = new System();
  const b = new System();
  const sa = new Sleeper().activate(a);
  a.services.register("svc", sa);
  assert.equal(b.services.has("svc"), false);
  assert.equal(a.size, 1);
  assert.equal(b.size, 0);
  await b.run(); // nothing there: resolves at once
  sa.stop();
  await a.run();
});

test("run() resolves when every component has finished", async () => {
  const sys = new System();
  const done: string[] = [];
  class Short extends Component {
    *main() {
      yield;
      done.push(this.name);
    }
  }
  const s1 = new Short();
  const s2 = new Short();
  s1.activate(sys);
  await s2.run(sys);
  assert.deepEqual(done.sort(), [s1.name, s2.name].sort());
  assert.equal(sys.size, 0);
});

test("a scheduler gone idle lets go of run queues a burst of activations grew, and still runs what comes next", async () => {
  class Sleeper extends Component<number, never> {
    got = 0;
    main() {
      return this.processMessages(() => {
        this.got++;
      });
    }
  }
  const sys = new System();
  const all = Array.from({ length: 5000 }, () => new Sleeper().activate(sys));
  while (sys.scheduler.hasWork()) await new Promise((r) => setImmediate(r));
  const queues = sys.scheduler as unknown as { cur: unknown[]; nxt: unknown[]; woken: unknown[] };
  const held = queues.cur.length + queues.nxt.length + queues.woken.length;
  assert.ok(held <= 3 * 1024, `the idle scheduler holds ${held} run-queue slots, not one per component woken in the burst`);
  for (const c of all) c.inbox.deliver(1, "test");
  while (sys.scheduler.hasWork()) await new Promise((r) => setImmediate(r));
  assert.equal(all.filter((c) => c.got === 1).length, all.length, "each handled its message");
  sys.stop();
  await sys.run();
});
