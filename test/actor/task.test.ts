import { afterEach, test } from "node:test";
import assert from "node:assert/strict";
import { ComponentFailure, System, producerFinished } from "../../src/index.js";
import { ActorArgumentError, ActorCallError, Task, TaskLifecycleError, UnhandledCallError, actor } from "../../src/actor/index.js";

let system = new System();
afterEach(async () => {
  system.stop();
  await system.run().catch(() => {});
  system = new System();
});

interface LampConfig {
  watts: number;
  room: string;
}

const journal: string[] = [];

/** A Task whose calls are handled by Off/On/Broken states. */
class Lamp extends Task<LampConfig> {
  override config = { watts: 60, room: "hall" };
  override async onConfigure(c: LampConfig): Promise<void> {
    await new Promise((r) => setImmediate(r));
    if (!(c.watts > 0)) throw new RangeError(`watts must be > 0, got ${c.watts}`);
    journal.push(`configure ${c.room} ${c.watts}W`);
  }
  override onStart(): void {
    journal.push(`start (phase ${this.phase})`);
    this.become(new Off(this));
  }
  override onRunning(): void {
    journal.push(`running (phase ${this.phase})`);
  }
  override async onStop(): Promise<void> {
    await new Promise((r) => setImmediate(r));
    journal.push(`stop (phase ${this.phase})`);
  }
  /** Answered whatever the state? No: only states answer calls, so this is unreachable once a state is set. */
  describe(): string {
    return `${this.config.watts}W lamp`;
  }
}
class Off {
  constructor(readonly lamp: Lamp) {}
  switchOn(): string {
    this.lamp.become(new On(this.lamp));
    return `${this.lamp.config.room}: on`;
  }
  status(): string {
    return "off";
  }
}
class On {
  constructor(readonly lamp: Lamp) {}
  switchOff(): string {
    this.lamp.become(new Off(this.lamp));
    return `${this.lamp.config.room}: off`;
  }
  status(): string {
    return "on";
  }
  overload(): never {
    this.lamp.become(new Broken());
    throw new Error("bulb blew");
  }
}
class Broken {
  status(): string {
    return "broken";
  }
}
type LampApi = Off & On & Broken;

test("Task start-up: configure → start → running (hooks in order, async ones awaited) → stop", async () => {
  journal.length = 0;
  const lamp = Lamp.create({ config: { watts: 40, room: "kitchen" } }).named("lamp").activate(system);
  assert.equal(lamp.phase, "new");
  const p = actor<LampApi>("lamp", { system });
  assert.equal(await p.status(), "off", "a call made before start-up waits for it");
  assert.equal(lamp.phase, "running");
  assert.deepEqual(journal, ["configure kitchen 40W", "start (phase start)", "running (phase running)"]);
  lamp.control.deliver(producerFinished(), "test");
  await lamp.finished();
  assert.deepEqual(journal.at(-1), "stop (phase stop)");
  assert.equal(lamp.phase, "stopped");
});

test("onStop also runs on stop() from outside", async () => {
  journal.length = 0;
  const lamp = Lamp.create().named("lamp").activate(system);
  await actor<LampApi>("lamp", { system }).status();
  lamp.stop();
  await lamp.finished();
  assert.equal(journal.at(-1), "stop (phase stop)");
});

test("the State pattern: the current State handles calls and can replace itself", async () => {
  Lamp.create().named("lamp").activate(system);
  const p = actor<LampApi>("lamp", { system });
  assert.equal(await p.switchOn(), "hall: on");
  assert.equal(await p.status(), "on");
  assert.equal(await p.switchOff(), "hall: off");
  assert.equal(await p.status(), "off");
});

test("a call the current State does not handle is a clear error naming task, State and method; the task keeps serving", async () => {
  const lamp = Lamp.create().named("lamp").activate(system);
  const p = actor<LampApi>("lamp", { system });
  await assert.rejects(p.switchOff(), (e: unknown) => {
    assert.ok(e instanceof UnhandledCallError);
    assert.equal(e.message, 'lamp: its state Off does not handle "switchOff" (Off handles: status, switchOn)');
    return true;
  });
  await assert.rejects((p as unknown as { describe(): Promise<string> }).describe(), /lamp: its state Off does not handle "describe"/, "the task's own methods are not the State's");
  assert.equal(await p.switchOn(), "hall: on");
  assert.equal(lamp.failedCalls, 2);
});

test("a State that throws rejects the call naming task, method and State; the new State it chose stays", async () => {
  Lamp.create().named("lamp").activate(system);
  const p = actor<LampApi>("lamp", { system });
  await p.switchOn();
  await assert.rejects(p.overload(), (e: unknown) => e instanceof ActorCallError && e.message === "lamp.overload() threw in state On: Error: bulb blew");
  assert.equal(await p.status(), "broken");
  await assert.rejects(p.switchOn(), /its state Broken does not handle "switchOn" \(Broken handles: status\)/);
});

test("plain-object States work too, and become() refuses what is not an object", async () => {
  const lamp = Lamp.create().named("lamp").activate(system);
  const p = actor<{ ping(): string }>("lamp", { system });
  await actor<LampApi>("lamp", { system }).status();
  lamp.become({ ping: () => "pong" });
  assert.equal(await p.ping(), "pong");
  await assert.rejects(actor<LampApi>("lamp", { system }).status(), /its state \(a plain object\) does not handle "status" \(\(a plain object\) handles: ping\)/);
  assert.throws(() => lamp.become(null as unknown as object), (e: unknown) => e instanceof ActorArgumentError && /lamp\.become\(\): a State must be an object with methods, got null/.test(e.message));
  lamp.become(lamp);
  assert.equal(await actor<Lamp>("lamp", { system }).describe(), "60W lamp", "become(task) hands calls back to the task itself");
});

test("a refused configuration fails the task with TaskLifecycleError naming task and hook; calls waiting are refused", async () => {
  const lamp = Lamp.create({ config: { watts: 0, room: "attic" } }).named("attic-lamp");
  const run = lamp.run(system);
  const waiting = actor<LampApi>("attic-lamp", { system, timeout: 2_000 }).status();
  await assert.rejects(run, (e: unknown) => {
    assert.ok(e instanceof ComponentFailure);
    assert.equal(e.component, "attic-lamp");
    assert.ok(e.cause instanceof TaskLifecycleError);
    assert.equal(e.cause.message, "attic-lamp failed in onConfigure: RangeError: watts must be > 0, got 0");
    return true;
  });
  await assert.rejects(waiting, /attic-lamp\.status\(\): attic-lamp stopped before answering/);
  assert.equal(lamp.phase, "stopped");
  assert.equal(system.services.has("attic-lamp"), false);
});

test("typed config: a Task without config gets undefined; hooks see it", async () => {
  let seen: unknown = "unset";
  class Plain extends Task {
    override onConfigure(c: undefined): void {
      seen = c;
    }
    hello(): string {
      return "hi";
    }
  }
  new Plain().named("plain").activate(system);
  assert.equal(await actor<Plain>("plain", { system }).hello(), "hi");
  assert.equal(seen, undefined);
});
