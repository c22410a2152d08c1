/**
 * Real parallelism: components (or whole Pipelines and Graphlines) on
 * worker threads and in child processes, seen locally as proxies with the
 * same boxes, and a WorkerPool that spreads a CPU-bound stage over threads.
 *
 * @module
 */
export * from "./errors.js";
export { RemoteComponent, WorkerComponent, ProcessComponent, type RemoteOptions, type ProcessOptions } from "./remote-component.js";
export type { RemoteKind, Serialization } from "./channel.js";
export { WorkerPool, WorkerPoolComponent, type WorkerPoolOptions } from "./worker-pool.js";
