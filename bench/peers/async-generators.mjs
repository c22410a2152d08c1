/**
 * Chained async generators: `for await` stages pulling from the stage
 * before (W1, W6: the pull chain is itself a bounded box of one), and, where
 * components must address each other, an async-iterable mailbox per
 * component read with `for await`.
 */
import { checksum, makeRandom, measureFootprint, otherPlayer, rssMeter, settle, spin } from "../common.mjs";

/** A mailbox: `push` never waits; `for await` takes messages in order, waiting when empty. */
class Mailbox {
  items = [];
  head = 0;
  waiting = null;
  push(m) {
    const w = this.waiting;
    if (w !== null) {
      this.waiting = null;
      w({ value: m, done: false });
    } else this.items.push(m);
  }
  next() {
    if (this.head < this.items.length) {
      const value = this.items[this.head++];
      if (this.head === this.items.length) {
        this.items = [];
        this.head = 0;
      }
      return Promise.resolve({ value, done: false });
    }
    return new Promise((r) => (this.waiting = r));
  }
  [Symbol.asyncIterator]() {
    return this;
  }
}

async function* count(n) {
  for (let i = 0; i < n; i++) yield i;
}

async function* identity(source) {
  for await (const x of source) yield x;
}

export const workloads = {
  async w1({ n, stages }) {
    let s = count(n);
    for (let i = 0; i < stages; i++) s = identity(s);
    let sum = 0;
    let c = 0;
    settle();
    const t0 = performance.now();
    for await (const x of s) {
      sum += x;
      c++;
    }
    return { ms: performance.now() - t0, sum, count: c };
  },

  async w2({ ring, hops }) {
    const boxes = [];
    for (let k = 0; k < ring; k++) boxes.push(new Mailbox());
    let done;
    const end = new Promise((r) => (done = r));
    boxes.forEach(async (inbox, k) => {
      const next = boxes[(k + 1) % ring];
      for await (const t of inbox) {
        if (t === hops) return done({ finalNode: k, finalValue: t });
        next.push(t + 1);
      }
    });
    settle();
    const t0 = performance.now();
    boxes[0].push(0);
    const r = await end;
    return { ms: performance.now() - t0, ...r };
  },

  async w3({ players, hits }) {
    const rand = makeRandom();
    const received = new Float64Array(players);
    const boxes = [];
    for (let k = 0; k < players; k++) boxes.push(new Mailbox());
    let done;
    const end = new Promise((r) => (done = r));
    boxes.forEach(async (inbox, k) => {
      for await (const h of inbox) {
        received[k]++;
        if (h === hits) return done(k);
        boxes[otherPlayer(rand, k, players)].push(h + 1);
      }
    });
    settle();
    const t0 = performance.now();
    boxes[0].push(0);
    const finalPlayer = await end;
    return { ms: performance.now() - t0, finalPlayer, checksum: checksum(received) };
  },

  async w4({ subscribers, messages }) {
    const boxes = [];
    const counts = new Array(subscribers).fill(0);
    const sums = new Array(subscribers).fill(0);
    const subs = [];
    for (let k = 0; k < subscribers; k++) {
      const inbox = new Mailbox();
      boxes.push(inbox);
      subs.push(
        (async () => {
          for await (const m of inbox) {
            if (m < 0) return;
            counts[k]++;
            sums[k] += m;
          }
        })(),
      );
    }
    settle();
    const t0 = performance.now();
    for await (const m of count(messages)) for (const b of boxes) b.push(m);
    for (const b of boxes) b.push(-1);
    await Promise.all(subs);
    return { ms: performance.now() - t0, counts, sums };
  },

  async w5({ units }) {
    let got = 0;
    return measureFootprint(
      units,
      async (u) => {
        const all = new Array(u);
        for (let k = 0; k < u; k++) {
          const inbox = new Mailbox();
          (async () => {
            for await (const _m of inbox) {
              got++;
              return;
            }
          })();
          all[k] = inbox;
        }
        await new Promise((r) => setImmediate(r));
        return all;
      },
      async (all) => {
        for (const b of all) b.push(1);
        await new Promise((r) => setImmediate(r));
        return got;
      },
    );
  },

  async w6({ n, slowdown }) {
    const meter = rssMeter();
    async function* produce() {
      for (let i = 0; i < n; i++) {
        spin(1);
        yield i;
      }
    }
    let received = 0;
    let sum = 0;
    settle();
    const t0 = performance.now();
    for await (const m of produce()) {
      spin(slowdown);
      sum += m;
      if ((++received & 0xffff) === 0) meter.sample();
    }
    return { ms: performance.now() - t0, received, sum, ...meter.result() };
  },
};
