/**
 * The errors of Software Transactional Memory, with Axon's names.
 *
 * @module
 */
import { KamaeliaError } from "../core/index.js";

/**
 * A commit based on a stale copy: someone else committed one of its values
 * since it was checked out (Axon's `ConcurrentUpdate`). Nothing was changed;
 * check out again and redo the change.
 */
export class ConcurrentUpdate extends KamaeliaError {
  /** The keys whose store version was newer than the copy's. */
  readonly keys: readonly string[];

  constructor(store: string, conflicts: readonly { key: string; mine: number; theirs: number }[]) {
    const what = conflicts.map((c) => `"${c.key}" (checked out at version ${c.mine}, now ${c.theirs})`).join(", ");
    super("CONCURRENT_UPDATE", `${store}: ${what} changed since it was checked out; nothing was committed (check out again and retry)`);
    this.keys = conflicts.map((c) => c.key);
  }
}

/**
 * The store is locked by someone else (Axon's `BusyRetry`): the checkout or
 * commit did nothing and never blocks; try again later.
 */
export class BusyRetry extends KamaeliaError {
  /** Who holds the lock. */
  readonly holder: string;

  constructor(store: string, what: string, holder: string) {
    super("BUSY_RETRY", `${store} is busy (locked by ${holder}): ${what} did nothing; retry later`);
    this.holder = holder;
  }
}

/** A commit of a value or collection that was not checked out from this store (or a key not in the collection). */
export class NotCheckedOutError extends KamaeliaError {
  constructor(message: string) {
    super("NOT_CHECKED_OUT", message);
  }
}

/** A retrying transaction gave up after its last attempt; `cause` is the last conflict. */
export class TransactionFailed extends KamaeliaError {
  /** How many attempts were made. */
  readonly attempts: number;

  constructor(store: string, keys: readonly string[], attempts: number, cause: unknown) {
    const why = cause instanceof Error ? cause.message : String(cause);
    super("TRANSACTION_FAILED", `${store}: a transaction on ${keys.map((k) => `"${k}"`).join(", ")} gave up after ${attempts} attempt(s): ${why}`, { cause });
    this.attempts = attempts;
  }
}

/** A bad argument to the STM API (an empty key, a value that cannot be copied, a bad option). */
export class StmArgumentError extends KamaeliaError {
  constructor(message: string) {
    super("BAD_ARGUMENT", message);
  }
}
