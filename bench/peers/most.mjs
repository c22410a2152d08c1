/**
 * @most/core, as its documentation recommends: a stream built with
 * `newStream`, curried operators (`map` fuses), `runEffects` on the default
 * scheduler, and `multicast` to share one source among many subscribers.
 * Streams are acyclic and have no mailboxes or backpressure, so the ring,
 * the hackysack, idle waiting components and a bounded box are not
 * expressible.
 */
import { map, multicast, newStream, runEffects, tap } from "@most/core";
import { asap, newDefaultScheduler } from "@most/scheduler";
import { settle } from "../common.mjs";

export const unsupported = {
  w2: "streams are acyclic: a ring of components passing a token to each other is not expressible",
  w3: "streams are acyclic and cannot address a chosen receiver: the hackysack is not expressible",
  w5: "a stream has no mailbox to wait on; there is no idle component to count",
  w6: "@most/core has no backpressure: a bounded box between a fast producer and a slow consumer is not expressible",
};

/** A stream of 0..n-1, produced in one scheduled task (the `newStream` recipe). */
const counting = (n) =>
  newStream((sink, scheduler) => {
    let disposed = false;
    const task = asap(
      {
        run(t) {
          for (let i = 0; i < n && !disposed; i++) sink.event(t, i);
          if (!disposed) sink.end(t);
        },
        error(t, e) {
          sink.error(t, e);
        },
        dispose() {
          disposed = true;
        },
      },
      scheduler,
    );
    return { dispose: () => task.dispose() };
  });

export const workloads = {
  async w1({ n, stages }) {
    let s = counting(n);
    for (let i = 0; i < stages; i++) s = map((x) => x, s);
    let sum = 0;
    let count = 0;
    settle();
    const t0 = performance.now();
    await runEffects(
      tap((x) => {
        sum += x;
        count++;
      }, s),
      newDefaultScheduler(),
    );
    return { ms: performance.now() - t0, sum, count };
  },

  async w4({ subscribers, messages }) {
    const shared = multicast(counting(messages));
    const scheduler = newDefaultScheduler();
    const counts = new Array(subscribers).fill(0);
    const sums = new Array(subscribers).fill(0);
    settle();
    const t0 = performance.now();
    const all = [];
    for (let k = 0; k < subscribers; k++) {
      all.push(
        runEffects(
          tap((m) => {
            counts[k]++;
            sums[k] += m;
          }, shared),
          scheduler,
        ),
      );
    }
    await Promise.all(all);
    return { ms: performance.now() - t0, counts, sums };
  },
};
