/**
 * Value: one checked-out copy of a named value in a {@link Store}.
 *
 * @module
 */
import { NotCheckedOutError } from "./errors.js";

/** What a Value or Collection commits through: its store, or a lock held on it. */
export interface Committer {
  /** The store's name, for messages. */
  readonly storeName: string;
  /** Commit these checked-out values, all or nothing. */
  commitValues(values: readonly Value<unknown>[], what: string): void;
}

/**
 * A local copy of the store's value under `key`, at the `version` it had
 * when checked out (Axon's `Value`). Change `value` (or call `set`) freely:
 * nobody else sees it until `commit()`, which succeeds only if nobody
 * committed `key` since this copy was taken; otherwise it throws
 * {@link ConcurrentUpdate} and changes nothing. After a successful commit
 * the copy's version moves on, so the same holder can change and commit again.
 */
export class Value<T> {
  /** The version this copy is based on (the store's version after this holder's last commit). */
  get version(): number {
    return this.#version;
  }
  #version: number;

  /**
   * Made by `Store.checkout` / `usevar`; a Value made any other way cannot be committed.
   * @internal
   */
  constructor(
    /** @internal Where commits go; `null` for a value never checked out. */
    readonly committer: Committer | null,
    /** The name of the value in the store. */
    readonly key: string,
    version: number,
    /** The local copy: change it, then commit. */
    public value: T,
  ) {
    this.#version = version;
  }

  /** Change the local copy (Axon's `Value.set`); nothing is shared until {@link commit}. */
  set(value: T): void {
    this.value = value;
  }

  /**
   * Publish the local copy to the store.
   * @throws ConcurrentUpdate if `key` was committed since this copy was taken (nothing changes).
   * @throws BusyRetry if the store is locked by someone else.
   * @throws NotCheckedOutError if this Value was not checked out from a store.
   */
  commit(): void {
    commitThrough(this.committer, [this as Value<unknown>], `"${this.key}"`);
  }

  /** @internal The store accepted a commit of this copy. */
  committed(version: number): void {
    this.#version = version;
  }
}

/** @internal Commit through `committer`, or explain that the values were never checked out. */
export function commitThrough(committer: Committer | null, values: readonly Value<unknown>[], what: string): void {
  if (committer === null) {
    throw new NotCheckedOutError(`cannot commit ${what}: it was never checked out from a store (use store.checkout(key) or store.usevar(key))`);
  }
  committer.commitValues(values, what);
}
