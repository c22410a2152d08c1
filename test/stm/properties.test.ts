/**
 * Property test: many generator, async and processMessages components run
 * transactions on shared values with random interleavings (random yields
 * between checkout and commit, plain and retrying transactions, a component
 * that locks the store now and then). Whatever the interleaving, the final
 * state equals the sum of the committed transactions, every committed
 * transaction appears exactly once in every value it touched, and each key's
 * version equals the number of commits to it: no commit lost or applied twice.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { Component, System, producerFinished, type Wait } from "../../src/index.js";
import { BusyRetry, ConcurrentUpdate, Store, type Collection } from "../../src/stm/index.js";

const KEYS = ["a", "b", "c"] as const;
type Key = (typeof KEYS)[number];
interface Cell {
  total: number;
  ids: string[];
}
type Shared = Record<Key, Cell>;

interface Txn {
  keys: Key[];
  delta: number;
  /** How many times to give way between checkout and commit. */
  pause: number;
  /** Use the retrying helper (must commit) or a plain checkout/commit (may fail). */
  retrying: boolean;
}
interface Plan {
  kind: "generator" | "async" | "drain";
  txns: Txn[];
}

const txnArb: fc.Arbitrary<Txn> = fc.record({
  keys: fc.subarray([...KEYS], { minLength: 1 }),
  delta: fc.integer({ min: -50, max: 50 }),
  pause: fc.nat({ max: 3 }),
  retrying: fc.boolean(),
});
const planArb: fc.Arbitrary<Plan> = fc.record({
  kind: fc.constantFrom("generator" as const, "async" as const, "drain" as const),
  txns: fc.array(txnArb, { minLength: 1, maxLength: 6 }),
});

/** What happened, in the order it happened. */
class Ledger {
  static conflicts = 0;
  committed = new Map<string, Txn>();
  failed = new Set<string>();
}

function apply(c: Collection<Pick<Shared, Key>>, id: string, t: Txn): void {
  for (const k of t.keys) {
    const v = c.get(k);
    v.value = { total: v.value.total + t.delta, ids: [...v.value.ids, id] };
  }
}

function isConflict(e: unknown): boolean {
  return e instanceof ConcurrentUpdate || e instanceof BusyRetry;
}

const noBackoff = { maxAttempts: Infinity, backoff: () => 0 };

/** One transaction as a wait, for generator and processMessages components. */
function* runWait(store: Store<Shared>, ledger: Ledger, id: string, t: Txn): Wait {
  if (t.retrying) {
    yield* store.waitTransact(t.keys, function* (c): Wait {
      for (let i = 0; i < t.pause; i++) yield;
      apply(c, id, t);
    }, noBackoff);
    ledger.committed.set(id, t);
    return;
  }
  try {
    const c = store.checkout(t.keys);
    for (let i = 0; i < t.pause; i++) yield;
    apply(c, id, t);
    c.commit();
    ledger.committed.set(id, t);
  } catch (e) {
    if (!isConflict(e)) throw e;
    ledger.failed.add(id);
    Ledger.conflicts++;
  }
}

class GeneratorWorker extends Component<never, never> {
  store!: Store<Shared>;
  ledger!: Ledger;
  plan!: Plan;
  *main(): Wait {
    for (const [i, t] of this.plan.txns.entries()) yield* runWait(this.store, this.ledger, `${this.name}#${i}`, t);
  }
}

class DrainWorker extends Component<number, never> {
  store!: Store<Shared>;
  ledger!: Ledger;
  plan!: Plan;
  main(): Wait<unknown> {
    return this.processMessages((i) => runWait(this.store, this.ledger, `${this.name}#${i}`, this.plan.txns[i]!));
  }
}

class AsyncWorker extends Component<never, never> {
  store!: Store<Shared>;
  ledger!: Ledger;
  plan!: Plan;
  async main(): Promise<void> {
    await this.sleepAsync(0);
    for (const [i, t] of this.plan.txns.entries()) {
      const id = `${this.name}#${i}`;
      if (t.retrying) {
        await this.store.transactAsync(t.keys, async (c) => {
          for (let j = 0; j < t.pause; j++) await this.yieldAsync();
          apply(c, id, t);
        }, noBackoff);
        this.ledger.committed.set(id, t);
        continue;
      }
      try {
        const c = this.store.checkout(t.keys);
        for (let j = 0; j < t.pause; j++) await this.yieldAsync();
        apply(c, id, t);
        c.commit();
        this.ledger.committed.set(id, t);
      } catch (e) {
        if (!isConflict(e)) throw e;
        this.ledger.failed.add(id);
        Ledger.conflicts++;
      }
    }
  }
}

/** Holds the store's lock for a few steps at a time, so transactions meet BusyRetry. */
class Locker extends Component<never, never> {
  store!: Store<Shared>;
  holds: number[] = [];
  *main(): Wait {
    for (const n of this.holds) {
      const lock = this.store.lock("locker");
      for (let i = 0; i < n; i++) yield;
      lock.release();
      yield;
    }
  }
}

test("STM under random interleavings: final state = sum of committed transactions; none lost or applied twice", async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(planArb, { minLength: 2, maxLength: 8 }), fc.array(fc.nat({ max: 4 }), { maxLength: 4 }), async (plans, holds) => {
      const system = new System();
      const empty: Cell = { total: 0, ids: [] };
      const store = new Store<Shared>({ a: empty, b: empty, c: empty });
      const ledger = new Ledger();
      for (const plan of plans) {
        const settings = { store, ledger, plan };
        if (plan.kind === "generator") GeneratorWorker.create(settings).activate(system);
        else if (plan.kind === "async") AsyncWorker.create(settings).activate(system);
        else {
          const d = DrainWorker.create(settings).activate(system);
          plan.txns.forEach((_, i) => d.inbox.deliver(i, "test"));
          d.control.deliver(producerFinished(), "test");
        }
      }
      Locker.create({ store, holds }).activate(system);
      await system.run();

      const all = plans.reduce((n, p) => n + p.txns.length, 0);
      assert.equal(ledger.committed.size + ledger.failed.size, all, "every transaction either committed or failed");
      const final = store.snapshot();
      for (const k of KEYS) {
        const touching = [...ledger.committed].filter(([, t]) => t.keys.includes(k));
        const cell = final[k]!;
        assert.equal(cell.total, touching.reduce((s, [, t]) => s + t.delta, 0), `${k}: total = sum of committed deltas`);
        assert.deepEqual([...cell.ids].sort(), touching.map(([id]) => id).sort(), `${k}: each committed transaction exactly once`);
        assert.equal(new Set(cell.ids).size, cell.ids.length, `${k}: no transaction applied twice`);
        assert.equal(store.version(k), touching.length, `${k}: one version per commit`);
      }
      for (const id of ledger.failed) assert.ok(!KEYS.some((k) => final[k]!.ids.includes(id)), `failed ${id} left no trace`);
      for (const plan of plans) for (const t of plan.txns) if (t.retrying) assert.ok([...ledger.committed.values()].includes(t), "a retrying transaction always commits");
    }),
    { numRuns: 150 },
  );
  assert.ok(Ledger.conflicts > 0, "the interleavings did produce conflicts (the property is not vacuous)");
});
