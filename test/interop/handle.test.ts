import { test } from "node:test";
import assert from "node:assert/strict";
import { appendFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  Component,
  ComponentFailure,
  Follow,
  Grep,
  Handle,
  KamaeliaError,
  Pipeline,
  ProducerFinished,
  System,
  iterate,
  type Wait,
} from "../../src/index.js";
import { tempDir } from "../file/helpers.js";

class Upper extends Component<string, string> {
  static override inboxes = { inbox: "strings", control: "shutdown" };
  static override outboxes = { outbox: "upper-cased strings", signal: "shutdown, passed on" };
  cleanedUp = false;
  *main(): Wait {
    try {
      yield* this.processMessages((s) => this.waitSend(s.toUpperCase()));
    } finally {
      this.cleanedUp = true;
    }
  }
}

class Counter extends Component<never, number> {
  static override outboxes = { outbox: "0, 1, 2, … up to count-1", signal: "producerFinished at the end" };
  count = 5;
  *main(): Wait {
    for (let i = 0; i < this.count; i++) yield* this.waitSend(i);
    this.passOnShutdown();
  }
}

class Exploder extends Component<string, string> {
  async main(): Promise<void> {
    await this.sendAsync("before");
    throw new Error("boom");
  }
}

test("put and get from plain async code on a given system; dispose stops the component and its host", async () => {
  const sys = new System();
  const up = new Upper();
  const h = new Handle(up, { system: sys });
  await h.put("hello");
  await h.put("world");
  assert.equal(await h.get(), "HELLO");
  assert.equal(await h.get(), "WORLD");
  assert.equal(sys.size, 2, "the component and its Handle's host run until disposed");
  await h.dispose();
  assert.ok(up.isFinished());
  assert.ok(up.cleanedUp, "stop ran its finally");
  assert.equal(sys.size, 0);
  await assert.rejects(h.put("late"), (e: unknown) => e instanceof KamaeliaError && e.code === "HANDLE_CLOSED" && e.message === `Handle(${up.name}): cannot put to "inbox": the Handle is disposed`);
});

test("works on the default system, and a get that waits is woken by a later put", async () => {
  const h = new Handle(new Upper());
  const got = h.get();
  await new Promise((r) => setImmediate(r));
  await h.put("later");
  assert.equal(await got, "LATER");
  await h.dispose();
  assert.equal(System.default.size, 0);
});

test("for await iterates the outbox until the component finishes; output outlives the component until disposed", async () => {
  const h = new Handle(Counter.create({ count: 100 }), { system: new System() });
  const got: number[] = [];
  for await (const n of h) got.push(n);
  assert.deepEqual(got, Array.from({ length: 100 }, (_, i) => i));
  assert.ok(h.finished);
  assert.ok((await h.get("signal")) instanceof ProducerFinished);
  await assert.rejects(h.get(), (e: unknown) => e instanceof KamaeliaError && e.code === "HANDLE_ENDED");
  await h.dispose();
});

test("a limit on what is kept for get() pauses a producer that waits for room; nothing is lost", async () => {
  const c = Counter.create({ count: 1000 });
  const h = new Handle(c, { system: new System(), limit: 3 });
  await new Promise((r) => setTimeout(r, 20));
  assert.ok(h.dataReady() <= 3);
  assert.ok(!c.isFinished(), "the producer waits while nobody reads");
  const got: number[] = [];
  for await (const n of h) {
    assert.ok(h.dataReady() <= 3);
    got.push(n);
  }
  assert.equal(got.length, 1000);
  assert.equal(got[999], 999);
  await h.dispose();
});

test("dispose('finish') sends producerFinished and waits for the component to finish its work", async () => {
  const up = new Upper();
  const h = new Handle(up, { system: new System() });
  await h.put("a");
  await h.put("b");
  await h.dispose("finish");
  assert.ok(up.isFinished());
  // The work it finished was done: the shutdown travelled after the data.
  assert.equal(up.shutdownMessage instanceof ProducerFinished, true);
});

test("a failing component: get() yields what it sent first, then rejects with the ComponentFailure; the system survives", async () => {
  const sys = new System();
  const ex = new Exploder();
  const h = new Handle(ex, { system: sys });
  assert.equal(await h.get(), "before");
  await assert.rejects(h.get(), (e: unknown) => e instanceof ComponentFailure && e.component === ex.name && /boom/.test(e.message));
  await h.dispose();
  assert.equal(sys.size, 0);
});

test("get takes an AbortSignal", async () => {
  const h = new Handle(new Upper(), { system: new System() });
  const ac = new AbortController();
  const p = h.get("outbox", { signal: ac.signal });
  ac.abort(new Error("gave up"));
  await assert.rejects(p, /gave up/);
  await h.dispose();
});

test("iterate(): the seeds' Follow | Grep from a for-await loop; breaking out stops the pipeline and closes the file", async () => {
  const dir = await tempDir();
  const f = join(dir, "system.log");
  writeFileSync(f, "");
  const follower = new Follow(f, { pollInterval: 50 });
  const p = Pipeline(follower, new Grep(/pants/));
  const lines: string[] = [];
  void follower.started().then(() => appendFileSync(f, "shirt\nsmarty pants\nsocks\npants on fire\nmore pants\n"));
  for await (const line of iterate(p, { system: new System() })) {
    lines.push(line);
    if (lines.length === 2) break;
  }
  assert.deepEqual(lines, ["smarty pants", "pants on fire"]);
  assert.ok(follower.isFinished() && p.isFinished());
});
