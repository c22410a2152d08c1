/**
 * `X.create(settings, ...constructorArgs)` for every kind of component:
 * settings-only (a Clock, whose constructor arguments are optional), a
 * component whose constructor needs arguments (given after the settings),
 * and generic components (their type from the constructor arguments, or
 * named with an instantiation expression: `(Chooser<string>).create(…)`).
 * The `@ts-expect-error` lines must keep failing to compile (tsc checks this
 * file); the tests run the well-typed lines.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { ArgumentError, Chooser, Clock, ConsoleEchoer, Follow, LineDeFramer, Pipeline, System, type ChooserCommand } from "../../src/index.js";
import { Harness } from "../../src/testing/index.js";

export function compileOnly(): void {
  const lf: LineDeFramer = LineDeFramer.create({ maxLineLength: 5 });
  const f: Follow = Follow.create({ pollInterval: 50 }, "app.log");
  // @ts-expect-error Follow needs the file to follow
  Follow.create({ pollInterval: 50 });
  // @ts-expect-error the file is a string
  Follow.create({}, 42);
  // @ts-expect-error a misspelt setting does not compile
  Clock.create({ intervall: 5 });
  const c: Chooser<string> = (Chooser<string>).create({ loop: true }, ["a", "b"]);
  // @ts-expect-error items of the wrong type for a Chooser<string>
  (Chooser<string>).create({}, [1, 2]);
  const e: ConsoleEchoer<string> = (ConsoleEchoer<string>).create({}, { eol: "\n" });
  Pipeline(c, e);
  void [lf, f];
}

test("Clock.create({ interval, count }) ticks as set", async () => {
  const h = new Harness();
  const clock = h.activate(Clock.create({ interval: 2, count: 3 }));
  const out = h.collect(clock.outbox);
  await h.run();
  assert.deepEqual(out.messages, [1, 2, 3]);
});

test("a bad setting given to create is reported, naming the component, when it starts", async () => {
  const clock = Clock.create({ interval: -1 });
  await assert.rejects(clock.run(new System()), (e: unknown) => e instanceof Error && e.cause instanceof ArgumentError && /Clock_\d+: the interval \(ms\) must be a positive number/.test(e.cause.message));
});

test("constructor arguments after the settings; a generic component typed by an instantiation expression", async () => {
  const h = new Harness();
  const chooser = h.activate((Chooser<string>).create({ loop: true }, ["a", "b"]));
  const out = h.collect(chooser.outbox);
  h.send(chooser, "inbox", ...(["NEXT", "NEXT"] satisfies ChooserCommand[]));
  h.runUntilIdle();
  assert.deepEqual(out.messages, ["a", "b", "a"]);
});
