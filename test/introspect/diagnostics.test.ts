import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import dc from "node:diagnostics_channel";
import { join } from "node:path";
import { describe, it } from "node:test";
import { Component, System, type Wait } from "../../src/index.js";
import { observe, setObserverErrorHandler } from "../../src/core/observe.js";
import { CHANNELS, debugPrinter, debugSelects } from "../../src/introspect/index.js";
import { onCleanup } from "../support/cleanup.js";

/** Sends one message from its unlinked outbox, then fails if told to. */
class Worker extends Component<never, string> {
  fail = false;
  *main(): Wait {
    this.send("lost");
    if (this.fail) throw new Error("worker failed");
  }
}

const root = join(import.meta.dirname, "..", "..");

describe("diagnostics", () => {
  it("publishes activated, finished, failed and dead-letter events on diagnostics_channel", async () => {
    const seen: { channel: string; name: string }[] = [];
    for (const name of Object.values(CHANNELS)) {
      const fn = (m: unknown) => seen.push({ channel: name, name: (m as { name: string }).name });
      dc.subscribe(name, fn);
      onCleanup(() => dc.unsubscribe(name, fn));
    }
    const system = new System();
    system.onFailure = () => undefined;
    const ok = Worker.create({});
    ok.name = "OK";
    const bad = Worker.create({ fail: true });
    bad.name = "BAD";
    ok.activate(system);
    bad.activate(system);
    await system.run();
    const mine = seen.filter((s) => s.name === "OK" || s.name === "BAD");
    assert.deepEqual(mine.filter((s) => s.name === "OK").map((s) => s.channel), [CHANNELS.activated, CHANNELS.deadLetter, CHANNELS.finished]);
    assert.deepEqual(mine.filter((s) => s.name === "BAD").map((s) => s.channel), [CHANNELS.activated, CHANNELS.deadLetter, CHANNELS.failed]);
  });

  it("an observer that throws does not affect the system; its error goes to the handler", async () => {
    const errors: unknown[] = [];
    setObserverErrorHandler((e) => errors.push(e));
    onCleanup(() => setObserverErrorHandler(() => undefined));
    const stop = observe({
      activated: () => {
        throw new Error("observer bug");
      },
    });
    onCleanup(stop);
    const system = new System();
    const w = new Worker().activate(system);
    await system.run();
    assert.ok(w.isFinished());
    assert.match(String(errors[0]), /observer bug/);
  });

  it("DEBUG selects channels by name, with wildcards and exclusions", () => {
    assert.ok(debugSelects("kamaelia", CHANNELS.failed));
    assert.ok(debugSelects("express,kamaelia:*", CHANNELS.deadLetter));
    assert.ok(debugSelects("kamaelia:component:*", CHANNELS.activated));
    assert.ok(!debugSelects("kamaelia:component:*", CHANNELS.deadLetter));
    assert.ok(!debugSelects("kamaelia,-kamaelia:deadletter", CHANNELS.deadLetter));
    assert.ok(!debugSelects(undefined, CHANNELS.failed));
    assert.ok(!debugSelects("express", CHANNELS.failed));
    const lines: string[] = [];
    const stop = debugPrinter("kamaelia:component:failed", (t) => lines.push(t));
    onCleanup(stop);
    dc.channel(CHANNELS.failed).publish({ path: "A/B", class: "B", error: new Error("x\ny") });
    dc.channel(CHANNELS.activated).publish({ path: "A/B", class: "B" });
    assert.deepEqual(lines, ["kamaelia:component:failed A/B (B): Error: x\n"]);
  });

  it("DEBUG=kamaelia prints each event on stderr, one line each", () => {
    const r = spawnSync(process.execPath, ["--import", "tsx", join("test", "introspect", "fixtures", "debug-program.ts")], {
      cwd: root,
      encoding: "utf8",
      env: { ...process.env, DEBUG: "kamaelia" },
      timeout: 60_000,
    });
    assert.equal(r.status, 0, r.stderr);
    const lines = r.stderr.trim().split("\n").sort();
    assert.deepEqual(lines, [
      "kamaelia:component:activated DROP (Dropper)",
      "kamaelia:component:activated FALL (Faller)",
      "kamaelia:component:failed FALL (Faller): Error: fell over",
      "kamaelia:component:finished DROP (Dropper)",
      "kamaelia:deadletter DROP.outbox",
    ]);
  });
});
