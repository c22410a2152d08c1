/**
 * The dining philosophers, on Software Transactional Memory (Axon's STM
 * example): N philosophers sit at a round table with a fork between each
 * pair. The forks are values in a Store (`null`, or the name of whoever holds
 * it). A philosopher takes *both* forks in one transaction — check out the
 * pair, reach for them (a step passes, so others interleave), and commit
 * only if both were free — so nobody ever holds one fork while waiting for
 * the other, and the table cannot deadlock. A commit that lost the race gets
 * ConcurrentUpdate and the philosopher tries again after a random pause.
 *
 *   npx tsx examples/dining-philosophers.ts [--philosophers 5] [--meals 3] [--trace]
 *
 * Prints each philosopher's meals and failed grabs (a fork in use, or a lost
 * race: ConcurrentUpdate), then the total (N × M).
 * With `--trace`, every take and drop is printed as it happens
 * (`take Philosopher_3 fork.2 fork.3`), so a test can check that no fork was
 * ever held by two philosophers at once.
 */
import { pathToFileURL } from "node:url";
import { Component, System, type Wait } from "../src/index.js";
import { BusyRetry, ConcurrentUpdate, Store } from "../src/stm/index.js";

/** fork name → who holds it (`null`: on the table). */
export type Forks = Record<string, string | null>;

/** A take or drop, in the order they happen. */
export interface ForkEvent {
  kind: "take" | "drop";
  philosopher: string;
  forks: readonly [string, string];
}

/**
 * Thinks, takes both forks in one STM transaction, eats, puts them back;
 * `meals` times. Boxes: none used (it shares state through the Store only).
 */
export class Philosopher extends Component<never, never> {
  /** The table. */
  store!: Store<Forks>;
  /** The fork on the left and on the right. */
  forks!: readonly [string, string];
  /** How many meals to eat. */
  meals = 3;
  /** Told of every take and drop. */
  onEvent: (e: ForkEvent) => void = () => {};
  /** Meals eaten so far. */
  eaten = 0;
  /** Grabs that found a fork in use. */
  missed = 0;
  /** Grabs that lost the race: someone committed a fork between checkout and commit (ConcurrentUpdate). */
  conflicts = 0;

  *main(): Wait {
    const [left, right] = this.forks;
    while (this.eaten < this.meals) {
      yield* this.pauseFor(3); // think
      let forks;
      try {
        forks = this.store.checkout([left, right]);
        if (forks.get(left).value !== null || forks.get(right).value !== null) {
          this.missed++;
          continue;
        }
        forks.get(left).value = this.name;
        forks.get(right).value = this.name;
        yield; // reaching for them: others run meanwhile
        forks.commit();
      } catch (e) {
        if (!(e instanceof ConcurrentUpdate || e instanceof BusyRetry)) throw e;
        this.conflicts++;
        continue;
      }
      this.onEvent({ kind: "take", philosopher: this.name, forks: this.forks });
      yield* this.pauseFor(3); // eat
      const table = this.store.snapshot();
      if (table[left] !== this.name || table[right] !== this.name) throw new Error(`${this.name} lost a fork while eating: ${JSON.stringify(table)}`);
      this.eaten++;
      forks.get(left).value = null;
      forks.get(right).value = null;
      this.onEvent({ kind: "drop", philosopher: this.name, forks: this.forks });
      forks.commit(); // nobody else commits a fork someone holds, so this cannot conflict
    }
  }

  /** Give way a random number of times (0 … n). */
  private *pauseFor(n: number): Wait {
    for (let i = Math.floor(Math.random() * (n + 1)); i > 0; i--) yield;
  }
}

/** Seat `philosophers` philosophers and let each eat `meals` meals; resolves with them when all have. */
export async function dine(options: { philosophers: number; meals: number; onEvent?: (e: ForkEvent) => void; system?: System }): Promise<Philosopher[]> {
  const { philosophers: n, meals } = options;
  if (!Number.isInteger(n) || n < 2) throw new RangeError(`--philosophers must be a whole number ≥ 2 (each needs two forks), got ${n}`);
  if (!Number.isInteger(meals) || meals < 0) throw new RangeError(`--meals must be a whole number ≥ 0, got ${meals}`);
  const fork = (i: number): string => `fork.${i % n}`;
  const table: Forks = {};
  for (let i = 0; i < n; i++) table[fork(i)] = null;
  const store = new Store<Forks>(table, { name: "table" });
  const system = options.system ?? new System();
  const onEvent = options.onEvent ?? (() => {});
  const all = Array.from({ length: n }, (_, i) => Philosopher.create({ store, forks: [fork(i), fork(i + 1)], meals, onEvent }).activate(system));
  await system.run();
  return all;
}

/** `--name value` from the command line, as a number. */
function numberOption(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const v = args[i + 1];
  if (v === undefined || !/^\d+$/.test(v)) {
    console.error(`dining-philosophers: --${name} needs a whole number, got ${v === undefined ? "nothing" : JSON.stringify(v)}`);
    process.exit(2);
  }
  return Number(v);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const args = process.argv.slice(2);
  const unknown = args.filter((a, i) => a.startsWith("--") && !["--philosophers", "--meals", "--trace"].includes(a) && !(i > 0 && /^--(philosophers|meals)$/.test(args[i - 1]!)));
  if (unknown.length > 0) {
    console.error(`dining-philosophers: unknown option ${unknown[0]} (use --philosophers N --meals M [--trace])`);
    process.exit(2);
  }
  const philosophers = numberOption(args, "philosophers", 5);
  const meals = numberOption(args, "meals", 3);
  const trace = args.includes("--trace");
  try {
    const seated = await dine({
      philosophers,
      meals,
      onEvent: trace ? (e) => console.log(`${e.kind} ${e.philosopher} ${e.forks.join(" ")}`) : undefined,
    });
    for (const p of seated) console.log(`${p.name} ate ${p.eaten} meals (found a fork in use ${p.missed} times, lost the race ${p.conflicts} times)`);
    const total = seated.reduce((s, p) => s + p.eaten, 0);
    console.log(`total meals: ${total} (${philosophers} philosophers × ${meals} meals)`);
  } catch (e) {
    console.error(`dining-philosophers: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(e instanceof RangeError ? 2 : 1);
  }
}
