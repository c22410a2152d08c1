/**
 * W8's ceiling: the bare loop on raw worker threads, no framework and no
 * messages per range. The threads take ranges off one shared counter
 * (`Atomics.add` on a SharedArrayBuffer), so none waits for the other and
 * the last range goes to whichever is free: the best 2 threads can do over
 * 1 on this machine, with the same `isPrime` (its source is handed to the
 * threads, so they compile the same function the pool's stage runs).
 *
 * @module
 */
import { Worker } from "node:worker_threads";
import { isPrime } from "../../examples/parallel-primes.js";

const THREAD = `
const { parentPort, workerData } = require("node:worker_threads");
const isPrime = ${isPrime.toString()};
const next = new Int32Array(workerData.counter);
const { limit, chunk } = workerData;
for (let n = 0; n < 1000; n++) isPrime(n); // as warm as a pool member after its warm-up range
parentPort.postMessage("ready");
parentPort.once("message", () => {
  let total = 0;
  for (;;) {
    const from = Atomics.add(next, 0, 1) * chunk;
    if (from >= limit) break;
    const to = Math.min(from + chunk, limit);
    for (let n = from; n < to; n++) if (isPrime(n)) total++;
  }
  parentPort.postMessage(total);
});
`;

/** Count primes below `limit` in ranges of `chunk` on `threads` raw threads; times from "go" to the last thread's answer (starting the threads is not timed). */
export async function rawThreads(threads: number, limit: number, chunk: number): Promise<{ ms: number; total: number }> {
  const counter = new SharedArrayBuffer(4);
  const ws = Array.from({ length: threads }, () => new Worker(THREAD, { eval: true, workerData: { counter, limit, chunk } }));
  try {
    await Promise.all(ws.map((w) => new Promise((r) => w.once("message", r))));
    const t0 = performance.now();
    const counts = await Promise.all(
      ws.map((w) => {
        const answer = new Promise<number>((r) => w.once("message", r));
        w.postMessage("go");
        return answer;
      }),
    );
    return { ms: performance.now() - t0, total: counts.reduce((a, b) => a + b, 0) };
  } finally {
    await Promise.all(ws.map((w) => w.terminate()));
  }
}
