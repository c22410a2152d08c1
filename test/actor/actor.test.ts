import { afterEach, test } from "node:test";
import assert from "node:assert/strict";
import { Component, System, producerFinished, shutdownMicroprocess, type ErrorInformation, type Wait } from "../../src/index.js";
import {
  Actor,
  ActorArgumentError,
  ActorCall,
  ActorCallError,
  ActorStoppedError,
  ActorTimeoutError,
  NoSuchActorError,
  NoSuchMethodError,
  actor,
  notify,
  timeout,
} from "../../src/actor/index.js";

let system = new System();
afterEach(async () => {
  system.stop();
  await system.run();
  system = new System();
});

class Counter extends Actor {
  count = 0;
  log: string[] = [];
  add(n: number): number {
    this.count += n;
    return this.count;
  }
  async addLater(n: number, ms: number): Promise<number> {
    this.log.push(`start ${n}`);
    await new Promise((r) => setTimeout(r, ms));
    this.count += n;
    this.log.push(`end ${n}`);
    return this.count;
  }
  fail(why: string): never {
    throw new RangeError(why);
  }
  async failLater(): Promise<never> {
    await new Promise((r) => setImmediate(r));
    throw new Error("late failure");
  }
  snapshot(): { count: number; log: string[] } {
    return { count: this.count, log: [...this.log] };
  }
}

/** Poll for a condition (never a fixed sleep). */
async function until(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 2000 && !cond(); i++) await new Promise((r) => setTimeout(r, 5));
  assert.ok(cond(), "timed out waiting for a condition");
}

function counter(name = "counter", settings: Partial<Pick<Counter, "callTimeout" | "failOnCallError">> = {}): Counter {
  return Counter.create(settings).named(name).activate(system);
}

test("a proxy call runs the method in the actor and its future settles with the result, in call order", async () => {
  const c = counter();
  const p = actor<Counter>("counter", { system });
  const results = await Promise.all([p.add(1), p.add(2), p.add(3)]);
  assert.deepEqual(results, [1, 3, 6]);
  assert.equal(c.count, 6);
  assert.ok(system.components().includes(c), "an actor is a component of its system");
  assert.ok(system.services.has("counter"), "and registered in its services");
});

test("calls are handled one at a time: an async method finishes before the next call starts", async () => {
  counter();
  const p = actor<Counter>("counter", { system });
  const [a, b] = await Promise.all([p.addLater(1, 20), p.addLater(10, 1)]);
  assert.deepEqual([a, b], [1, 11]);
  assert.deepEqual((await p.snapshot()).log, ["start 1", "end 1", "start 10", "end 10"]);
});

test("a method that throws rejects that call with ActorCallError naming actor and method; the actor keeps serving", async () => {
  const c = counter();
  const p = actor<Counter>("counter", { system });
  await assert.rejects(p.fail("bad amount"), (e: unknown) => {
    assert.ok(e instanceof ActorCallError);
    assert.equal(e.message, "counter.fail() threw: RangeError: bad amount");
    assert.ok(e.cause instanceof RangeError);
    return true;
  });
  await assert.rejects(p.failLater(), /counter\.failLater\(\) threw: Error: late failure/);
  assert.equal(await p.add(5), 5);
  assert.equal(c.failedCalls, 2);
  assert.ok(c.isActive());
});

test("calling a method the actor does not have (or a Component member) is a clear error, and the actor carries on", async () => {
  counter();
  const p = actor<Counter>("counter", { system });
  const loose = p as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>;
  await assert.rejects(loose["subtract"]!(1), (e: unknown) => e instanceof NoSuchMethodError && e.message === 'counter has no method "subtract" (its methods: add, addLater, fail, failLater, snapshot)');
  for (const reserved of ["stop", "send", "activate", "main", "named", "observe", "_step", "constructor"]) {
    await assert.rejects(loose[reserved]!(), NoSuchMethodError, `${reserved} is not callable through a proxy`);
  }
  assert.equal(await p.add(1), 1);
});

test("a call to a name not registered yet waits for it; past the timeout it rejects naming the actor", async () => {
  const p = actor<Counter>("late", { system, timeout: 5_000 });
  const pending = p.add(7);
  await new Promise((r) => setTimeout(r, 20));
  counter("late");
  assert.equal(await pending, 7);
  counter("other");
  await assert.rejects(actor<Counter>("ghost", { system, timeout: 30 }).add(1), (e: unknown) => {
    assert.ok(e instanceof NoSuchActorError);
    assert.equal(e.message, 'ghost.add(): no actor named "ghost" was registered within 30 ms (actors registered: late, other)');
    return true;
  });
});

test("timeouts: per call, per proxy and per actor, each naming actor and method; an expired call is skipped", async () => {
  const c = counter("slow", { callTimeout: 40 });
  const p = actor<Counter>("slow", { system });
  await assert.rejects(p.addLater(1, 400), (e: unknown) => {
    assert.ok(e instanceof ActorTimeoutError);
    assert.equal(e.actor, "slow");
    assert.equal(e.method, "addLater");
    assert.match(e.message, /^slow\.addLater\(\) got no answer within 40 ms/);
    return true;
  });
  // Queued behind the slow call, this one times out before it starts, so it never runs.
  const skipped = timeout(p, 10).add(1000);
  await assert.rejects(skipped, /slow\.add\(\) got no answer within 10 ms/);
  await assert.rejects(actor<Counter>("slow", { system, timeout: 15 }).snapshot(), /slow\.snapshot\(\) got no answer within 15 ms/);
  const after = await timeout(p, 5_000).snapshot();
  assert.equal(after.count, 1, "the slow call completed; the expired add(1000) never ran");
  assert.ok(c.expiredCalls >= 1);
});

test("notify sends without waiting for an answer; to an unknown name it throws at once", async () => {
  const c = counter();
  const p = actor<Counter>("counter", { system });
  const r: void = notify(p).add(4);
  assert.equal(r, undefined);
  assert.equal(await p.add(1), 5);
  assert.equal(c.count, 5);
  assert.throws(() => notify(actor<Counter>("nobody", { system })).add(1), (e: unknown) => e instanceof NoSuchActorError && /nobody\.add\(\): no actor named "nobody" is registered, so the notify was not sent \(actors registered: counter\)/.test(e.message));
});

/** Collects what arrives, for linking to an actor's error outbox. */
class Sink extends Component<unknown, never> {
  got: unknown[] = [];
  main(): Wait<unknown> {
    return this.processMessages((m) => void this.got.push(m));
  }
}

test("failures nobody waits for (a notify that throws, a message that is not a call) go out of the error outbox", async () => {
  const c = counter();
  const sink = new Sink();
  sink.link(c.error, sink.inbox);
  sink.activate(system);
  notify(actor<Counter>("counter", { system })).fail("nobody is waiting");
  c.inbox.deliver("not a call", "test");
  c.inbox.deliver(new ActorCall("add", [2]), "test");
  assert.equal(await actor<Counter>("counter", { system }).add(0), 2, "a hand-made ActorCall is a notify");
  // The reply can arrive before the sink has had its turn: wait for it to read both.
  await until(() => sink.got.length >= 2);
  const errors = sink.got as ErrorInformation[];
  assert.equal(errors.length, 2);
  assert.match(errors[0]!.error.message, /^counter\.fail\(\) threw: RangeError: nobody is waiting$/);
  assert.match(errors[1]!.error.message, /^counter: its inbox takes ActorCall messages \(from proxies\), got a string \("not a call"\)$/);
});

test("shutdown: producerFinished answers the calls waiting, then the actor ends and leaves the registry", async () => {
  const c = counter();
  const p = actor<Counter>("counter", { system });
  const a = p.add(1);
  const b = p.add(2);
  c.control.deliver(producerFinished(), "test");
  assert.deepEqual(await Promise.all([a, b]), [1, 3]);
  await c.finished();
  assert.equal(system.services.has("counter"), false);
  await assert.rejects(actor<Counter>("counter", { system, timeout: 20 }).add(1), NoSuchActorError);
});

test("shutdownMicroprocess stops at once: calls left unanswered are rejected with ActorStoppedError", async () => {
  const c = counter();
  const p = actor<Counter>("counter", { system });
  const busy = p.addLater(1, 30);
  const queued = p.add(100);
  await until(() => c.log.includes("start 1"));
  c.control.deliver(shutdownMicroprocess(), "test");
  await busy;
  await assert.rejects(queued, (e: unknown) => e instanceof ActorStoppedError && /counter\.add\(\): counter stopped before answering/.test(e.message));
  await c.finished();
});

test("bad input: names, timeouts, options, duplicate names, renaming after activation", () => {
  assert.throws(() => actor("", { system }), (e: unknown) => e instanceof ActorArgumentError && /actor\(\): an actor name must be a non-empty string, got a string \(""\)/.test(e.message));
  assert.throws(() => actor(42 as unknown as string), /an actor name must be a non-empty string, got a number \(42\)/);
  assert.throws(() => actor("x", { timeout: -1 }), /actor\("x"\): timeout must be a number of milliseconds ≥ 0 \(or Infinity\), got a number \(-1\)/);
  assert.throws(() => actor("x", { system: {} as System }), /options.system must be a System/);
  assert.throws(() => timeout({} as never, 5), /timeout\(\) needs a proxy made by actor\(\)/);
  assert.throws(() => notify("counter" as never), /notify\(\) needs a proxy made by actor\(\), got a string/);
  const c = counter();
  assert.throws(() => counter(), /cannot activate counter: another actor named "counter" is running/);
  assert.throws(() => c.named("other"), /name an actor before activating it/);
  assert.throws(() => new Counter().named(""), /an actor name must be a non-empty string/);
  assert.throws(() => Counter.create({ callTimeout: -5 }).named("neg").activate(system), /neg\.callTimeout: timeout must be a number of milliseconds ≥ 0 \(or Infinity\), got a number \(-5\)/);
  assert.equal(system.services.has("neg"), false);
  const p = actor<Counter>("counter", { system });
  assert.throws(() => ((p as unknown as Record<string, unknown>)["add"] = 1), /a proxy is read-only/);
});

/** Calls the counter from a generator, an async and a drain component. */
class GenCaller extends Component<never, number> {
  *main(): Wait {
    const p = actor<Counter>("counter", { system: this.system! });
    const v = yield* this.waitFor(p.add(1));
    this.send(v);
  }
}
class AsyncCaller extends Component<never, number> {
  async main(): Promise<void> {
    this.send(await actor<Counter>("counter", { system: this.system! }).add(10));
  }
}
class DrainCaller extends Component<number, number> {
  main(): Wait<unknown> {
    return this.processMessages(function* (this: DrainCaller, n: number): Wait {
      const v = yield* this.waitFor(actor<Counter>("counter", { system: this.system! }).add(n));
      this.send(v);
    });
  }
}

test("generator, async and processMessages components call actors and wait on the futures", async () => {
  const c = counter();
  const sink = new Sink().activate(system);
  const callers = [new GenCaller(), new AsyncCaller(), new DrainCaller()];
  for (const k of callers) {
    sink.link(k.outbox, sink.inbox);
    k.activate(system);
  }
  callers[2]!.inbox.deliver(100, "test");
  callers[2]!.control.deliver(producerFinished(), "test");
  await Promise.all(callers.map((k) => k.finished()));
  assert.equal(c.count, 111);
  assert.equal(sink.got.length, 3);
  assert.deepEqual(sink.got.map(Number).sort((x, y) => x - y).at(-1), 111);
});

test("an actor calls another through this.actor(), from inside its own method", async () => {
  counter();
  class Doubler extends Actor {
    async double(n: number): Promise<number> {
      const p = this.actor<Counter>("counter");
      await p.add(n);
      return p.add(n);
    }
  }
  new Doubler().named("doubler").activate(system);
  assert.equal(await actor<Doubler>("doubler", { system }).double(21), 42);
});
