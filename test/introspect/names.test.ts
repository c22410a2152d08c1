/**
 * An Introspector watching several systems (`new Introspector("all")`, what
 * `kamaelia run --inspect/--console` uses): component ids are per system, so
 * two systems both have a `Pipeline_1`; every id the Introspector reports
 * must still be unique, events and links must name the right component, and
 * find(), the console and the visualiser must address each one.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { describe, it } from "node:test";
import { chromium } from "playwright-core";
import { Component, PassThrough, Pipeline, System, type AnyComponent, type Wait } from "../../src/index.js";
import { Introspector, Tracer, consoleHelpers, parseTrace, replay, startVisualiser, type ComponentInfo, type IntrospectionEvent } from "../../src/introspect/index.js";
import { until } from "../net/helpers.js";
import { onCleanup, stopAfter } from "../support/cleanup.js";

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

/** Keeps what it receives. */
class Keeper extends Component<number, never> {
  got: number[] = [];
  *main(): Wait {
    yield* this.processMessages((n) => void this.got.push(n));
  }
}

function getJSON(url: string): Promise<{ status: number; body: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request(url, (res) => {
      let body = "";
      res.setEncoding("utf8").on("data", (d: string) => (body += d));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(body) as Record<string, unknown> }));
    });
    req.on("error", reject);
    req.end();
  });
}

/** Two systems (`first`, then a new one) running the same shape of pipeline: with fresh systems, their components have the same own ids and names. */
function twoSystems(first: System = System.default) {
  const spy = new Introspector("all", { metricsMs: 0 });
  onCleanup(() => spy.close());
  const events: IntrospectionEvent[] = [];
  spy.watch((b) => void events.push(...b.events), { batchMs: 5 });
  const second = stopAfter(new System());
  stopAfter(first);
  const ka = new Keeper();
  const pa = Pipeline(new Source(), ka).activate(first);
  const kb = new Keeper();
  const pb = Pipeline(new Source(), kb).activate(second);
  return { spy, events, pa, ka, pb, kb, second };
}

function unique<T>(xs: readonly T[], what: string): void {
  const seen = new Set<T>();
  for (const x of xs) {
    assert.ok(!seen.has(x), `${what}: ${String(x)} is reported twice (${xs.join(", ")})`);
    seen.add(x);
  }
}

describe("an Introspector watching several systems", () => {
  it('"all" over System.default and a new System: ids unique in the snapshot, events and links, and find() gets each component', async () => {
    const { spy, events, pa, ka, pb, kb } = twoSystems();
    await until(() => ka.got.length === 3 && kb.got.length === 3, "both pipelines ran");
    // What makes this hard: each system counts its own ids from 1.
    assert.equal(pa.id, pb.id);
    assert.equal(pa.name, pb.name);

    const snap = spy.snapshot();
    assert.equal(snap.components.length, 6);
    unique(snap.components.map((c) => c.id), "component id");
    unique(snap.components.map((c) => c.name), "component name");
    unique(snap.links.map((l) => l.id), "link id");
    const byId = new Map<number, ComponentInfo>(snap.components.map((c) => [c.id, c]));
    const idOf = (c: AnyComponent) => spy.describe(c).id;

    // The first system keeps its components' own ids and names (as with one system watched).
    for (const c of [pa, ka, ...pa.childComponents()]) {
      assert.equal(idOf(c), c.id);
      assert.equal(byId.get(c.id)!.name, c.name);
    }
    // The second system's are set apart, readably.
    for (const c of [pb, kb, ...pb.childComponents()]) {
      assert.ok(idOf(c) < 0, `${c.name} has an id of its own (${idOf(c)})`);
      assert.equal(byId.get(idOf(c))!.name, `${c.name}@2`);
    }
    assert.equal(byId.get(idOf(kb))!.parent, idOf(pb), "a parent is its own system's");
    assert.equal(byId.get(idOf(ka))!.parent, pa.id);

    // Every link joins components of one system: the right ones.
    const sourceB = pb.childComponents().find((c) => c instanceof Source)!;
    const intoKb = snap.links.filter((l) => l.to.component === idOf(kb) && l.to.box === "inbox");
    assert.deepEqual(intoKb.map((l) => [l.from.component, l.from.box, l.creator]), [[idOf(sourceB), "outbox", idOf(pb)]]);
    for (const l of snap.links) {
      const ends = [l.from.component, l.to.component, l.creator!].map((id) => spy.find(id)!);
      assert.ok(ends.every((c) => c !== undefined), `link ${l.id} names live components`);
      assert.equal(new Set(ends.map((c) => c.system)).size, 1, `link ${l.id} stays in one system`);
    }

    // find() by each id and each name gets that very component.
    for (const c of spy.components()) {
      assert.equal(spy.find(idOf(c)), c);
      assert.equal(spy.find(String(idOf(c))), c);
      assert.equal(spy.find(spy.describe(c).name), c);
    }

    // The events say the same.
    await until(() => events.filter((e) => e.type === "activated").length >= 6 && events.filter((e) => e.type === "linked").length >= snap.links.length, "the events handed over");
    const activated = events.filter((e) => e.type === "activated").map((e) => (e as Extract<IntrospectionEvent, { type: "activated" }>).component.id);
    assert.deepEqual(new Set(activated), new Set(byId.keys()));
    unique(activated, "activated id");
    const linked = events.filter((e) => e.type === "linked").map((e) => (e as Extract<IntrospectionEvent, { type: "linked" }>).link.id);
    unique(linked, "linked id");
    assert.deepEqual(new Set(linked), new Set(snap.links.map((l) => l.id)));

    // Stopping the second system's pipeline reports its own components finished, and only its links gone.
    const bIds = new Set([pb, kb, ...pb.childComponents()].map(idOf));
    const bLinks = new Set(snap.links.filter((l) => bIds.has(l.from.component)).map((l) => l.id));
    pb.stop();
    await until(() => events.filter((e) => e.type === "finished").length === 3, "the second pipeline finished");
    const finished = events.filter((e) => e.type === "finished").map((e) => (e as Extract<IntrospectionEvent, { type: "finished" }>).id);
    assert.deepEqual(new Set(finished), bIds);
    const unlinked = events.filter((e) => e.type === "unlinked").map((e) => (e as Extract<IntrospectionEvent, { type: "unlinked" }>).id);
    assert.ok(unlinked.length > 0 && unlinked.every((id) => bLinks.has(id)), `unlinked ${unlinked.join(", ")}`);
    assert.ok(pa.isActive() && ka.isActive(), "the first system's pipeline runs on");
    assert.deepEqual(new Set(spy.snapshot().components.map((c) => c.id)), new Set([pa, ka, ...pa.childComponents()].map((c) => c.id)));
  });

  it("a Tracer given the Introspector's names labels each system's boxes apart, so a replay takes only the one asked for", async () => {
    const { spy, ka, kb } = twoSystems(new System());
    await until(() => ka.got.length === 3 && kb.got.length === 3, "both pipelines ran");
    assert.equal(ka.name, kb.name, "two fresh systems: the same names");
    const tracer = new Tracer({ names: spy.names });
    tracer.trace(ka.inbox);
    tracer.trace(kb.inbox);
    ka.inbox.final.deliver(10, "the test");
    kb.inbox.final.deliver(20, "the test");
    await until(() => ka.got.length === 4 && kb.got.length === 4, "both delivered");
    const rec = parseTrace(tracer.dump());
    // Labelled as the Introspector names them (System.default, if a test before left it running, is its system 1).
    const [la, lb] = [ka, kb].map((k) => `${spy.describe(k).name}.inbox`);
    assert.notEqual(la, lb);
    assert.deepEqual(rec.traces.map((t) => t.link), [la, lb]);
    assert.deepEqual(await replay(rec, new PassThrough<number>(), { link: lb }), [20]);
    assert.deepEqual(await replay(rec, new PassThrough<number>(), { link: la }), [10]);
  });

  it("the console and the visualiser the CLI attaches address each system's components", async () => {
    const { spy, pa, ka, pb, kb } = twoSystems();
    await until(() => ka.got.length === 3 && kb.got.length === 3, "both pipelines ran");
    let text = "";
    const out = new Writable({
      write(chunk: Buffer, _enc, done) {
        text += chunk.toString();
        done();
      },
    });
    const h = consoleHelpers(spy, out) as Record<string, (...args: unknown[]) => unknown>;
    h.ls!();
    assert.match(text, new RegExp(`^${pa.name} \\(PipelineComponent, paused\\)$`, "m"));
    assert.match(text, new RegExp(`^${pb.name}@2 \\(PipelineComponent, paused\\)$`, "m"));
    assert.match(text, new RegExp(`^  ${kb.name}@2 \\(Keeper, paused\\)$`, "m"));
    h.boxes!(`${kb.name}@2`);
    assert.match(text, /-> inbox: depth 0/);
    h.send!(`${kb.name}@2`, "inbox", 42);
    assert.match(text, new RegExp(`sent to ${kb.name}@2\\.inbox`));
    await until(() => kb.got.length === 4, "the message reached the second system's keeper");
    assert.deepEqual([ka.got, kb.got], [[1, 2, 3], [1, 2, 3, 42]]);

    const vis = await startVisualiser(spy);
    onCleanup(() => vis.close());
    const idB = spy.describe(kb).id;
    const one = await getJSON(`${vis.url}component/${idB}`);
    assert.equal(one.status, 200);
    assert.equal(one.body.name, `${kb.name}@2`);
    const other = await getJSON(`${vis.url}component/${ka.id}`);
    assert.equal(other.body.name, ka.name);

    h.stop!(`${pb.name}@2`);
    assert.match(text, new RegExp(`stopping ${pb.name}@2`));
    await until(() => pb.isFinished(), "the second pipeline stopped");
    assert.ok(pa.isActive(), "the first one was not the one stopped");
    assert.equal((await getJSON(`${vis.url}component/${idB}`)).status, 404);
  });

  it("in chromium: the page draws both systems' components apart, and a click shows the second system's", { timeout: 120_000 }, async () => {
    const { spy, ka, kb } = twoSystems();
    await until(() => ka.got.length === 3 && kb.got.length === 3, "both pipelines ran");
    const vis = await startVisualiser(spy);
    onCleanup(() => vis.close());
    const profile = mkdtempSync(join(tmpdir(), "kamaelia-chromium-"));
    onCleanup(() => rmSync(profile, { recursive: true, force: true }));
    const browser = await chromium.launchPersistentContext(profile, {
      executablePath: "/usr/bin/chromium",
      headless: true,
      args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    });
    onCleanup(() => browser.close());
    const page = await browser.newPage();
    await page.goto(vis.url);
    const live = spy.snapshot().components.length;
    await page.waitForFunction(`document.body.getAttribute("data-drawn") === "${live}"`, undefined, { timeout: 30_000 });
    const names = await page.locator("[data-name]").evaluateAll((els) => els.map((e) => e.getAttribute("data-name")));
    assert.ok(names.includes(ka.name) && names.includes(`${kb.name}@2`), `both keepers drawn (${names.join(", ")})`);
    assert.equal(new Set(names).size, names.length, "no component drawn twice");
    await page.locator(`[data-name="${kb.name}@2"]`).click();
    await page.waitForFunction(`document.getElementById("side").textContent.includes("${kb.name}@2")`, undefined, { timeout: 10_000 });
  });
});
