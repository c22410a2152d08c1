/**
 * Effection 4, as its guides recommend: structured concurrency with `run`
 * and `spawn`, channels (`createChannel`) between operations, a
 * subscription taken before anything is sent and read with `next()`.
 * Channels and their subscriptions are unbounded, so a bounded box is not
 * expressible.
 */
import { createChannel, run, spawn, suspend } from "effection";
import { checksum, makeRandom, measureFootprint, otherPlayer, settle } from "../common.mjs";

export const unsupported = {
  w6: "Effection's channels and subscriptions are unbounded (no bounded buffer or backpressure), so the workload cannot be expressed",
};

export const workloads = {
  w1: ({ n, stages }) =>
    run(function* () {
      const chans = [];
      for (let i = 0; i <= stages; i++) chans.push(createChannel());
      // Subscribe before anything is sent: a channel drops what no subscriber is there to see.
      const subs = [];
      for (const c of chans) subs.push(yield* c);
      let sum = 0;
      let count = 0;
      const sink = yield* spawn(function* () {
        const from = subs[stages];
        for (let next = yield* from.next(); !next.done; next = yield* from.next()) {
          sum += next.value;
          count++;
        }
      });
      for (let s = 0; s < stages; s++) {
        const from = subs[s];
        const to = chans[s + 1];
        yield* spawn(function* () {
          for (let next = yield* from.next(); !next.done; next = yield* from.next()) yield* to.send(next.value);
          yield* to.close();
        });
      }
      settle();
      const t0 = performance.now();
      for (let i = 0; i < n; i++) yield* chans[0].send(i);
      yield* chans[0].close();
      yield* sink;
      return { ms: performance.now() - t0, sum, count };
    }),

  w2: ({ ring, hops }) =>
    run(function* () {
      const chans = [];
      for (let k = 0; k < ring; k++) chans.push(createChannel());
      const subs = [];
      for (const c of chans) subs.push(yield* c);
      const done = createChannel();
      const result = yield* done;
      for (let k = 0; k < ring; k++) {
        const inbox = subs[k];
        const next = chans[(k + 1) % ring];
        yield* spawn(function* () {
          for (;;) {
            const { value: t } = yield* inbox.next();
            if (t === hops) {
              yield* done.send({ finalNode: k, finalValue: t });
              return;
            }
            yield* next.send(t + 1);
          }
        });
      }
      settle();
      const t0 = performance.now();
      yield* chans[0].send(0);
      const { value } = yield* result.next();
      return { ms: performance.now() - t0, ...value };
    }),

  w3: ({ players, hits }) =>
    run(function* () {
      const rand = makeRandom();
      const received = new Float64Array(players);
      const chans = [];
      for (let k = 0; k < players; k++) chans.push(createChannel());
      const subs = [];
      for (const c of chans) subs.push(yield* c);
      const done = createChannel();
      const result = yield* done;
      for (let k = 0; k < players; k++) {
        const inbox = subs[k];
        yield* spawn(function* () {
          for (;;) {
            const { value: h } = yield* inbox.next();
            received[k]++;
            if (h === hits) {
              yield* done.send(k);
              return;
            }
            yield* chans[otherPlayer(rand, k, players)].send(h + 1);
          }
        });
      }
      settle();
      const t0 = performance.now();
      yield* chans[0].send(0);
      const { value: finalPlayer } = yield* result.next();
      return { ms: performance.now() - t0, finalPlayer, checksum: checksum(received) };
    }),

  w4: ({ subscribers, messages }) =>
    run(function* () {
      const plane = createChannel();
      const counts = new Array(subscribers).fill(0);
      const sums = new Array(subscribers).fill(0);
      const tasks = [];
      for (let k = 0; k < subscribers; k++) {
        const sub = yield* plane;
        tasks.push(
          yield* spawn(function* () {
            for (let next = yield* sub.next(); !next.done; next = yield* sub.next()) {
              counts[k]++;
              sums[k] += next.value;
            }
          }),
        );
      }
      settle();
      const t0 = performance.now();
      for (let i = 0; i < messages; i++) yield* plane.send(i);
      yield* plane.close();
      for (const t of tasks) yield* t;
      return { ms: performance.now() - t0, counts, sums };
    }),

  async w5({ units }) {
    let got = 0;
    let poke;
    return measureFootprint(
      units,
      (u) =>
        new Promise((ready) => {
          run(function* () {
            const chans = new Array(u);
            for (let k = 0; k < u; k++) {
              const c = createChannel();
              const sub = yield* c;
              yield* spawn(function* () {
                yield* sub.next();
                got++;
              });
              chans[k] = c;
            }
            const go = createChannel();
            const goSub = yield* go;
            poke = go;
            setImmediate(() => ready(chans));
            yield* goSub.next();
            for (const c of chans) yield* c.send(1);
            yield* suspend();
          });
        }),
      async (chans) => {
        run(function* () {
          yield* poke.send("go");
        });
        for (let spins = 0; got < chans.length && spins < 10_000; spins++) await new Promise((r) => setImmediate(r));
        return got;
      },
    );
  },
};
