/**
 * Collection: several values checked out together, committed all or nothing.
 *
 * @module
 */
import { NotCheckedOutError } from "./errors.js";
import { commitThrough, type Committer, type Value } from "./value.js";

/**
 * Values checked out together from a {@link Store} (Axon's `Collection`,
 * from `store.using(...)`). `commit()` publishes every value in it, or —
 * if any of them was committed by someone else since the checkout —
 * throws {@link ConcurrentUpdate} and changes none of them.
 *
 * ```ts
 * const forks = store.checkout(["fork.1", "fork.2"]);
 * if (forks.get("fork.1").value === null && forks.get("fork.2").value === null) {
 *   forks.get("fork.1").value = forks.get("fork.2").value = "Plato";
 *   forks.commit();
 * }
 * ```
 */
export class Collection<S extends object> {
  readonly #values: ReadonlyMap<string, Value<unknown>>;
  readonly #committer: Committer;

  /** @internal Made by `Store.checkout([...])` / `using(...)`. */
  constructor(committer: Committer, values: readonly Value<unknown>[]) {
    this.#committer = committer;
    this.#values = new Map(values.map((v) => [v.key, v]));
  }

  /** The checked-out copy of `key`. @throws NotCheckedOutError if `key` is not in this collection. */
  get<K extends keyof S & string>(key: K): Value<S[K]> {
    const v = this.#values.get(key);
    if (v === undefined) {
      throw new NotCheckedOutError(
        `${this.#committer.storeName}: "${String(key)}" was not checked out in this collection (it holds: ${[...this.#values.keys()].map((k) => `"${k}"`).join(", ")})`,
      );
    }
    return v as Value<S[K]>;
  }

  /** The keys in this collection, in checkout order. */
  keys(): (keyof S & string)[] {
    return [...this.#values.keys()] as (keyof S & string)[];
  }

  /**
   * Publish every value, all or nothing.
   * @throws ConcurrentUpdate naming every key committed by someone else since the checkout (nothing changes).
   * @throws BusyRetry if the store is locked by someone else.
   */
  commit(): void {
    commitThrough(this.#committer, [...this.#values.values()], `the collection ${this.keys().map((k) => `"${k}"`).join(", ")}`);
  }
}
