/**
 * Store: Axon's Software Transactional Memory, a small optimistic,
 * versioned store of named values for the rare state that several
 * components must share.
 *
 * ```ts
 * const store = new Store({ balance: 100 });
 * const v = store.checkout("balance");   // a private copy, at a version
 * v.value -= 30;
 * v.commit();                            // ConcurrentUpdate if someone committed "balance" meanwhile
 * ```
 *
 * How it behaves (Axon's semantics, kept):
 * - `checkout(key)` (Axon's `usevar`) returns a {@link Value}: a deep copy
 *   of the value and its version. An unknown key is created with version 0
 *   and the value `undefined`.
 * - `checkout([k1, k2])` (Axon's `using`) returns a {@link Collection},
 *   committed all or nothing.
 * - A commit succeeds only if no key in it was committed since its copy was
 *   taken; then each key's version goes up by one and the holder's copy
 *   follows, so it may commit again. Otherwise {@link ConcurrentUpdate} is
 *   thrown and nothing changes.
 * - Values are deep-copied on checkout and on commit: changes are private
 *   until committed, and committed data cannot be changed behind the
 *   store's back. Values must be structured-cloneable data.
 * - While someone holds the store's {@link StoreLock}, every other checkout
 *   and commit throws {@link BusyRetry} at once, never blocking.
 *
 * On one event loop a checkout and its commit are only ever interleaved by
 * other components when the code between them yields or awaits, which is
 * exactly when optimism is needed; the retrying helpers
 * {@link Store.transactAsync} and {@link Store.waitTransact} redo a
 * transaction until it commits.
 *
 * @module
 */
import type { Wait } from "../core/index.js";
import { Collection } from "./collection.js";
import { copyValue } from "./copy.js";
import { BusyRetry, ConcurrentUpdate, NotCheckedOutError, StmArgumentError } from "./errors.js";
import { transactAsync, waitTransact, type TransactionOptions } from "./transaction.js";
import { Value, type Committer } from "./value.js";

interface Cell {
  version: number;
  value: unknown;
}

/** Options of a {@link Store}. */
export interface StoreOptions {
  /** Shown in error messages (default `Store_<n>`). */
  name?: string;
}

let stores = 0;

/** A store of named, versioned values; see the module comment. `S` maps each key to its value's type. */
export class Store<S extends object = Record<string, unknown>> implements Committer {
  /** The store's name, shown in errors. */
  readonly storeName: string;
  readonly #cells = new Map<string, Cell>();
  /** Every Value this store (or a lock on it) handed out: only these may be committed here. */
  readonly #issued = new WeakMap<Value<unknown>, Committer>();
  #lock: StoreLock<S> | null = null;

  /** @param initial the starting values (version 0); each is copied. */
  constructor(initial?: S, options?: StoreOptions) {
    if (options !== undefined && (typeof options !== "object" || options === null)) throw new StmArgumentError(`Store: options must be an object, got ${typeof options}`);
    const name = options?.name;
    if (name !== undefined && (typeof name !== "string" || name === "")) throw new StmArgumentError(`Store: options.name must be a non-empty string, got ${String(name)}`);
    this.storeName = name ?? `Store_${++stores}`;
    if (initial !== undefined) {
      if (typeof initial !== "object" || initial === null || Array.isArray(initial)) {
        throw new StmArgumentError(`${this.storeName}: the initial values must be an object of key → value, got ${Array.isArray(initial) ? "an array" : String(initial)}`);
      }
      for (const [k, v] of Object.entries(initial)) this.#cells.set(k, { version: 0, value: copyValue(this.storeName, k, v) });
    }
  }

  /** Check out a copy of `key` (Axon's `usevar`). @throws BusyRetry if the store is locked by someone else. */
  checkout<K extends keyof S & string>(key: K): Value<S[K]>;
  /** Check out several keys together (Axon's `using`), to commit all or nothing. @throws BusyRetry if locked. */
  checkout<K extends keyof S & string>(keys: readonly K[]): Collection<Pick<S, K>>;
  checkout(keys: string | readonly string[]): unknown {
    return this.checkoutFor(this, keys);
  }

  /** Axon's name for {@link checkout} of one key. */
  usevar<K extends keyof S & string>(key: K): Value<S[K]> {
    return this.checkout(key);
  }

  /** Axon's name for {@link checkout} of several keys. */
  using<K extends keyof S & string>(...keys: K[]): Collection<Pick<S, K>> {
    return this.checkout(keys);
  }

  /** @internal Check out for `via` (the store itself, or a lock holder). */
  checkoutFor(via: Committer, keys: string | readonly string[]): Value<unknown> | Collection<S> {
    this.#enter(via, `checkout of ${describeKeys(keys)}`);
    if (typeof keys === "string" || !Array.isArray(keys)) return this.#take(via, checkKey(this.storeName, keys));
    if (keys.length === 0) throw new StmArgumentError(`${this.storeName}: checkout needs at least one key, got an empty list`);
    const seen = new Set<string>();
    for (const k of keys) {
      checkKey(this.storeName, k);
      if (seen.has(k)) throw new StmArgumentError(`${this.storeName}: key "${k}" is listed twice in one checkout`);
      seen.add(k);
    }
    return new Collection<S>(via, keys.map((k: string) => this.#take(via, k)));
  }

  #take(via: Committer, key: string): Value<unknown> {
    let cell = this.#cells.get(key);
    if (cell === undefined) this.#cells.set(key, (cell = { version: 0, value: undefined }));
    const v = new Value<unknown>(via, key, cell.version, copyValue(this.storeName, key, cell.value));
    this.#issued.set(v, via);
    return v;
  }

  /** @internal Commit values checked out from this store, all or nothing (see {@link Value.commit}). */
  commitValues(values: readonly Value<unknown>[], what: string): void {
    this.commitFor(this, values, what);
  }

  /** @internal Commit for `via` (the store itself, or a lock holder). */
  commitFor(via: Committer, values: readonly Value<unknown>[], what: string): void {
    for (const v of values) {
      const from = this.#issued.get(v);
      if (from === undefined) throw new NotCheckedOutError(`${this.storeName}: cannot commit ${what}: "${v.key}" was not checked out from this store`);
      if (from !== via) throw new NotCheckedOutError(`${this.storeName}: cannot commit ${what}: "${v.key}" was checked out ${from === this ? "from the store" : "under a lock"} and must be committed the same way`);
    }
    this.#enter(via, `commit of ${what}`);
    const conflicts: { key: string; mine: number; theirs: number }[] = [];
    for (const v of values) {
      const theirs = this.#cells.get(v.key)!.version;
      if (theirs !== v.version) conflicts.push({ key: v.key, mine: v.version, theirs });
    }
    if (conflicts.length > 0) throw new ConcurrentUpdate(this.storeName, conflicts);
    // Copy everything before changing anything, so a value that cannot be copied changes nothing.
    const copies = values.map((v) => copyValue(this.storeName, v.key, v.value));
    values.forEach((v, i) => {
      const cell = this.#cells.get(v.key)!;
      cell.version++;
      cell.value = copies[i];
      v.committed(cell.version);
    });
  }

  /** A copy of every value now in the store (readable even while it is locked). */
  snapshot(): Partial<S> {
    const out: Record<string, unknown> = {};
    for (const [k, c] of this.#cells) out[k] = copyValue(this.storeName, k, c.value);
    return out as Partial<S>;
  }

  /** The committed version of `key` (0 if never committed or unknown). */
  version(key: keyof S & string): number {
    return this.#cells.get(key)?.version ?? 0;
  }

  /** The keys in the store. */
  keys(): (keyof S & string)[] {
    return [...this.#cells.keys()] as (keyof S & string)[];
  }

  /**
   * Take the store for yourself (`holder` names you in others' {@link BusyRetry}):
   * until `release()`, only checkouts and commits made through the returned
   * lock succeed. For a pessimistic section that must span awaits.
   * @throws BusyRetry if someone else holds it already.
   */
  lock(holder: string): StoreLock<S> {
    if (typeof holder !== "string" || holder === "") throw new StmArgumentError(`${this.storeName}: lock needs the holder's name (a non-empty string), got ${String(holder)}`);
    if (this.#lock !== null) throw new BusyRetry(this.storeName, `lock for ${holder}`, this.#lock.holder);
    const lock = new StoreLock<S>(this, holder, () => (this.#lock = null));
    this.#lock = lock;
    return lock;
  }

  /** Who holds the lock, or `null`. */
  get lockedBy(): string | null {
    return this.#lock?.holder ?? null;
  }

  /**
   * Run a transaction from async code, retrying until it commits: check out
   * `keys`, call `fn` with the collection (it changes the values; it may be
   * async), commit; on {@link ConcurrentUpdate} or {@link BusyRetry} back off
   * and redo it all. Resolves with what `fn` returned. If `fn` throws,
   * nothing is committed and the error is passed on.
   * @throws TransactionFailed after `maxAttempts` conflicts.
   */
  transactAsync<K extends keyof S & string, R>(keys: readonly K[], fn: (values: Collection<Pick<S, K>>) => R | Promise<R>, options?: TransactionOptions): Promise<R> {
    return transactAsync(this, keys, fn, options);
  }

  /**
   * The same, as a wait for generator components (`const r = yield* store.waitTransact(...)`)
   * and processMessages handlers (return it). `fn` may itself be a generator, to
   * wait between checkout and commit; between attempts the component gives way.
   */
  waitTransact<K extends keyof S & string, R>(keys: readonly K[], fn: (values: Collection<Pick<S, K>>) => R | Wait<R>, options?: TransactionOptions): Wait<R> {
    return waitTransact(this, keys, fn, options);
  }

  #enter(via: Committer, what: string): void {
    const lock = this.#lock;
    if (lock !== null && lock !== via) throw new BusyRetry(this.storeName, what, lock.holder);
  }

  /** `Store_3`. */
  toString(): string {
    return this.storeName;
  }
}

/**
 * Exclusive use of a {@link Store}, from {@link Store.lock}: check out and
 * commit through it; everyone else gets {@link BusyRetry} until `release()`.
 */
export class StoreLock<S extends object> implements Committer {
  #released = false;

  /**
   * @internal Made by `Store.lock`.
   * @param store The store locked.
   */
  constructor(
    /** The store locked. */
    readonly store: Store<S>,
    /** Who holds it. */
    readonly holder: string,
    private readonly onRelease: () => void,
  ) {}

  /** The store's name, for messages. */
  get storeName(): string {
    return this.store.storeName;
  }

  /** Check out under the lock; see {@link Store.checkout}. */
  checkout<K extends keyof S & string>(key: K): Value<S[K]>;
  checkout<K extends keyof S & string>(keys: readonly K[]): Collection<Pick<S, K>>;
  checkout(keys: string | readonly string[]): unknown {
    this.#live();
    return this.store.checkoutFor(this, keys);
  }

  /** @internal Commit values checked out under this lock. */
  commitValues(values: readonly Value<unknown>[], what: string): void {
    this.#live();
    this.store.commitFor(this, values, what);
  }

  /** Give the store back. Releasing twice is harmless. */
  release(): void {
    if (this.#released) return;
    this.#released = true;
    this.onRelease();
  }

  #live(): void {
    if (this.#released) throw new StmArgumentError(`${this.store.storeName}: the lock held by ${this.holder} was released; take a new one with store.lock()`);
  }
}

function checkKey(store: string, key: unknown): string {
  if (typeof key !== "string" || key === "") throw new StmArgumentError(`${store}: a key must be a non-empty string, got ${key === "" ? "an empty string" : typeof key}`);
  return key;
}

function describeKeys(keys: string | readonly string[]): string {
  return typeof keys === "string" || !Array.isArray(keys) ? `"${String(keys)}"` : keys.map((k) => `"${String(k)}"`).join(", ");
}
