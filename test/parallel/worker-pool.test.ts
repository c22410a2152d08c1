import { test } from "node:test";
import assert from "node:assert/strict";
import { ComponentFailure, Pipeline, ProducerFinished, Supervisor, producerFinished } from "../../src/index.js";
import { ParallelArgumentError, RemoteError, WorkerPool, type WorkerPoolComponent } from "../../src/parallel/index.js";
import type { Blocker, Doubler, Jitter } from "./fixtures.js";
import { alive, FIXTURES, range, Sink, Source, system, until } from "./helpers.js";

async function run(p: ReturnType<typeof Pipeline>): Promise<ComponentFailure | null> {
  const sys = system();
  p.activate(sys);
  try {
    await sys.run();
    return null;
  } catch (e) {
    assert.ok(e instanceof ComponentFailure);
    return e;
  }
}

test("ordered: outputs leave in input order although members finish out of order; the work is spread", async () => {
  const sink = new Sink<[number, string]>();
  const pool = WorkerPool<Jitter>({ module: FIXTURES, export: "Jitter", workers: 3 });
  assert.equal(await run(Pipeline(new Source(range(1500)), pool, sink)), null);
  assert.deepEqual(sink.got.map(([n]) => n), range(1500));
  const members = new Set(sink.got.map(([, who]) => who));
  assert.equal(members.size, 3, `work went to ${members.size} of 3 members`);
  assert.ok(sink.signals[0] instanceof ProducerFinished);
});

test("unordered: every output once, as it arrives", async () => {
  const sink = new Sink<[number, string]>();
  const pool = WorkerPool<Jitter>({ module: FIXTURES, export: "Jitter", workers: 2, ordered: false, window: 4 });
  assert.equal(await run(Pipeline(new Source(range(1000)), pool, sink)), null);
  assert.deepEqual(sink.got.map(([n]) => n).sort((a, b) => a - b), range(1000));
});

test("a busy member holds no input another could start: input waits in the pool until a member can send it across", async () => {
  // One member blocks its thread on "block"; it holds that and the one input its credit (window 1) let
  // across meanwhile, and nothing more: all the other inputs go to the free member. (Queued ahead per
  // member, a third would wait in the busy member's proxy, and the free one would run out of work.)
  const flag = new Int32Array(new SharedArrayBuffer(4));
  const release = () => {
    Atomics.store(flag, 0, 1);
    Atomics.notify(flag, 0);
  };
  try {
    const sink = new Sink<string | number>();
    const pool = WorkerPool<Blocker>({ module: FIXTURES, export: "Blocker", args: [flag], workers: 2, window: 1, ordered: false });
    const sys = system();
    Pipeline(new Source<string | number>(["block", ...range(40)]), pool, sink).activate(sys);
    const ended = sys.run();
    await until(() => sink.got.length >= 39, 60_000, `39 outputs while one member is blocked (got ${sink.got.length})`);
    assert.equal(sink.got.length, 39);
    assert.ok(!sink.got.includes("block"));
    release();
    await ended;
    assert.deepEqual(sink.got.filter((x) => x !== "block").sort((a, b) => (a as number) - (b as number)), range(40));
    assert.equal(sink.got.length, 41);
  } finally {
    release();
  }
});

test("process members: same results; a member failing fails the pool and no process is left", async () => {
  const sink = new Sink<number>();
  const ok = WorkerPool<Doubler>({ module: FIXTURES, export: "Doubler", workers: 2, kind: "process" });
  assert.equal(await run(Pipeline(new Source(range(500)), ok, sink)), null);
  assert.deepEqual(sink.got, range(500).map((n) => n * 2));

  const bad = WorkerPool<Doubler>({ module: FIXTURES, export: "Doubler", workers: 2, kind: "process" }) as WorkerPoolComponent<number, number>;
  const f = await run(Pipeline(new Source([...range(50), -5, ...range(50)]), bad, new Sink<number>()));
  assert.ok(f !== null);
  assert.match(f.message, /WorkerPoolComponent_\d+\/RemoteComponent_\d+ failed: RemoteError: .*Doubler_\d+ \(Doubler from fixtures\.ts in child process \d+\) failed: RangeError: Doubler cannot take -5/);
  assert.ok(f.cause instanceof RemoteError);
  for (const p of bad.proxies()) await until(() => !alive(p.pid), 10_000, `member ${p.label} to be gone (finished: ${p.isFinished()})`);
});

test("a Supervisor restarts a failed pool (what was inside the failed pool is lost with it)", async () => {
  const sink = new Sink<number>();
  const sup = Supervisor({ children: [() => WorkerPool<Doubler>({ module: FIXTURES, export: "Doubler", workers: 2 })] });
  const sys = system();
  const p = Pipeline(sup, sink).activate(sys);
  p.inbox.deliver(1, "test");
  await until(() => sink.got.length === 1, 60_000, "the first answer");
  p.inbox.deliver(-1, "test");
  await until(() => sup.restarts === 1, 60_000, "the restart");
  p.inbox.deliver(3, "test");
  p.inbox.deliver(4, "test");
  await until(() => sink.got.length === 3, 60_000, "the replacement's answers");
  p.control.deliver(producerFinished(), "test");
  await sys.run();
  assert.deepEqual(sink.got, [2, 6, 8]);
});

test("bad pool options: one line naming the pool", () => {
  assert.throws(() => WorkerPool({ module: FIXTURES, export: "Doubler", workers: 0 }), (e: Error) => e instanceof ParallelArgumentError && /^WorkerPoolComponent_\d+: workers must be a whole number ≥ 1, got 0$/.test(e.message));
  assert.throws(() => WorkerPool({ module: FIXTURES, export: "Doubler", kind: "thread" as "worker" }), /kind must be "worker" or "process"/);
  assert.throws(() => WorkerPool({ module: "relative.ts", export: "Doubler" }), /RemoteComponent_\d+: module must be a URL or an absolute path/);
});
