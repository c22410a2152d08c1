/**
 * Node streams in object mode, as the Node documentation recommends:
 * `stream.pipeline` of a `Readable.from` source, `Transform`s and a
 * `Writable` sink; `.pipe` for a ring and for one source feeding many
 * sinks; a `Writable` per player. Synchronous transform callbacks around a
 * cycle recurse through `ondata → write → transform` until the stack
 * overflows, so the ring and hackysack call back from a microtask (the
 * usual shape of an asynchronous transform).
 */
import { Readable, Transform, Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { checksum, makeRandom, measureFootprint, otherPlayer, rssMeter, settle, spin } from "../common.mjs";

function* count(n) {
  for (let i = 0; i < n; i++) yield i;
}

const identity = () => new Transform({ objectMode: true, transform: (x, _e, cb) => cb(null, x) });

export const workloads = {
  async w1({ n, stages }) {
    let sum = 0;
    let c = 0;
    const stagesList = [];
    for (let i = 0; i < stages; i++) stagesList.push(identity());
    const sink = new Writable({
      objectMode: true,
      write(x, _e, cb) {
        sum += x;
        c++;
        cb();
      },
    });
    settle();
    const t0 = performance.now();
    await pipeline(Readable.from(count(n)), ...stagesList, sink);
    return { ms: performance.now() - t0, sum, count: c };
  },

  async w2({ ring, hops }) {
    let done;
    const end = new Promise((r) => (done = r));
    const nodes = [];
    for (let k = 0; k < ring; k++) {
      nodes.push(
        new Transform({
          objectMode: true,
          transform(t, _e, cb) {
            if (t === hops) {
              done({ ms: performance.now() - t0, finalNode: k, finalValue: t });
              cb();
            } else queueMicrotask(() => cb(null, t + 1));
          },
        }),
      );
    }
    for (let k = 0; k < ring; k++) nodes[k].pipe(nodes[(k + 1) % ring]);
    settle();
    const t0 = performance.now();
    nodes[0].write(0);
    const r = await end;
    for (const s of nodes) s.destroy();
    return r;
  },

  async w3({ players, hits }) {
    const rand = makeRandom();
    const received = new Float64Array(players);
    let done;
    const end = new Promise((r) => (done = r));
    const ps = [];
    for (let k = 0; k < players; k++) {
      ps.push(
        new Writable({
          objectMode: true,
          write(h, _e, cb) {
            received[k]++;
            if (h === hits) {
              done({ ms: performance.now() - t0, finalPlayer: k });
              cb();
            } else {
              const to = ps[otherPlayer(rand, k, players)];
              queueMicrotask(() => {
                to.write(h + 1);
                cb();
              });
            }
          },
        }),
      );
    }
    settle();
    const t0 = performance.now();
    ps[0].write(0);
    const r = await end;
    return { ...r, checksum: checksum(received) };
  },

  async w4({ subscribers, messages }) {
    const counts = new Array(subscribers).fill(0);
    const sums = new Array(subscribers).fill(0);
    const source = Readable.from(count(messages));
    const finished = [];
    for (let k = 0; k < subscribers; k++) {
      const w = new Writable({
        objectMode: true,
        write(m, _e, cb) {
          counts[k]++;
          sums[k] += m;
          cb();
        },
      });
      finished.push(new Promise((resolve, reject) => w.on("finish", resolve).on("error", reject)));
      source.pipe(w);
    }
    settle();
    const t0 = performance.now();
    await Promise.all(finished);
    return { ms: performance.now() - t0, counts, sums };
  },

  async w5({ units }) {
    let got = 0;
    const write = (_m, _e, cb) => {
      got++;
      cb();
    };
    return measureFootprint(
      units,
      (u) => {
        const all = new Array(u);
        for (let k = 0; k < u; k++) all[k] = new Writable({ objectMode: true, write });
        return all;
      },
      async (all) => {
        for (const w of all) w.write(1);
        await new Promise((r) => setImmediate(r));
        return got;
      },
    );
  },

  async w6({ n, limit, slowdown }) {
    const meter = rssMeter();
    let received = 0;
    let sum = 0;
    function* produce() {
      for (let i = 0; i < n; i++) {
        spin(1);
        yield i;
      }
    }
    settle();
    const t0 = performance.now();
    await pipeline(
      Readable.from(produce(), { highWaterMark: limit }),
      new Writable({
        objectMode: true,
        highWaterMark: limit,
        write(m, _e, cb) {
          spin(slowdown);
          sum += m;
          if ((++received & 0xffff) === 0) meter.sample();
          cb();
        },
      }),
    );
    return { ms: performance.now() - t0, received, sum, ...meter.result() };
  },
};
