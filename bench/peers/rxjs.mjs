/**
 * RxJS 7, as its documentation recommends: `pipe` of operators over an
 * Observable for lines, `Subject`s as the mailboxes of things that must
 * address each other (ring, hackysack), and one `Subject` multicast to many
 * subscribers for fan-out. Cycles through Subjects recurse on the stack, so
 * the ring and the hackysack deliver through `observeOn(queueScheduler)`,
 * RxJS's trampoline.
 */
import { from, map, observeOn, queueScheduler, reduce, Subject, lastValueFrom } from "rxjs";
import { checksum, makeRandom, measureFootprint, otherPlayer, settle } from "../common.mjs";

const count = (n) => ({ [Symbol.iterator]: function* () { for (let i = 0; i < n; i++) yield i; } });

export const unsupported = {
  w6: "RxJS has no backpressure: a push source cannot be slowed by a bounded box, so the workload cannot be expressed",
};

export const workloads = {
  async w1({ n, stages }) {
    const ops = [];
    for (let i = 0; i < stages; i++) ops.push(map((x) => x));
    settle();
    const t0 = performance.now();
    const r = await lastValueFrom(
      from(count(n)).pipe(...ops, reduce((acc, x) => ({ sum: acc.sum + x, count: acc.count + 1 }), { sum: 0, count: 0 })),
    );
    return { ms: performance.now() - t0, ...r };
  },

  async w2({ ring, hops }) {
    const nodes = [];
    for (let k = 0; k < ring; k++) nodes.push(new Subject());
    let finalNode = -1;
    let finalValue = -1;
    nodes.forEach((s, k) =>
      s.pipe(observeOn(queueScheduler)).subscribe((t) => {
        if (t === hops) {
          finalNode = k;
          finalValue = t;
        } else nodes[(k + 1) % ring].next(t + 1);
      }),
    );
    settle();
    const t0 = performance.now();
    queueScheduler.schedule(() => nodes[0].next(0));
    return { ms: performance.now() - t0, finalNode, finalValue };
  },

  async w3({ players, hits }) {
    const rand = makeRandom();
    const received = new Float64Array(players);
    const ps = [];
    for (let k = 0; k < players; k++) ps.push(new Subject());
    let finalPlayer = -1;
    ps.forEach((s, k) =>
      s.pipe(observeOn(queueScheduler)).subscribe((h) => {
        received[k]++;
        if (h === hits) finalPlayer = k;
        else ps[otherPlayer(rand, k, players)].next(h + 1);
      }),
    );
    settle();
    const t0 = performance.now();
    queueScheduler.schedule(() => ps[0].next(0));
    return { ms: performance.now() - t0, finalPlayer, checksum: checksum(received) };
  },

  async w4({ subscribers, messages }) {
    const plane = new Subject();
    const counts = new Array(subscribers).fill(0);
    const sums = new Array(subscribers).fill(0);
    for (let k = 0; k < subscribers; k++) {
      plane.subscribe((m) => {
        counts[k]++;
        sums[k] += m;
      });
    }
    settle();
    const t0 = performance.now();
    for (let i = 0; i < messages; i++) plane.next(i);
    plane.complete();
    return { ms: performance.now() - t0, counts, sums };
  },

  async w5({ units }) {
    let got = 0;
    return measureFootprint(
      units,
      (u) => {
        const all = new Array(u);
        for (let k = 0; k < u; k++) {
          const s = new Subject();
          s.subscribe(() => got++);
          all[k] = s;
        }
        return all;
      },
      (all) => {
        for (const s of all) s.next(1);
        return got;
      },
    );
  },
};
