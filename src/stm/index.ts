/**
 * Software Transactional Memory (Axon's STM): a versioned store of named
 * values that components share optimistically — check out a copy, change it,
 * commit; a commit based on a stale copy fails with ConcurrentUpdate and
 * changes nothing. Imported as `kamaelia/stm`.
 *
 * @module
 */
export { Store, StoreLock, type StoreOptions } from "./store.js";
export { Value, type Committer } from "./value.js";
export { Collection } from "./collection.js";
export { defaultBackoff, type TransactionOptions } from "./transaction.js";
export { BusyRetry, ConcurrentUpdate, NotCheckedOutError, StmArgumentError, TransactionFailed } from "./errors.js";
