/**
 * What every peer shares: the workloads' parameters, the seeded random
 * numbers, the spin used as "work", and the checks a run must pass.
 *
 * Every peer does the same logical work with the same parameters, so a
 * result that differs from the one computed here is a wrong result and
 * fails the run.
 */

/** Full-size parameters (the issue's), and the scaled-down `--quick` ones. */
export const PARAMS = {
  full: {
    w1: { n: 1_000_000, stages: 10 },
    w2: { ring: 10_000, hops: 1_000_000 },
    w3: { players: 1_000, hits: 100_000 },
    w4: { subscribers: 100, messages: 100_000 },
    w5: { units: 100_000 },
    w6: { n: 10_000_000, limit: 64, slowdown: 10 },
  },
  quick: {
    w1: { n: 50_000, stages: 10 },
    w2: { ring: 10_000, hops: 50_000 },
    w3: { players: 1_000, hits: 20_000 },
    w4: { subscribers: 100, messages: 5_000 },
    w5: { units: 20_000 },
    w6: { n: 300_000, limit: 64, slowdown: 10 },
  },
};

/** What each workload measures, and in which unit. */
export const WORKLOADS = {
  w1: { title: "W1 pipeline", unit: "msg/s" },
  w2: { title: "W2 ring", unit: "hops/s" },
  w3: { title: "W3 hackysack", unit: "hits/s" },
  w4: { title: "W4 fan-out", unit: "deliveries/s" },
  w5: { title: "W5 footprint", unit: "bytes/component" },
  w6: { title: "W6 backpressure", unit: "msg/s" },
};

/**
 * The hackysack's random numbers: xorshift32 from a fixed seed. Only the
 * holder of the sack draws, so every peer draws the same sequence and the
 * game is the same game everywhere.
 */
export function makeRandom(seed = 0x9e3779b9) {
  let s = seed >>> 0 || 1;
  return function next() {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s;
  };
}

/** A uniformly random player other than `self`, out of `players`. */
export function otherPlayer(rand, self, players) {
  const j = rand() % (players - 1);
  return j >= self ? j + 1 : j;
}

let spinSink = 0;
/** Busy work of `units` units; W6's producer does 1 per message, its consumer `slowdown`. */
export function spin(units) {
  let x = spinSink | 1;
  for (let i = 0; i < units * 8; i++) x = (x * 1103515245 + 12345) & 0x7fffffff;
  spinSink = x;
  return x;
}

/** Peak-RSS sampling for W6: call `sample()` now and then from the consumer. */
export function rssMeter() {
  const base = process.memoryUsage.rss();
  let peak = base;
  return {
    sample() {
      const r = process.memoryUsage.rss();
      if (r > peak) peak = r;
    },
    result() {
      this.sample();
      return { baseRssMB: base / 2 ** 20, peakRssMB: peak / 2 ** 20 };
    },
  };
}

/** How much the peak RSS may exceed the starting RSS in W6 before the run counts as unbounded. */
export const W6_RSS_GROWTH_LIMIT_MB = 64;

/**
 * W5's measurement: heap used per unit after `create(units)` (which must
 * resolve once every unit is waiting on its inbox), then `poke(handle)` sends
 * each one a message and resolves with how many received one.
 */
export async function measureFootprint(units, create, poke) {
  const gc = globalThis.gc;
  if (typeof gc !== "function") throw new Error("W5 needs node --expose-gc");
  gc();
  gc();
  const h0 = process.memoryUsage().heapUsed;
  const t0 = performance.now();
  const handle = await create(units);
  const t1 = performance.now();
  gc();
  gc();
  const h1 = process.memoryUsage().heapUsed;
  const delivered = await poke(handle);
  return { ms: t1 - t0, bytesPerUnit: (h1 - h0) / units, nsPerUnit: ((t1 - t0) * 1e6) / units, delivered };
}

/** The hackysack game played plainly, to check the peers' games against. */
export function expectedHackysack({ players, hits }) {
  const rand = makeRandom();
  const received = new Float64Array(players);
  let holder = 0;
  received[0]++;
  for (let h = 0; h < hits; h++) {
    holder = otherPlayer(rand, holder, players);
    received[holder]++;
  }
  return { finalPlayer: holder, checksum: checksum(received) };
}

/** A checksum of per-player receive counts that notices a count on the wrong player. */
export function checksum(received) {
  let c = 0;
  for (let i = 0; i < received.length; i++) c += received[i] * (i + 1);
  return c;
}

/** How many operations a run of workload `w` performs (for the rate). */
export function operations(w, p) {
  switch (w) {
    case "w1":
      return p.n;
    case "w2":
      return p.hops;
    case "w3":
      return p.hits;
    case "w4":
      return p.messages * p.subscribers;
    case "w6":
      return p.n;
    default:
      return 0;
  }
}

/** Throw unless `r` is the right result of workload `w` with parameters `p`. */
export function verify(w, p, r) {
  const fail = (what) => {
    throw new Error(`wrong result for ${w}: ${what} (got ${JSON.stringify(r).slice(0, 300)})`);
  };
  if (!(r.ms > 0)) fail("no positive elapsed time");
  switch (w) {
    case "w1": {
      if (r.count !== p.n) fail(`count ${r.count} != ${p.n}`);
      if (r.sum !== (p.n * (p.n - 1)) / 2) fail(`sum ${r.sum} != ${(p.n * (p.n - 1)) / 2}`);
      return;
    }
    case "w2": {
      if (r.finalValue !== p.hops) fail(`token value ${r.finalValue} != ${p.hops}`);
      if (r.finalNode !== p.hops % p.ring) fail(`token ended at ${r.finalNode}, not ${p.hops % p.ring}`);
      return;
    }
    case "w3": {
      const e = expectedHackysack(p);
      if (r.finalPlayer !== e.finalPlayer) fail(`final player ${r.finalPlayer} != ${e.finalPlayer}`);
      if (r.checksum !== e.checksum) fail(`visit checksum ${r.checksum} != ${e.checksum}`);
      return;
    }
    case "w4": {
      const want = (p.messages * (p.messages - 1)) / 2;
      if (r.counts.length !== p.subscribers) fail(`${r.counts.length} subscribers reported`);
      r.counts.forEach((c, i) => c !== p.messages && fail(`subscriber ${i} counted ${c}`));
      r.sums.forEach((s, i) => s !== want && fail(`subscriber ${i} summed ${s}`));
      return;
    }
    case "w5": {
      if (r.delivered !== p.units) fail(`${r.delivered} of ${p.units} idle units received their message`);
      if (!(r.bytesPerUnit > 0)) fail("no heap growth measured");
      return;
    }
    case "w6": {
      if (r.received !== p.n) fail(`received ${r.received} of ${p.n}`);
      if (r.sum !== (p.n * (p.n - 1)) / 2) fail(`sum ${r.sum} != ${(p.n * (p.n - 1)) / 2}`);
      if (r.peakRssMB - r.baseRssMB > W6_RSS_GROWTH_LIMIT_MB) {
        fail(`peak RSS grew by ${(r.peakRssMB - r.baseRssMB).toFixed(0)} MB: the box is not bounded`);
      }
      return;
    }
    default:
      throw new Error(`unknown workload ${w}`);
  }
}

/**
 * Called by every peer right before its measured phase begins: with
 * `--expose-gc` (worker.mjs runs every workload so), a full collection of
 * what the setup made, so that collecting it does not fall inside the
 * measured window. W2's setup makes 10,000 components; without this, the
 * scavenges that moved them (15-20 ms each) landed in a 40 ms window and the
 * same code read 8-30M hops/s from run to run. Every column pays it alike.
 */
export function settle() {
  const gc = globalThis.gc;
  if (typeof gc === "function") gc();
}
