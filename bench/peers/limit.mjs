/**
 * The limit: framework-free code doing the same logical work as every
 * peer, with plain arrays as mailboxes and a plain run queue. A "component"
 * is an object with a mailbox and a handler; delivering a message pushes it
 * and puts the receiver on the run queue unless it is already there; a run
 * drains the whole mailbox. This is the floor any scheduler pays on top of.
 */
import { checksum, makeRandom, measureFootprint, otherPlayer, rssMeter, settle, spin } from "../common.mjs";

/** A plain run queue of units that have mail: this cycle's and the next one's, swapped. */
class RunQueue {
  cur = [];
  next = [];
  n = 0;
  push(u) {
    if (u.queued) return;
    u.queued = true;
    this.next[this.n++] = u;
  }
  run() {
    while (this.n > 0) {
      const q = this.next;
      const len = this.n;
      this.next = this.cur;
      this.cur = q;
      this.n = 0;
      for (let i = 0; i < len; i++) {
        const u = q[i];
        u.queued = false;
        u.run();
      }
    }
  }
}

/** A unit of work: a mailbox (plain array, drained whole) and a handler. */
class Unit {
  queued = false;
  mail = [];
  n = 0;
  constructor(rq, handle) {
    this.rq = rq;
    this.handle = handle;
  }
  deliver(m) {
    this.mail[this.n++] = m;
    this.rq.push(this);
  }
  run() {
    // The mailbox array is kept and reused, so a delivery allocates nothing.
    const mail = this.mail;
    for (let i = 0; i < this.n; i++) this.handle(mail[i]);
    this.n = 0;
  }
}

export const workloads = {
  async w1({ n, stages }) {
    const rq = new RunQueue();
    let sum = 0;
    let count = 0;
    const sink = new Unit(rq, (m) => {
      sum += m;
      count++;
    });
    let next = sink;
    for (let i = 0; i < stages; i++) {
      const to = next;
      next = new Unit(rq, (m) => to.deliver(m));
    }
    const first = next;
    let i = 0;
    const source = { queued: false, run() {
      const end = Math.min(n, i + 1024);
      for (; i < end; i++) first.deliver(i);
      if (i < n) rq.push(source);
    } };
    settle();
    const t0 = performance.now();
    rq.push(source);
    rq.run();
    return { ms: performance.now() - t0, sum, count };
  },

  async w2({ ring, hops }) {
    const rq = new RunQueue();
    const nodes = new Array(ring);
    let finalNode = -1;
    let finalValue = -1;
    for (let k = 0; k < ring; k++) {
      nodes[k] = new Unit(rq, (t) => {
        if (t === hops) {
          finalNode = k;
          finalValue = t;
        } else nodes[(k + 1) % ring].deliver(t + 1);
      });
    }
    settle();
    const t0 = performance.now();
    nodes[0].deliver(0);
    rq.run();
    return { ms: performance.now() - t0, finalNode, finalValue };
  },

  async w3({ players, hits }) {
    const rq = new RunQueue();
    const rand = makeRandom();
    const received = new Float64Array(players);
    const ps = new Array(players);
    let finalPlayer = -1;
    for (let k = 0; k < players; k++) {
      ps[k] = new Unit(rq, (h) => {
        received[k]++;
        if (h === hits) finalPlayer = k;
        else ps[otherPlayer(rand, k, players)].deliver(h + 1);
      });
    }
    settle();
    const t0 = performance.now();
    ps[0].deliver(0);
    rq.run();
    return { ms: performance.now() - t0, finalPlayer, checksum: checksum(received) };
  },

  async w4({ subscribers, messages }) {
    const rq = new RunQueue();
    const counts = new Array(subscribers).fill(0);
    const sums = new Array(subscribers).fill(0);
    const subs = [];
    for (let k = 0; k < subscribers; k++) {
      subs.push(new Unit(rq, (m) => {
        counts[k]++;
        sums[k] += m;
      }));
    }
    // The publisher delivers each message to every subscriber's mailbox, 1024 messages a run.
    let i = 0;
    const publisher = { queued: false, run() {
      const end = Math.min(messages, i + 1024);
      for (; i < end; i++) for (let k = 0; k < subs.length; k++) subs[k].deliver(i);
      if (i < messages) rq.push(publisher);
    } };
    settle();
    const t0 = performance.now();
    rq.push(publisher);
    rq.run();
    return { ms: performance.now() - t0, counts, sums };
  },

  async w5({ units }) {
    const rq = new RunQueue();
    let got = 0;
    const onMessage = () => got++;
    return measureFootprint(
      units,
      (u) => {
        const all = new Array(u);
        for (let k = 0; k < u; k++) all[k] = new Unit(rq, onMessage);
        return all;
      },
      (all) => {
        for (const u of all) u.deliver(1);
        rq.run();
        return got;
      },
    );
  },

  async w6({ n, limit, slowdown }) {
    // A bounded mailbox: the producer runs until it is full, the consumer until it is empty.
    const rq = new RunQueue();
    const meter = rssMeter();
    let received = 0;
    let sum = 0;
    const box = [];
    let i = 0;
    const consumer = { queued: false, run() {
      for (let k = 0; k < box.length; k++) {
        spin(slowdown);
        sum += box[k];
        if ((++received & 0xffff) === 0) meter.sample();
      }
      box.length = 0;
      if (i < n) rq.push(producer);
    } };
    const producer = { queued: false, run() {
      while (i < n && box.length < limit) {
        spin(1);
        box.push(i++);
      }
      rq.push(consumer);
    } };
    settle();
    const t0 = performance.now();
    rq.push(producer);
    rq.run();
    return { ms: performance.now() - t0, received, sum, ...meter.result() };
  },
};
