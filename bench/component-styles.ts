/**
 * What each way of writing a component costs, side by side in one run:
 * a hand-written generator loop, a generator that delegates to
 * `processMessages`, `main() { return this.processMessages(handler) }`
 * (no generator at all), and an async component. Each carries messages
 * through a 10-stage Pipeline (throughput), and each is measured idle
 * (heap bytes per component). Ratios are to the processMessages idiom.
 *
 *   node --expose-gc --import tsx bench/component-styles.ts [--messages N]
 *
 * Five repetitions per figure, each style in turn, medians reported.
 */
import { Component, Pipeline, System, type AnyComponent, type Wait } from "../src/index.js";

class Count extends Component<never, number> {
  n = 0;
  *main() {
    for (let i = 0; i < this.n; i++) {
      this.send(i);
      if ((i & 1023) === 1023) yield;
    }
    this.passOnShutdown();
  }
}

class Sum extends Component<number, never> {
  total = 0;
  main() {
    return this.processMessages((m) => {
      this.total += m;
    });
  }
}

/** A hand-written loop, as in Axon: drain the inbox, check shutdown, sleep. */
class Loop extends Component<number, number> {
  *main(): Wait {
    for (;;) {
      while (this.dataReady() > 0) this.send(this.recv() + 1);
      if (this.checkShutdown() !== null) break;
      this.pause();
      yield;
    }
    this.passOnShutdown();
  }
}

/** A generator that delegates to processMessages. */
class Delegating extends Component<number, number> {
  *main() {
    yield* this.processMessages((m) => this.send(m + 1));
  }
}

/** No generator: main returns the drain loop, with a method as the handler. */
class Drain extends Component<number, number> {
  main() {
    return this.processMessages(this.handle);
  }
  handle(m: number) {
    this.send(m + 1);
  }
}

/** An async component: awaits until a message (or a shutdown) is waiting. */
class Async extends Component<number, number> {
  async main() {
    for (;;) {
      while (this.dataReady() > 0) this.send(this.recv() + 1);
      if (this.checkShutdown() !== null) break;
      await this.readyAsync();
    }
    this.passOnShutdown();
  }
}

const styles: Record<string, () => AnyComponent> = {
  "generator loop": () => new Loop(),
  "yield* processMessages": () => new Delegating(),
  "return processMessages": () => new Drain(),
  "async main": () => new Async(),
};

const arg = process.argv.indexOf("--messages");
const N = arg > 0 ? Number(process.argv[arg + 1]) : 200_000;

async function throughput(make: () => AnyComponent): Promise<number> {
  const system = new System();
  const src = Count.create({ n: N });
  const sink = new Sum();
  const p = Pipeline(src, ...Array.from({ length: 10 }, make), sink) as AnyComponent;
  const t = performance.now();
  p.activate(system);
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    system.run(),
    new Promise((_, reject) => (timer = setTimeout(() => reject(new Error("not finished after 60 s")), 60_000))),
  ]);
  clearTimeout(timer);
  const ms = performance.now() - t;
  if (sink.total !== (N * (N - 1)) / 2 + 10 * N) throw new Error(`wrong total ${sink.total}`);
  return (N * 1000) / ms;
}

function footprint(make: () => AnyComponent): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error("run with node --expose-gc");
  const system = new System();
  system.scheduler.auto = false; // step by hand: each component runs until it sleeps
  const n = 20_000;
  gc();
  gc();
  const before = process.memoryUsage().heapUsed;
  const keep: AnyComponent[] = [];
  for (let i = 0; i < n; i++) keep.push(make().activate(system));
  while (system.scheduler.stepOne());
  gc();
  gc();
  const bytes = (process.memoryUsage().heapUsed - before) / n;
  if (keep.some((c) => c.isFinished())) throw new Error("a component finished while idle");
  system.stop();
  while (system.scheduler.stepOne());
  return bytes;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const rates: Record<string, number[]> = {};
const sizes: Record<string, number[]> = {};
for (let rep = 0; rep < 5; rep++) {
  for (const [name, make] of Object.entries(styles)) {
    (rates[name] ??= []).push(await throughput(make));
    (sizes[name] ??= []).push(footprint(make));
  }
}
const base = "return processMessages";
console.log(`| style | msg/s through 10 stages | ratio | heap bytes per idle component | ratio |`);
console.log(`|---|---:|---:|---:|---:|`);
for (const name of Object.keys(styles)) {
  const r = median(rates[name]!);
  const s = median(sizes[name]!);
  console.log(
    `| ${name} | ${(r / 1e6).toFixed(2)}M | ${(r / median(rates[base]!)).toFixed(2)}× | ${s.toFixed(0)} | ${(s / median(sizes[base]!)).toFixed(2)}× |`,
  );
}
console.log(`\n${N} messages, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}`);
