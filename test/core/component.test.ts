import { test } from "node:test";
import assert from "node:assert/strict";
import {
  AlreadyActivatedError,
  Component,
  ComponentFailure,
  InvalidMainError,
  Pipeline,
  ProducerFinished,
  ShutdownMicroprocess,
  StoppedError,
  System,
  producerFinished,
  shutdownMicroprocess,
  type AnyComponent,
  type Wait,
} from "../../src/index.js";
import { Harness } from "../../src/testing/index.js";

class Echo extends Component<string, string> {
  *main() {
    yield* this.processMessages((m) => this.send(m));
  }
}

class AsyncUpper extends Component<string, string> {
  async main() {
    for (;;) {
      const which = await this.readyAsync();
      if (which === "control" && this.checkShutdown() !== null) break;
      while (this.dataReady()) await this.sendAsync(this.recv().toUpperCase());
    }
    this.passOnShutdown();
  }
}

test("activating twice is an error naming the component", () => {
  const h = new Harness();
  const e = h.activate(new Echo());
  assert.throws(() => e.activate(h.system), (err: unknown) => err instanceof AlreadyActivatedError && err.message === `${e.name} cannot be activated: it is already active`);
});

test("a main that is neither a generator nor async is an error naming the component", () => {
  class Bad extends Component {
    main() {
      return 42 as never;
    }
  }
  const b = new Bad();
  assert.throws(() => b.activate(new System()), (err: unknown) => err instanceof InvalidMainError && err.message.includes(`${b.name}.main() must be a generator`) && err.message.includes("number (42)"));
});

test("a plain main that returns a generator is accepted", () => {
  class Indirect extends Component {
    ran = false;
    main() {
      return this.body();
    }
    *body(): Wait {
      this.ran = true;
    }
  }
  const h = new Harness();
  const c = h.activate(new Indirect());
  h.runUntilIdle();
  assert.ok(c.ran && c.isFinished());
});

test("inheritable defaults: class fields, overridden by subclasses, overridden per instance by create()", () => {
  class Server extends Component {
    port = 1601;
    host = "127.0.0.1";
    *main() {}
  }
  class MailServer extends Server {
    override port = 25;
  }
  assert.equal(new Server().port, 1601);
  assert.equal(new MailServer().port, 25);
  assert.equal(MailServer.create({ port: 8025 }).port, 8025);
  assert.equal(MailServer.create({ host: "0.0.0.0" }).port, 25);
  assert.ok(MailServer.create() instanceof MailServer);
});

test("generator and async components link to each other freely, in both directions", async () => {
  const h = new Harness();
  const out = h.collect(h.activate(Pipeline(new Echo(), new AsyncUpper(), new Echo(), new AsyncUpper())).outbox);
  const p = h.system.components()[0]!;
  h.send(p, "inbox", "a", "b");
  h.control(p, producerFinished());
  await h.settle();
  out.take();
  assert.deepEqual(out.messages, ["A", "B"]);
  assert.deepEqual(h.alive(), []);
});

test("async waits take an AbortSignal: aborting rejects with its reason", async () => {
  const reasons: unknown[] = [];
  class Waiter extends Component<string, never> {
    async main() {
      const ac = new AbortController();
      setTimeout(() => ac.abort(new Error("gave up")), 5);
      try {
        await this.recvAsync("inbox", { signal: ac.signal });
      } catch (e) {
        reasons.push(e);
      }
    }
  }
  await new Waiter().run(new System());
  assert.equal((reasons[0] as Error).message, "gave up");
});

test("stop(): a generator's finally runs to completion (even if it yields) before the stop is reported", async () => {
  const events: string[] = [];
  class Cleaner extends Component {
    *main() {
      try {
        for (;;) {
          this.pause();
          yield;
        }
      } finally {
        events.push("cleanup start");
        yield; // cleanup that takes more than one step
        yield;
        events.push("cleanup end");
      }
    }
  }
  const sys = new System();
  const c = new Cleaner().activate(sys);
  await new Promise((r) => setImmediate(r));
  c.stop();
  await c.finished();
  events.push("finished");
  assert.deepEqual(events, ["cleanup start", "cleanup end", "finished"]);
  await sys.run();
});

test("stop(): an async component's pending wait rejects with StoppedError and its finally runs", async () => {
  const events: unknown[] = [];
  let waiting!: () => void;
  const started = new Promise<void>((r) => (waiting = r));
  class Waiter extends Component<string, never> {
    async main() {
      try {
        waiting();
        await this.recvAsync();
      } catch (e) {
        events.push(e instanceof StoppedError ? "stopped" : e);
        throw e;
      } finally {
        await new Promise((r) => setTimeout(r, 2));
        events.push("cleaned");
      }
    }
  }
  const sys = new System();
  const w = new Waiter().activate(sys);
  await started;
  w.stop();
  await sys.run(); // a stop is not a failure
  assert.deepEqual(events, ["stopped", "cleaned"]);
  assert.ok(w.isFinished());
});

test("stop() stops children too", async () => {
  const sys = new System();
  const a = new Echo();
  const b = new Echo();
  const p = Pipeline(a, b).activate(sys);
  await new Promise((r) => setImmediate(r));
  p.stop();
  await sys.run();
  assert.ok(a.isFinished() && b.isFinished() && p.isFinished());
});

class Thrower extends Component<string, never> {
  *main() {
    const m = yield* this.waitRecv();
    throw new TypeError(`cannot handle ${m}`);
  }
}

test("a component that throws ends alone; its parent hears of it with its name and the original error", () => {
  const heard: { child: string; failure: ComponentFailure }[] = [];
  class Parent extends Component {
    kids = [new Thrower(), new Echo()];
    *main() {
      this.addChildren(...this.kids);
      for (const k of this.kids) k.activate(this.system!);
      for (;;) {
        this.pause();
        yield;
      }
    }
    protected override childFailed(child: AnyComponent, failure: ComponentFailure): void {
      heard.push({ child: child.name, failure });
    }
  }
  const h = new Harness();
  const p = h.activate(new Parent());
  h.runUntilIdle();
  h.send(p.kids[0]!, "inbox", "x");
  h.runUntilIdle();
  assert.equal(heard.length, 1);
  const f = heard[0]!.failure;
  assert.equal(heard[0]!.child, p.kids[0]!.name);
  assert.equal(f.component, p.kids[0]!.name);
  assert.equal(f.path, `${p.name}/${p.kids[0]!.name}`);
  assert.ok(f.cause instanceof TypeError);
  assert.equal((f.cause as Error).message, "cannot handle x");
  assert.match(f.stack!, /caused by TypeError: cannot handle x\n\s+at /);
  assert.ok(p.kids[0]!.isFinished());
  assert.ok(p.kids[1]!.isActive(), "the sibling keeps running");
  assert.ok(p.isActive(), "the parent keeps running");
  assert.deepEqual(h.failures, []);
});

test("an unhandled failure makes run() reject with the component's name and the original error", async () => {
  const sys = new System();
  const t = new Thrower();
  const p = Pipeline(new Echo(), t);
  p.activate(sys);
  p.inbox.final.deliver("boom", "test");
  await assert.rejects(sys.run(), (e: unknown) => e instanceof ComponentFailure && e.component === t.name && e.message.includes("TypeError: cannot handle boom"));
  sys.stop();
});

test("a generator can yield a promise: it sleeps until it settles, resumes with the value, or has the rejection thrown in", async () => {
  const seen: unknown[] = [];
  class Awaiter extends Component {
    *main() {
      seen.push(yield* this.waitFor(Promise.resolve(7)));
      try {
        yield Promise.reject(new Error("nope"));
      } catch (e) {
        seen.push((e as Error).message);
      }
    }
  }
  await new Awaiter().run(new System());
  assert.deepEqual(seen, [7, "nope"]);
});

test("nested waiting by yield* delegation: pause and wake work inside the nested generator", () => {
  class Nested extends Component<number, number> {
    *readPair(): Wait<[number, number]> {
      const a = yield* this.waitRecv();
      const b = yield* this.waitRecv();
      return [a, b];
    }
    *main() {
      for (;;) {
        const [a, b] = yield* this.readPair();
        this.send(a + b);
      }
    }
  }
  const h = new Harness();
  const n = h.activate(new Nested());
  const out = h.collect(n.outbox);
  h.runUntilIdle();
  const steps = h.system.scheduler.steps;
  assert.equal(h.runUntilIdle(), 0, "asleep inside the nested wait");
  h.send(n, "inbox", 1);
  h.runUntilIdle();
  h.send(n, "inbox", 2, 3, 4);
  h.runUntilIdle();
  assert.deepEqual(out.take(), [3, 7]);
  assert.ok(h.system.scheduler.steps - steps <= 4);
});

test("waitReady and anyReady name the box that holds data", () => {
  class W extends Component {
    readonly extra = this.addInbox<number>("extra", "numbers on the side");
    which: string[] = [];
    *main() {
      this.which.push(yield* this.waitReady("inbox", this.extra));
      this.which.push(String(this.anyReady()));
    }
  }
  const h = new Harness();
  const w = h.activate(new W());
  h.runUntilIdle();
  h.send(w, "extra", 5);
  h.runUntilIdle();
  assert.deepEqual(w.which, ["extra", "extra"]);
  assert.equal(w.extra.description, "numbers on the side");
});

test("the shutdown helper: producerFinished drains what is waiting, then passes it on", () => {
  const h = new Harness();
  const e = h.activate(new Echo());
  const out = h.collect(e.outbox);
  const sig = h.collect(e.signal);
  const pf = producerFinished();
  h.send(e, "inbox", "a", "b");
  h.control(e, pf);
  h.runUntilIdle();
  assert.deepEqual(out.take(), ["a", "b"]);
  assert.deepEqual(sig.take(), [pf]);
  assert.ok(e.isFinished());
});

test("the shutdown helper: shutdownMicroprocess stops at once, beats producerFinished, and is passed on", () => {
  const h = new Harness();
  const e = h.activate(new Echo());
  h.runUntilIdle();
  const out = h.collect(e.outbox);
  const sig = h.collect(e.signal);
  const sd = shutdownMicroprocess();
  h.control(e, producerFinished(), sd);
  h.send(e, "inbox", "a", "b");
  h.runUntilIdle();
  assert.deepEqual(out.take(), []);
  const passed = sig.take();
  assert.equal(passed.length, 1);
  assert.equal(passed[0], sd);
  assert.ok(passed[0] instanceof ShutdownMicroprocess && !(passed[0] instanceof ProducerFinished));
});

test("a finished component's inboxes close: later deliveries are counted as dead letters, not stored", () => {
  const h = new Harness();
  const e = h.activate(new Echo());
  h.control(e, shutdownMicroprocess());
  h.runUntilIdle();
  assert.ok(e.isFinished());
  h.send(e, "inbox", "late");
  assert.equal(e.dataReady(), 0);
  assert.equal(e.inbox.deadLetters, 1);
});
