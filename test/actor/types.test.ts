/**
 * Compile-time tests of the actor layer's types. Every `@ts-expect-error`
 * line must keep failing to compile (`npm test` type-checks this file; an
 * unused directive fails the build). The runtime test proves the well-typed
 * lines also run.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { System } from "../../src/index.js";
import { Actor, Task, actor, notify, timeout, type ActorOutput, type NoOutputs, type ReservedName } from "../../src/actor/index.js";

class Greeter extends Actor {
  greet(name: string): string {
    return `Hello, ${name}`;
  }
  async count(): Promise<number> {
    return 3;
  }
}

interface SensorOutputs {
  reading(celsius: number): void;
  alarm(text: string): void;
}
class Sensor extends Actor<SensorOutputs> {
  emit(): void {
    this.output.reading(20);
    // @ts-expect-error an output the actor does not declare
    this.output.smoke();
    // @ts-expect-error an output called with the wrong argument type
    this.output.reading("hot");
  }
}

class FullListener extends Actor {
  reading(celsius: number): void {
    void celsius;
  }
  alarm(text: string): void {
    void text;
  }
  listen(): void {
    this.observe<Sensor>("sensor");
    this.observe<SensorOutputs>("sensor");
  }
}

class HalfListener extends Actor {
  reading(celsius: number): void {
    void celsius;
  }
  listen(): void {
    // @ts-expect-error a listener that does not implement every output method (alarm is missing) does not compile
    this.observe<Sensor>("sensor");
  }
}

class WrongListener extends Actor {
  reading(celsius: string): void {
    void celsius;
  }
  alarm(text: string): void {
    void text;
  }
  listen(): void {
    // @ts-expect-error an output method with the wrong parameter type does not compile
    this.observe<SensorOutputs>("sensor");
  }
}

interface LampConfig {
  watts: number;
}
class Lamp extends Task<LampConfig> {
  override onConfigure(c: LampConfig): void {
    void c.watts;
  }
}

async function typed(system: System): Promise<void> {
  const g = actor<Greeter>("greeter", { system });
  const s: string = await g.greet("Ann");
  const n: number = await g.count(); // an async method's future holds the awaited value
  // @ts-expect-error a method the actor does not have
  await g.farewell("Ann");
  // @ts-expect-error a wrong argument type
  await g.greet(42);
  // @ts-expect-error the future holds a string, not a number
  const wrong: number = await g.greet("Bob");
  // @ts-expect-error Component members are not callable through a proxy
  await g.stop();
  // @ts-expect-error nor are the Actor's own
  await g.observe("x");
  const nothing: void = notify(g).greet("Cy");
  // @ts-expect-error notify gives no future
  const future: Promise<string> = notify(g).greet("Cy");
  const quick: string = await timeout(g, 50).greet("Dee");
  // @ts-expect-error a config of the wrong shape
  Lamp.create({ config: { watts: "many" } });
  Lamp.create({ config: { watts: 60 } });
  const out: ActorOutput<SensorOutputs> = { from: "sensor", method: "reading", args: [21] };
  // @ts-expect-error an output message with the wrong arguments for its method
  const badOut: ActorOutput<SensorOutputs> = { from: "sensor", method: "alarm", args: [21] };
  void [s, n, wrong, nothing, future, quick, out, badOut];
}

// Every public member that Actor and Task add to Component is a reserved name (the list in types.ts is complete).
type Unreserved = Exclude<Extract<keyof Task<unknown, NoOutputs>, string>, ReservedName>;
const complete: [Unreserved] extends [never] ? true : Unreserved = true;

test("the well-typed lines run", async () => {
  const system = new System();
  new Greeter().named("greeter").activate(system);
  new Sensor().named("sensor").activate(system);
  const full = new FullListener().named("full").activate(system);
  full.listen();
  assert.equal(complete, true);
  assert.equal(await actor<Greeter>("greeter", { system }).greet("Ann"), "Hello, Ann");
  await assert.rejects(typed(system)); // farewell() is missing at run time too
  void [HalfListener, WrongListener];
  system.stop();
  await system.run();
});
