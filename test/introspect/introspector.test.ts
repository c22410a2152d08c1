import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Component, DataSource, Pipeline, System, type Wait } from "../../src/index.js";
import { Introspector, isTapped, type Batch, type IntrospectionEvent } from "../../src/introspect/index.js";
import { until } from "../net/helpers.js";
import { onCleanup, stopAfter } from "../support/cleanup.js";

/** Keeps what it receives; its inbox is bounded by `size`. */
class Keeper extends Component<number, never> {
  got: number[] = [];
  size = 1000;
  *main(): Wait {
    this.inbox.setSize(this.size);
    yield* this.processMessages((n) => void this.got.push(n));
  }
}

/** Sends 1, 2, 3, then waits to be stopped. */
class Source extends Component<never, number> {
  *main(): Wait {
    for (const n of [1, 2, 3]) yield* this.waitSend(n);
    while (this.checkShutdown() === null) {
      this.pause();
      yield;
    }
  }
}

/** Fails on the message 3. */
class Fragile extends Component<number, number> {
  *main(): Wait {
    yield* this.processMessages((n) => {
      if (n === 3) throw new Error("three is too many\nsecond line");
      this.send(n);
    });
  }
}

function spyOn(system: System, metricsMs = 0): Introspector {
  const spy = new Introspector(system, { metricsMs });
  onCleanup(() => spy.close());
  return spy;
}

function collect(spy: Introspector, maxEvents?: number) {
  const batches: Batch[] = [];
  const events: IntrospectionEvent[] = [];
  const w = spy.watch((b) => {
    batches.push(b);
    events.push(...b.events);
  }, { batchMs: 5, maxEvents });
  return { batches, events, w };
}

describe("Introspector", () => {
  it("a snapshot lists components (parents first), boxes with depths, limits and counts, and every link", async () => {
    const system = stopAfter(new System());
    const keeper = Keeper.create({ size: 4 });
    const p = Pipeline(new Source(), keeper);
    const spy = spyOn(system);
    collect(spy);
    p.activate(system);
    await until(() => keeper.got.length === 3, "three messages through");
    const snap = spy.snapshot();
    assert.equal(snap.type, "snapshot");
    assert.equal(snap.version, 1);
    const byName = new Map(snap.components.map((c) => [c.name, c]));
    const k = byName.get(keeper.name)!;
    assert.equal(k.class, "Keeper");
    assert.equal(k.parent, p.id);
    assert.equal(k.state, "paused");
    assert.deepEqual(k.settings, { size: 4 });
    const inbox = k.boxes.find((b) => b.name === "inbox")!;
    assert.deepEqual({ kind: inbox.kind, depth: inbox.depth, limit: inbox.limit, messagesIn: inbox.messagesIn }, { kind: "inbox", depth: 0, limit: 4, messagesIn: 3 });
    assert.ok(snap.components.findIndex((c) => c.id === p.id) < snap.components.findIndex((c) => c.id === keeper.id), "parent before child");
    const link = snap.links.find((l) => l.to.component === keeper.id && l.to.box === "inbox")!;
    assert.equal(link.passthrough, 0);
    assert.equal(link.creator, p.id);
  });

  it("deltas: activated, linked, finished, failed (one line), unlinked; metrics give depths and rates", async () => {
    const system = new System();
    system.onFailure = () => undefined;
    const spy = spyOn(system, 20);
    const { events } = collect(spy);
    const f = new Fragile();
    const keeper = new Keeper();
    const p = Pipeline(DataSource(1, 2, 3), f, keeper);
    p.activate(system);
    // The failure, and the Pipeline removing the failed stage's links after it.
    await until(() => events.some((e) => e.type === "failed") && events.some((e) => e.type === "unlinked"), "the failure and an unlink");
    const types = events.map((e) => e.type);
    assert.equal(types[0], "snapshot");
    for (const t of ["activated", "linked", "finished", "failed", "unlinked"]) assert.ok(types.includes(t as never), `a ${t} event (got ${types.join(",")})`);
    const failed = events.find((e) => e.type === "failed") as Extract<IntrospectionEvent, { type: "failed" }>;
    assert.equal(failed.id, f.id);
    assert.equal(failed.error, "Error: three is too many");
    await until(() => events.some((e) => e.type === "metrics"), "metrics");
    system.stop();
  });

  it("metrics: per-link messages per second and inbox depths", async () => {
    const system = stopAfter(new System());
    const spy = spyOn(system);
    collect(spy);
    const keeper = Keeper.create({ size: 1000 });
    const src = new (class extends Component<never, number> {
      *main(): Wait {
        for (let i = 0; i < 50; i++) yield* this.waitSend(i);
        this.pause();
        yield;
      }
    })();
    src.activate(system);
    keeper.activate(system);
    // Before the link exists the keeper's inbox is metered; made after, so the link's flow starts at 0.
    spy.metrics();
    keeper.link(src.outbox, keeper.inbox);
    await until(() => keeper.got.length === 50, "50 messages");
    const m = spy.metrics();
    const id = `${src.id}.outbox->${keeper.id}.inbox`;
    assert.ok(m.rates.some((r) => r.link === id && r.perSecond > 0), JSON.stringify(m.rates));
    assert.equal(spy.meter.flow(keeper.inbox), 50);
  });

  it("a slow watcher: events past its bound are dropped and counted, then it gets a fresh snapshot; the system is not slowed", async () => {
    const system = stopAfter(new System());
    const spy = spyOn(system);
    const batches: Batch[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const w = spy.watch(
      (b) => {
        batches.push(b);
        if (batches.length === 1) return gate;
      },
      { batchMs: 5, maxEvents: 10 },
    );
    await until(() => batches.length === 1, "the first batch");
    const keepers: Keeper[] = [];
    for (let i = 0; i < 40; i++) keepers.push(new Keeper().activate(system));
    await until(() => keepers.every((k) => k.isActive()), "all activated");
    assert.equal(w.droppedTotal, 30);
    release();
    await until(() => batches.length === 2, "the batch after the watcher caught up");
    assert.equal(batches[1]!.dropped, 30);
    assert.equal(batches[1]!.events[0]!.type, "snapshot");
    const snap = batches[1]!.events[0] as Extract<IntrospectionEvent, { type: "snapshot" }>;
    assert.equal(snap.components.length, 40);
  });

  it("a watcher that throws is closed; the system and other watchers carry on", async () => {
    const system = stopAfter(new System());
    const spy = spyOn(system);
    const bad = spy.watch(() => {
      throw new Error("watcher bug");
    }, { batchMs: 5 });
    const good = collect(spy);
    await until(() => bad.closed, "the bad watcher closed");
    assert.match(String(bad.error), /watcher bug/);
    const keeper = new Keeper().activate(system);
    await until(() => good.events.some((e) => e.type === "activated" && e.component.id === keeper.id), "the good watcher still hears");
    assert.equal(spy.watchers, 1);
  });

  it("meters only while watched: boxes are tapped from the first watcher to the last, then run the class's own methods", async () => {
    const system = stopAfter(new System());
    const keeper = new Keeper().activate(system);
    const spy = spyOn(system);
    assert.ok(!isTapped(keeper.inbox), "no watcher, no tap");
    const a = spy.watch(() => undefined);
    const b = spy.watch(() => undefined);
    assert.ok(isTapped(keeper.inbox));
    const later = new Keeper().activate(system);
    assert.ok(isTapped(later.inbox), "a component activated while watched is metered");
    a.close();
    assert.ok(isTapped(keeper.inbox));
    b.close();
    assert.ok(!isTapped(keeper.inbox) && !isTapped(later.inbox));
    assert.ok(!Object.hasOwn(keeper.inbox, "deliver"));
    spy.watch(() => undefined);
    spy.close();
    assert.ok(!isTapped(keeper.inbox), "closing the Introspector removes every tap");
  });
});
