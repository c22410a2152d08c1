/**
 * js-csp, as its documentation recommends: `go` processes (generators)
 * talking over channels with `take`/`put`, `operations.mult` to copy one
 * channel to many, and a `buffers.fixed` channel as the bounded box.
 */
import csp from "js-csp";
import { checksum, makeRandom, measureFootprint, otherPlayer, rssMeter, settle, spin } from "../common.mjs";

const { go, chan, take, put, CLOSED, operations, buffers } = csp;

/** Resolve with what a go process returns. */
const finished = (proc) => new Promise((resolve) => csp.takeAsync(proc, resolve));

export const workloads = {
  async w1({ n, stages }) {
    const chans = [];
    for (let i = 0; i <= stages; i++) chans.push(chan());
    go(function* () {
      for (let i = 0; i < n; i++) yield put(chans[0], i);
      chans[0].close();
    });
    for (let s = 0; s < stages; s++) {
      const from = chans[s];
      const to = chans[s + 1];
      go(function* () {
        for (let x = yield take(from); x !== CLOSED; x = yield take(from)) yield put(to, x);
        to.close();
      });
    }
    settle();
    const t0 = performance.now();
    const r = await finished(
      go(function* () {
        let sum = 0;
        let count = 0;
        const from = chans[stages];
        for (let x = yield take(from); x !== CLOSED; x = yield take(from)) {
          sum += x;
          count++;
        }
        return { sum, count };
      }),
    );
    return { ms: performance.now() - t0, ...r };
  },

  async w2({ ring, hops }) {
    const chans = [];
    for (let k = 0; k < ring; k++) chans.push(chan(1));
    const done = chan();
    for (let k = 0; k < ring; k++) {
      const inbox = chans[k];
      const next = chans[(k + 1) % ring];
      go(function* () {
        for (;;) {
          const t = yield take(inbox);
          if (t === hops) {
            yield put(done, { finalNode: k, finalValue: t });
            return;
          }
          yield put(next, t + 1);
        }
      });
    }
    settle();
    const t0 = performance.now();
    csp.putAsync(chans[0], 0);
    const r = await finished(done);
    return { ms: performance.now() - t0, ...r };
  },

  async w3({ players, hits }) {
    const rand = makeRandom();
    const received = new Float64Array(players);
    const chans = [];
    for (let k = 0; k < players; k++) chans.push(chan(1));
    const done = chan();
    for (let k = 0; k < players; k++) {
      const inbox = chans[k];
      go(function* () {
        for (;;) {
          const h = yield take(inbox);
          received[k]++;
          if (h === hits) {
            yield put(done, k);
            return;
          }
          yield put(chans[otherPlayer(rand, k, players)], h + 1);
        }
      });
    }
    settle();
    const t0 = performance.now();
    csp.putAsync(chans[0], 0);
    const finalPlayer = await finished(done);
    return { ms: performance.now() - t0, finalPlayer, checksum: checksum(received) };
  },

  async w4({ subscribers, messages }) {
    const source = chan();
    const m = operations.mult(source);
    const counts = new Array(subscribers).fill(0);
    const sums = new Array(subscribers).fill(0);
    const procs = [];
    for (let k = 0; k < subscribers; k++) {
      const c = chan();
      operations.mult.tap(m, c);
      procs.push(
        finished(
          go(function* () {
            for (let x = yield take(c); x !== CLOSED; x = yield take(c)) {
              counts[k]++;
              sums[k] += x;
            }
          }),
        ),
      );
    }
    settle();
    const t0 = performance.now();
    go(function* () {
      for (let i = 0; i < messages; i++) yield put(source, i);
      source.close();
    });
    await Promise.all(procs);
    return { ms: performance.now() - t0, counts, sums };
  },

  async w5({ units }) {
    let got = 0;
    return measureFootprint(
      units,
      async (u) => {
        const all = new Array(u);
        for (let k = 0; k < u; k++) {
          const c = chan();
          go(function* () {
            yield take(c);
            got++;
          });
          all[k] = c;
        }
        await new Promise((r) => setImmediate(r));
        return all;
      },
      async (all) => {
        for (const c of all) csp.putAsync(c, 1);
        while (got < all.length) await new Promise((r) => setTimeout(r, 1));
        return got;
      },
    );
  },

  async w6({ n, limit, slowdown }) {
    const meter = rssMeter();
    const box = chan(buffers.fixed(limit));
    go(function* () {
      for (let i = 0; i < n; i++) {
        spin(1);
        yield put(box, i);
      }
      box.close();
    });
    settle();
    const t0 = performance.now();
    const r = await finished(
      go(function* () {
        let received = 0;
        let sum = 0;
        for (let x = yield take(box); x !== CLOSED; x = yield take(box)) {
          spin(slowdown);
          sum += x;
          if ((++received & 0xffff) === 0) meter.sample();
        }
        return { received, sum };
      }),
    );
    return { ms: performance.now() - t0, ...r, ...meter.result() };
  },
};
