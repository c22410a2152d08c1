import { afterEach, test } from "node:test";
import assert from "node:assert/strict";
import { Component, Pipeline, Supervisor, System, type ErrorInformation, type Wait } from "../../src/index.js";
import { Actor, ActorStoppedError, Task, actor, type ActorOutput } from "../../src/actor/index.js";

let system = new System();
afterEach(async () => {
  system.stop();
  await system.run().catch(() => {});
  system = new System();
});

/** Poll for a condition (never a fixed sleep). */
async function until(cond: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 2000 && !cond(); i++) await new Promise((r) => setTimeout(r, 5));
  assert.ok(cond(), `timed out waiting for ${what}`);
}

interface SensorOutputs {
  reading(celsius: number, at: string): void;
  alarm(text: string): void;
}

class Sensor extends Actor<SensorOutputs> {
  measure(celsius: number): number {
    this.output.reading(celsius, "lab");
    if (celsius > 30) this.output.alarm(`too hot: ${celsius}`);
    return celsius;
  }
}

class Display extends Actor {
  lines: string[] = [];
  reading(celsius: number, at: string): void {
    this.lines.push(`${at}: ${celsius}°C`);
  }
  alarm(text: string): void {
    this.lines.push(`ALARM ${text}`);
  }
  shown(): string[] {
    return this.lines;
  }
}

test("observe: every output of the observed actor is called on the observer, in order, in the observer's own step", async () => {
  new Sensor().named("sensor").activate(system);
  const display = new Display().named("display").activate(system);
  display.observe<Sensor>("sensor");
  display.observe<SensorOutputs>("sensor"); // idempotent; the outputs interface works as well as the class
  const s = actor<Sensor>("sensor", { system });
  await s.measure(21);
  await s.measure(35);
  assert.deepEqual(await actor<Display>("display", { system }).shown(), ["lab: 21°C", "lab: 35°C", "ALARM too hot: 35"]);
  display.unobserve("sensor");
  await s.measure(22);
  assert.deepEqual(await actor<Display>("display", { system }).shown(), ["lab: 21°C", "lab: 35°C", "ALARM too hot: 35"], "nothing after unobserve");
});

test("an observer can subscribe before the observed actor exists (by name)", async () => {
  const display = new Display().named("display").activate(system);
  display.observe<Sensor>("sensor");
  new Sensor().named("sensor").activate(system);
  await actor<Sensor>("sensor", { system }).measure(5);
  assert.deepEqual(await actor<Display>("display", { system }).shown(), ["lab: 5°C"]);
});

class Collector extends Component<ActorOutput<SensorOutputs>, never> {
  got: ActorOutput<SensorOutputs>[] = [];
  main(): Wait<unknown> {
    return this.processMessages((m) => void this.got.push(m));
  }
}

test("an actor is a component: linked in a Pipeline, its outputs leave its outbox as typed ActorOutput messages", async () => {
  const sensor = new Sensor().named("sensor");
  const collector = new Collector();
  Pipeline(sensor, collector).activate(system);
  await actor<Sensor>("sensor", { system }).measure(31);
  assert.ok(system.components().some((c) => c === sensor), "shown by system.components()");
  await until(() => collector.got.length === 2, "two outputs");
  assert.deepEqual(collector.got, [
    { from: "sensor", method: "reading", args: [31, "lab"] },
    { from: "sensor", method: "alarm", args: ["too hot: 31"] },
  ]);
});

class HalfDisplay extends Actor {
  lines: string[] = [];
  reading(celsius: number): void {
    this.lines.push(String(celsius));
  }
}
class Sink extends Component<unknown, never> {
  got: unknown[] = [];
  main(): Wait<unknown> {
    return this.processMessages((m) => void this.got.push(m));
  }
}

test("an observer that lacks an output method (possible only by going around the types) reports it on its error outbox", async () => {
  new Sensor().named("sensor").activate(system);
  const half = new HalfDisplay().named("half").activate(system);
  const sink = new Sink();
  sink.link(half.error, sink.inbox);
  sink.activate(system);
  (half.observe as unknown as (this: HalfDisplay, name: string) => void).call(half, "sensor");
  await actor<Sensor>("sensor", { system }).measure(40);
  await until(() => sink.got.length === 1, "the error report");
  assert.equal((sink.got[0] as ErrorInformation).error.message, 'half has no method "alarm" (its methods: reading)');
  assert.deepEqual(half.lines, ["40"], "the output it does handle arrived");
});

/** Fails on a bad call, so its Supervisor restarts it. */
class Fragile extends Actor {
  static made = 0;
  readonly generation = ++Fragile.made;
  override failOnCallError = true;
  seen: number[] = [];
  reading(celsius: number): void {
    this.seen.push(celsius);
  }
  alarm(text: string): void {
    void text;
  }
  crash(): never {
    throw new Error("crash requested");
  }
  who(): { generation: number; seen: number[] } {
    return { generation: this.generation, seen: this.seen };
  }
}

test("supervised: an actor that fails is restarted under the same name; callers and observations carry on", async () => {
  Fragile.made = 0;
  new Sensor().named("sensor").activate(system);
  const sup = Supervisor({ children: [() => new Fragile().named("fragile")], intensity: { maxRestarts: 3, withinMs: 60_000 } }).activate(system);
  const f = actor<Fragile>("fragile", { system });
  await until(() => system.services.has("fragile"), "the first Fragile");
  (system.services.lookup("fragile").component as Fragile).observe<Sensor>("sensor");
  await actor<Sensor>("sensor", { system }).measure(1);
  assert.deepEqual(await f.who(), { generation: 1, seen: [1] });
  const crashed = f.crash();
  const next = f.who(); // queued behind the crash: handed to the replacement
  await assert.rejects(crashed, /fragile\.crash\(\) threw: Error: crash requested/);
  assert.deepEqual(await next, { generation: 2, seen: [] });
  await actor<Sensor>("sensor", { system }).measure(2);
  assert.deepEqual(await f.who(), { generation: 2, seen: [2] }, "the observation (by name) outlived the restart");
  assert.equal(sup.restarts, 1);
  assert.ok(system.components().some((c) => c instanceof Fragile && c.generation === 2));
});

test("supervised Task: a start-up hook that fails is retried by the Supervisor", async () => {
  let attempts = 0;
  class Flaky extends Task {
    override onStart(): void {
      if (++attempts < 3) throw new Error(`resource not ready (attempt ${attempts})`);
    }
    ready(): number {
      return attempts;
    }
  }
  const sup = Supervisor({ children: [() => new Flaky().named("flaky")], intensity: { maxRestarts: 5, withinMs: 60_000 } }).activate(system);
  // A call that reaches an instance failing in onStart is rejected, as for any actor
  // that stops before answering (which instance it reaches depends on timing); a
  // caller that tries again reaches the restarted one.
  const flaky = actor<Flaky>("flaky", { system, timeout: 10_000 });
  let answer: number | undefined;
  for (let i = 0; i < 10 && answer === undefined; i++) {
    try {
      answer = await flaky.ready();
    } catch (e) {
      if (!(e instanceof ActorStoppedError)) throw e;
    }
  }
  assert.equal(answer, 3);
  assert.equal(sup.restarts, 2);
  assert.match(sup.failures[0]!.message, /flaky failed in onStart: Error: resource not ready \(attempt 1\)/);
});
