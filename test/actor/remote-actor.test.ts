import { afterEach, test } from "node:test";
import assert from "node:assert/strict";
import { threadId } from "node:worker_threads";
import { Supervisor, System } from "../../src/index.js";
import { WorkerComponent } from "../../src/parallel/index.js";
import { Actor, ActorArgumentError, ActorStoppedError, RemoteActor, RemoteActorError, actor, notify } from "../../src/actor/index.js";
import { Squarer, type SquarerOutputs } from "./fixtures/worker-actors.js";

const FIXTURES = new URL("./fixtures/worker-actors.ts", import.meta.url);

let system = new System();
afterEach(async () => {
  system.stop();
  await system.run().catch(() => {});
  system = new System();
});

class Watcher extends Actor {
  seen: string[] = [];
  squared(n: number, result: number): void {
    this.seen.push(`${n}²=${result}`);
  }
  log(): string[] {
    return this.seen;
  }
}

function onWorker(exportName = "Squarer") {
  return WorkerComponent<Squarer>({ module: FIXTURES, export: exportName, outboxes: ["replies", "error"] });
}

test("in-process: a RemoteActor speaks the wire protocol to any actor (calls, errors, notify, outputs)", async () => {
  const inner = new Squarer();
  new RemoteActor<SquarerOutputs>(inner).named("sq").activate(system);
  const watcher = new Watcher().named("watcher").activate(system);
  watcher.observe<Squarer>("sq");
  const p = actor<Squarer>("sq", { system });
  assert.equal(await p.square(7), 49);
  assert.equal(await p.slowSquare(3), 9);
  notify(p).square(2);
  assert.equal((await p.where()).calls, 3, "the notify ran");
  await assert.rejects(p.boom("bad input"), (e: unknown) => {
    assert.ok(e instanceof RemoteActorError);
    assert.equal(e.code, "CALL_FAILED");
    assert.equal(e.message, `${inner.name}.boom() threw: RangeError: bad input`);
    return true;
  });
  await assert.rejects((p as unknown as { cube(n: number): Promise<number> }).cube(2), (e: unknown) => e instanceof RemoteActorError && e.code === "NO_SUCH_METHOD");
  assert.deepEqual(await actor<Watcher>("watcher", { system }).log(), ["7²=49", "3²=9", "2²=4"], "the remote actor's outputs reach local observers");
  assert.throws(() => new RemoteActor({} as never), (e: unknown) => e instanceof ActorArgumentError && /a RemoteActor needs the component running the actor/.test(e.message));
});

test("on a worker thread: calls run there, results and errors come back, outputs are observed here", async () => {
  new RemoteActor<SquarerOutputs>(onWorker()).named("squarer").activate(system);
  const watcher = new Watcher().named("watcher").activate(system);
  watcher.observe<Squarer>("squarer");
  const p = actor<Squarer>("squarer", { system, timeout: 60_000 });
  const results = await Promise.all([1, 2, 3, 4].map((n) => p.square(n)));
  assert.deepEqual(results, [1, 4, 9, 16]);
  const where = await p.where();
  assert.notEqual(where.thread, threadId, "it ran on another thread");
  assert.equal(where.calls, 4);
  await assert.rejects(p.boom("on the worker"), (e: unknown) => {
    assert.ok(e instanceof RemoteActorError);
    assert.match(e.message, /^Squarer_\d+\.boom\(\) threw: RangeError: on the worker$/);
    assert.match(e.stack ?? "", /on the remote side: ActorCallError/);
    return true;
  });
  assert.equal(await p.square(5), 25, "it keeps serving");
  assert.deepEqual(await actor<Watcher>("watcher", { system }).log(), ["1²=1", "2²=4", "3²=9", "4²=16", "5²=25"]);
});

test("supervised on a worker: when the remote actor fails, waiting calls are refused and a Supervisor restarts the pair", async () => {
  const sup = Supervisor({ children: [() => new RemoteActor(onWorker("FragileSquarer")).named("fragile")], intensity: { maxRestarts: 3, withinMs: 60_000 } }).activate(system);
  const p = actor<Squarer>("fragile", { system, timeout: 60_000 });
  const first = await p.where();
  const crash = p.boom("crash the thread");
  const queued = p.slowSquare(6);
  await assert.rejects(crash, /boom\(\) threw: RangeError: crash the thread/);
  await assert.rejects(queued, (e: unknown) => e instanceof ActorStoppedError && /fragile\.slowSquare\(\): the remote side failed/.test(e.message));
  const second = await p.where();
  assert.notEqual(second.thread, first.thread, "a new worker thread");
  assert.equal(await p.square(9), 81);
  assert.equal(sup.restarts, 1);
});
