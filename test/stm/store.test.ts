import { test } from "node:test";
import assert from "node:assert/strict";
import { Component, System, producerFinished, type Wait } from "../../src/index.js";
import { BusyRetry, Collection, ConcurrentUpdate, NotCheckedOutError, StmArgumentError, Store, TransactionFailed, Value } from "../../src/stm/index.js";

test("checkout gives a private deep copy; commit publishes it and bumps the version", () => {
  const store = new Store({ cart: { items: ["tea"] } }, { name: "shop" });
  const a = store.checkout("cart");
  a.value.items.push("milk");
  assert.deepEqual(store.snapshot().cart, { items: ["tea"] }, "uncommitted changes are invisible");
  assert.equal(a.version, 0);
  a.commit();
  assert.equal(a.version, 1);
  assert.equal(store.version("cart"), 1);
  assert.deepEqual(store.snapshot().cart, { items: ["tea", "milk"] });
  a.value.items.push("sugar");
  assert.deepEqual(store.snapshot().cart, { items: ["tea", "milk"] }, "a committed value cannot be changed behind the store's back");
  a.commit();
  assert.equal(store.version("cart"), 2, "the same holder can commit again");
});

test("an unknown key is created at version 0 with the value undefined (Axon's usevar)", () => {
  const store = new Store();
  const v = store.usevar("fresh");
  assert.equal(v.value, undefined);
  assert.equal(v.version, 0);
  assert.deepEqual(store.keys(), ["fresh"]);
  v.set(5);
  v.commit();
  assert.equal(store.snapshot()["fresh"], 5);
});

test("a commit based on a stale copy throws ConcurrentUpdate naming the key, and changes nothing", () => {
  const store = new Store({ n: 1 }, { name: "counter-store" });
  const a = store.checkout("n");
  const b = store.checkout("n");
  a.value = 10;
  a.commit();
  b.value = 20;
  assert.throws(() => b.commit(), (e: unknown) => {
    assert.ok(e instanceof ConcurrentUpdate);
    assert.deepEqual(e.keys, ["n"]);
    assert.match(e.message, /counter-store: "n" \(checked out at version 0, now 1\) changed since it was checked out; nothing was committed/);
    return true;
  });
  assert.equal(store.snapshot().n, 10);
  assert.equal(store.version("n"), 1);
});

test("a collection commits all or nothing (Axon's using)", () => {
  const store = new Store({ left: null as string | null, right: null as string | null });
  const plato = store.using("left", "right");
  const kant = store.checkout(["right"]);
  kant.get("right").value = "Kant";
  kant.commit();
  plato.get("left").value = "Plato";
  plato.get("right").value = "Plato";
  assert.throws(() => plato.commit(), (e: unknown) => e instanceof ConcurrentUpdate && e.keys.length === 1 && e.keys[0] === "right");
  assert.deepEqual(store.snapshot(), { left: null, right: "Kant" }, "left was not taken either");
  assert.equal(store.version("left"), 0);
  assert.deepEqual(plato.keys(), ["left", "right"]);
});

test("a locked store throws BusyRetry at once to everyone but the lock holder", () => {
  const store = new Store({ x: 1 }, { name: "s" });
  const early = store.checkout("x");
  const lock = store.lock("saver");
  assert.equal(store.lockedBy, "saver");
  assert.throws(() => store.checkout("x"), (e: unknown) => e instanceof BusyRetry && e.holder === "saver" && /s is busy \(locked by saver\): checkout of "x" did nothing; retry later/.test(e.message));
  early.value = 2;
  assert.throws(() => early.commit(), BusyRetry);
  assert.throws(() => store.lock("other"), /locked by saver/);
  const mine = lock.checkout("x");
  mine.value = 3;
  mine.commit();
  lock.release();
  lock.release();
  assert.equal(store.lockedBy, null);
  assert.throws(() => early.commit(), ConcurrentUpdate, "after the lock, the early copy is stale");
  assert.throws(() => lock.checkout("x"), /the lock held by saver was released/);
  assert.throws(() => mine.commit(), /the lock held by saver was released/);
  assert.equal(store.snapshot().x, 3);
});

test("bad input: never checked out, key not in the collection, bad keys, uncopyable values", () => {
  const store = new Store({ a: 1, b: 2 } as Record<string, unknown>, { name: "st" });
  assert.throws(() => new Value(null, "ghost", 0, 1).commit(), (e: unknown) => e instanceof NotCheckedOutError && /cannot commit "ghost": it was never checked out/.test(e.message));
  const c = store.checkout(["a"]);
  assert.throws(() => c.get("b" as "a"), (e: unknown) => e instanceof NotCheckedOutError && /st: "b" was not checked out in this collection \(it holds: "a"\)/.test(e.message));
  assert.throws(() => store.checkout(""), (e: unknown) => e instanceof StmArgumentError && /st: a key must be a non-empty string/.test(e.message));
  assert.throws(() => store.checkout([]), /checkout needs at least one key/);
  assert.throws(() => store.checkout(["a", "a"]), /key "a" is listed twice/);
  assert.throws(() => store.checkout(42 as unknown as string), /a key must be a non-empty string, got number/);
  // A value that cannot be copied: the whole collection commit changes nothing.
  const both = store.checkout(["a", "b"]);
  both.get("a").value = 100;
  both.get("b").value = () => "not data";
  assert.throws(() => both.commit(), (e: unknown) => e instanceof StmArgumentError && /st: the value of "b" cannot be copied \(it is a function\)/.test(e.message));
  assert.deepEqual(store.snapshot(), { a: 1, b: 2 });
  assert.throws(() => new Store({ f: new WeakMap() }), /the value of "f" cannot be copied/);
  assert.throws(() => new Store([1] as unknown as object), /initial values must be an object/);
  assert.throws(() => store.lock(""), /lock needs the holder's name/);
  assert.throws(() => new Store({}, { name: "" }), /options.name must be a non-empty string/);
});

test("transactAsync retries on ConcurrentUpdate until it commits; a throwing transaction commits nothing", async () => {
  const store = new Store({ n: 0 });
  let attempts = 0;
  const r = await store.transactAsync(["n"], async (c) => {
    attempts++;
    const v = c.get("n");
    if (attempts === 1) {
      // Someone else commits while this attempt awaits.
      const other = store.checkout("n");
      other.value = 100;
      other.commit();
    }
    await new Promise((res) => setImmediate(res));
    v.value += 1;
    return v.value;
  });
  assert.equal(attempts, 2);
  assert.equal(r, 101);
  assert.equal(store.snapshot().n, 101);
  await assert.rejects(
    store.transactAsync(["n"], (c) => {
      c.get("n").value = -1;
      throw new Error("changed my mind");
    }),
    /changed my mind/,
  );
  assert.equal(store.snapshot().n, 101);
});

test("a retrying transaction gives up with TransactionFailed after maxAttempts, naming the keys", async () => {
  const store = new Store({ hot: 0 }, { name: "busy-store" });
  const lock = store.lock("maintenance");
  try {
    await assert.rejects(store.transactAsync(["hot"], (c) => c.get("hot").value++, { maxAttempts: 3, backoff: () => 1 }), (e: unknown) => {
      assert.ok(e instanceof TransactionFailed);
      assert.equal(e.attempts, 3);
      assert.ok(e.cause instanceof BusyRetry);
      assert.match(e.message, /busy-store: a transaction on "hot" gave up after 3 attempt\(s\): busy-store is busy \(locked by maintenance\)/);
      return true;
    });
  } finally {
    lock.release();
  }
  await assert.rejects(store.transactAsync(["hot"], () => 1, { maxAttempts: 0 }), /maxAttempts must be a whole number ≥ 1/);
  await assert.rejects(store.transactAsync(["hot"], "nope" as unknown as () => void), /a transaction needs a function/);
});

/** Adds 1 to "n" `times` times, yielding between checkout and commit so that others interleave. */
class GeneratorAdder extends Component<never, never> {
  store!: Store<{ n: number }>;
  times = 10;
  *main(): Wait {
    for (let i = 0; i < this.times; i++) {
      yield* this.store.waitTransact(["n"], function* (c): Wait {
        yield;
        c.get("n").value++;
      });
    }
  }
}

class AsyncAdder extends Component<never, never> {
  store!: Store<{ n: number }>;
  times = 10;
  async main(): Promise<void> {
    for (let i = 0; i < this.times; i++) {
      await this.store.transactAsync(["n"], async (c) => {
        await this.yieldAsync();
        c.get("n").value++;
      });
    }
  }
}

/** A processMessages component: each message is an amount added in a retrying transaction. */
class DrainAdder extends Component<number, never> {
  store!: Store<{ n: number }>;
  main(): Wait<unknown> {
    return this.processMessages((amount) =>
      this.store.waitTransact(["n"], function* (c): Wait {
        yield;
        c.get("n").value += amount;
      }),
    );
  }
}

test("generator, async and processMessages components share a store without losing an update", async () => {
  const system = new System();
  const store = new Store({ n: 0 });
  const drain = DrainAdder.create({ store });
  const comps = [GeneratorAdder.create({ store }), GeneratorAdder.create({ store }), AsyncAdder.create({ store }), AsyncAdder.create({ store }), drain];
  for (const c of comps) c.activate(system);
  for (let i = 0; i < 10; i++) drain.inbox.deliver(1, "test");
  drain.control.deliver(producerFinished(), "test");
  await system.run();
  assert.equal(store.snapshot().n, 50);
  assert.equal(store.version("n"), 50, "one version per committed transaction");
});

test("Collection is what checkout of several keys returns", () => {
  assert.ok(new Store({ a: 1 }).checkout(["a"]) instanceof Collection);
});
