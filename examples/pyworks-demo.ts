/**
 * The PyWorks demo idea, in TypeScript: a few Tasks that call each other
 * through proxies, wait on futures, observe each other, and switch State.
 *
 *   npx tsx examples/pyworks-demo.ts
 *
 * - `math` (an Actor) does sums; `worker` (a Task, configured with a
 *   speed-up factor) calls `math` through a proxy, waits on the future, and
 *   announces each finished job as an output.
 * - `logger` observes `worker`: it must implement every output method of
 *   Worker (`jobDone`), or it would not compile.
 * - `client` (a Task, configured with its jobs) sends them all to `worker`
 *   at once when it is running, and waits on the futures together.
 * - `door` handles its calls with State objects (Closed, Open, Locked) that
 *   replace one another; a call its State does not handle is refused.
 * - A call with a short timeout, and one to an actor nobody started, show
 *   the errors a caller gets.
 * Then everything is shut down, each Task's onStop runs, and it exits 0.
 */
import { System } from "../src/index.js";
import { Actor, Task, actor, notify, timeout } from "../src/actor/index.js";

const say = (who: string, what: string): void => console.log(`${who.padEnd(7)}| ${what}`);

/** A plain Actor: its methods run in its own step, one call at a time. */
class MathActor extends Actor {
  add(a: number, b: number): number {
    return a + b;
  }
  async slowSquare(n: number): Promise<number> {
    await new Promise((r) => setTimeout(r, 200));
    return n * n;
  }
}

/** What a Worker announces to its observers. */
interface WorkerOutputs {
  jobDone(job: string, result: number): void;
}

/** Sums a list by calling `math` for each step; announces each result. */
class Worker extends Task<{ factor: number }, WorkerOutputs> {
  override config = { factor: 1 };
  jobs = 0;
  override onConfigure(c: { factor: number }): void {
    if (!(c.factor > 0)) throw new RangeError(`factor must be > 0, got ${c.factor}`);
    say(this.name, `configured (factor ${c.factor})`);
  }
  override onStart(): void {
    say(this.name, "started");
  }
  override onRunning(): void {
    say(this.name, "running: answering calls");
  }
  override onStop(): void {
    say(this.name, `stopped after ${this.jobs} jobs`);
  }
  async work(job: string, numbers: number[]): Promise<number> {
    const math = this.actor<MathActor>("math");
    let total = 0;
    for (const n of numbers) total = await math.add(total, n * this.config.factor);
    this.jobs++;
    this.output.jobDone(job, total);
    return total;
  }
}

/** Observes the worker; as a listener it implements all of Worker's outputs. */
class Logger extends Task {
  lines: string[] = [];
  override onStart(): void {
    this.observe<Worker>("worker");
    say(this.name, "observing worker");
  }
  jobDone(job: string, result: number): void {
    this.lines.push(`${job}=${result}`);
    say(this.name, `heard: ${job} done, result ${result}`);
  }
  note(text: string): void {
    say(this.name, `note: ${text}`);
  }
  count(): number {
    return this.lines.length;
  }
}

/** Sends its configured jobs to the worker when it is running, and waits on the futures. */
class Client extends Task<{ jobs: Record<string, number[]> }> {
  override config: { jobs: Record<string, number[]> } = { jobs: {} };
  #done: Promise<number[]> | null = null;
  override onRunning(): void {
    const worker = this.actor<Worker>("worker");
    const names = Object.keys(this.config.jobs);
    say(this.name, `sending ${names.length} jobs to worker`);
    this.#done = Promise.all(names.map((job) => worker.work(job, this.config.jobs[job]!)));
    notify(this.actor<Logger>("logger")).note(`${this.name} sent ${names.join(", ")}`);
  }
  /** The futures of the jobs sent, settled. */
  async results(): Promise<number[]> {
    return this.#done ?? [];
  }
}

/** A door whose behaviour is its State: Closed, Open or Locked. */
class Door extends Task {
  override onStart(): void {
    this.become(new Closed(this));
  }
  enter(state: string): void {
    say(this.name, `now ${state}`);
  }
}
class Closed {
  constructor(readonly door: Door) {}
  open(): string {
    this.door.become(new Open(this.door));
    this.door.enter("open");
    return "opened";
  }
  lock(key: string): string {
    this.door.become(new Locked(this.door, key));
    this.door.enter("locked");
    return "locked";
  }
}
class Open {
  constructor(readonly door: Door) {}
  close(): string {
    this.door.become(new Closed(this.door));
    this.door.enter("closed");
    return "closed";
  }
}
class Locked {
  constructor(
    readonly door: Door,
    readonly key: string,
  ) {}
  unlock(key: string): string {
    if (key !== this.key) throw new Error("wrong key");
    this.door.become(new Closed(this.door));
    this.door.enter("closed (unlocked)");
    return "unlocked";
  }
}
type DoorApi = Closed & Open & Locked;

const system = new System();
new MathActor().named("math").activate(system);
Worker.create({ config: { factor: 10 } }).named("worker").activate(system);
new Logger().named("logger").activate(system);
Client.create({ config: { jobs: { small: [1, 2, 3], large: [100, 200] } } }).named("client").activate(system);
new Door().named("door").activate(system);

const results = await actor<Client>("client", { system }).results();
say("main", `client's futures settled: ${results.join(", ")}`);
say("main", `logger heard ${await actor<Logger>("logger", { system }).count()} outputs`);

const door = actor<DoorApi>("door", { system });
say("main", `door.open() → ${await door.open()}`);
await door.lock("k1").catch((e: Error) => say("main", `door.lock() refused: ${e.message}`));
say("main", `door.close() → ${await door.close()}`);
say("main", `door.lock("k1") → ${await door.lock("k1")}`);
await door.unlock("k2").catch((e: Error) => say("main", `door.unlock("k2") failed: ${e.message}`));
say("main", `door.unlock("k1") → ${await door.unlock("k1")}`);

const math = actor<MathActor>("math", { system });
await timeout(math, 20)
  .slowSquare(7)
  .catch((e: Error) => say("main", `timed out: ${e.message}`));
say("main", `math.slowSquare(7) with time to spare → ${await math.slowSquare(7)}`);
await actor<MathActor>("abacus", { system, timeout: 50 })
  .add(1, 1)
  .catch((e: Error) => say("main", `no such actor: ${e.message}`));

say("main", `running: ${system.components().map((c) => c.name).join(", ")}`);
system.stop();
await system.run();
say("main", "every task has stopped");
