import { test } from "node:test";
import assert from "node:assert/strict";
import { Component, NoSuchBoxError, ServiceError, System, producerFinished } from "../../src/index.js";
import { Harness } from "../../src/testing/index.js";

class Svc extends Component<string, never> {
  got: string[] = [];
  *main() {
    yield* this.processMessages((m) => void this.got.push(m));
  }
}

test("register, look up, deregister; duplicates and unknown names are clear errors", () => {
  const sys = new System();
  const a = new Svc();
  const b = new Svc();
  const s = sys.services.register("LOG", a);
  assert.equal(sys.services.lookup("LOG"), s);
  assert.equal(s.inbox, a.inbox);
  assert.throws(() => sys.services.register("LOG", b), (e: unknown) => e instanceof ServiceError && e.code === "SERVICE_EXISTS" && e.message.includes(`${a.name} already provides it`));
  assert.throws(() => sys.services.lookup("NOPE"), (e: unknown) => e instanceof ServiceError && /no service named "NOPE" is registered \(registered: LOG\)/.test(e.message));
  assert.throws(() => sys.services.register("X", b, "nobox"), NoSuchBoxError);
  assert.deepEqual(sys.services.names(), ["LOG"]);
  sys.services.deregister("LOG");
  assert.throws(() => sys.services.deregister("LOG"), /not registered/);
});

test("a lookup can wait for a registration, so start-up order does not matter", async () => {
  const sys = new System();
  const waiting = sys.services.waitFor("LATER");
  const a = new Svc();
  sys.services.register("LATER", a);
  assert.equal((await waiting).component, a);
  const ac = new AbortController();
  const never = sys.services.waitFor("NEVER", { signal: ac.signal });
  ac.abort(new Error("no longer needed"));
  await assert.rejects(never, /no longer needed/);
});

test("a generator component waits for a service with yield* waitService, then uses it", () => {
  class Client extends Component {
    *main() {
      const svc = yield* this.waitService("ECHO");
      svc.inbox.deliver("hello from client", this.outbox);
    }
  }
  const h = new Harness();
  const c = h.activate(new Client());
  h.runUntilIdle();
  assert.ok(c.isActive(), "waiting, not failed");
  const s = h.activate(new Svc());
  h.system.services.register("ECHO", s);
  return h.settle().then(() => {
    assert.deepEqual(s.got, ["hello from client"]);
    assert.ok(c.isFinished());
  });
});

test("an async component waits for a service with serviceAsync", async () => {
  const sys = new System();
  class Client extends Component {
    async main() {
      const svc = await this.serviceAsync("ECHO2");
      svc.inbox.deliver("async hello", this.outbox);
    }
  }
  const c = new Client().activate(sys);
  const s = new Svc().activate(sys);
  setTimeout(() => sys.services.register("ECHO2", s), 5);
  await c.finished();
  s.control.deliver(producerFinished(), "test");
  await sys.run();
  assert.deepEqual(s.got, ["async hello"]);
});

test("tracked values: track, update, retrieve, with clear errors", () => {
  const sys = new System();
  sys.services.trackValue("answer", 41);
  sys.services.updateValue("answer", 42);
  assert.equal(sys.services.retrieveValue("answer"), 42);
  assert.throws(() => sys.services.trackValue("answer", 1), /already tracked/);
  assert.throws(() => sys.services.updateValue("nope", 1), /not tracked/);
  assert.throws(() => sys.services.retrieveValue("nope"), /not tracked/);
});
