/**
 * The component test harness: drive a component (or a whole graph) by hand.
 *
 * ```ts
 * const h = new Harness();
 * const up = h.activate(new Upper());
 * const out = h.collect(up.outbox);
 * h.send(up, "inbox", "a", "b");
 * h.runUntilIdle();
 * assert.deepEqual(out.messages, ["A", "B"]);
 * ```
 *
 * The harness owns a {@link System} whose scheduler never runs by itself: you
 * step it (`step`, `cycle`, `runUntilIdle`), so every run is deterministic.
 * For async components, whose continuations run as microtasks, use `settle()`.
 * Failures no parent handled are kept in `failures` instead of being thrown.
 *
 * @module
 */
import type { Outbox } from "../core/box.js";
import { Inbox } from "../core/box.js";
import { Component, type AnyComponent } from "../core/component.js";
import type { ComponentFailure } from "../core/errors.js";
import { KamaeliaError } from "../core/errors.js";
import type { ControlMessage } from "../core/ipc.js";
import { System } from "../core/system.js";

/** A sink that is never scheduled: it only owns the inboxes the harness collects into. */
class CollectorSink extends Component<unknown, never> {
  *main(): Generator<unknown, void, unknown> {
    return;
  }
}

/** What a collected outbox has produced so far. */
export class Collected<M> {
  private readonly kept: M[] = [];

  constructor(private readonly inbox: Inbox<M>) {}

  /**
   * Every message the outbox has sent since `collect`, oldest first. Reading
   * it collects whatever has arrived (which makes room, and so wakes a
   * producer waiting for it); the array is the same one each time.
   */
  get messages(): M[] {
    this.take();
    return this.kept;
  }

  /** Collect whatever has arrived (it joins `messages`), and return just those newly arrived. */
  take(): M[] {
    const fresh = this.inbox.takeAll() as M[];
    for (const m of fresh) this.kept.push(m);
    return fresh;
  }

  /** How many messages wait uncollected. */
  get pending(): number {
    return this.inbox.length;
  }

  /** Limit how many uncollected messages may wait (to test backpressure); `undefined` removes it. */
  setLimit(limit: number | undefined): void {
    this.inbox.setSize(limit);
  }
}

/** A deterministic driver for components under test. */
export class Harness {
  /** The system the components under test run on. */
  readonly system = new System();
  /** Failures that reached the top of the system. */
  readonly failures: ComponentFailure[] = [];
  private readonly sink = new CollectorSink();
  private collectors = 0;

  constructor() {
    this.system.scheduler.auto = false;
    this.system.onFailure = (f) => this.failures.push(f);
  }

  /** Activate a component on the harness's system and return it. */
  activate<C extends AnyComponent>(component: C): C {
    return component.activate(this.system);
  }

  /**
   * Deliver messages into one of a component's inboxes, as a linked sender
   * would (a passthrough inbox delivers to the end of its chain).
   * @throws BoxFullError if the box fills up; earlier messages stay delivered.
   */
  send(component: AnyComponent, box: string, ...messages: unknown[]): void {
    const target = component.inboxNamed(box).final;
    for (const m of messages) target.deliver(m, "the test harness");
  }

  /** Send a control message (producerFinished, shutdownMicroprocess, …) to a component's `control`. */
  control(component: AnyComponent, ...messages: ControlMessage[]): void {
    this.send(component, "control", ...messages);
  }

  /** Link an outbox into a collector, and return it: what the outbox sends from now on is kept there. */
  collect<M>(outbox: Outbox<M>): Collected<M> {
    const inbox = this.sink.addInbox<M>(`collect${++this.collectors}`, `what ${outbox} sent`);
    this.sink.link(outbox, inbox);
    return new Collected<M>(inbox);
  }

  /** Run one component for one step; false when nothing was runnable. */
  step(): boolean {
    return this.system.scheduler.stepOne();
  }

  /** Run one scheduler cycle; returns the number of steps. */
  cycle(): number {
    return this.system.scheduler.cycle();
  }

  /**
   * Step until nothing is runnable. Returns the number of steps taken.
   * @throws KamaeliaError if `maxSteps` pass first (a component that never pauses).
   */
  runUntilIdle(maxSteps = 10_000_000): number {
    let n = 0;
    while (this.system.scheduler.stepOne()) {
      if (++n >= maxSteps) throw new KamaeliaError("HARNESS_LIMIT", `still runnable after ${maxSteps} steps`);
    }
    return n;
  }

  /**
   * Run until nothing is runnable and no async work is pending: steps the
   * scheduler and lets promise continuations and timers that are already due
   * run, until a round makes no progress. Returns the number of steps.
   */
  async settle(maxRounds = 10_000): Promise<number> {
    let total = 0;
    for (let round = 0; round < maxRounds; round++) {
      const n = this.runUntilIdle();
      total += n;
      await new Promise<void>((r) => setImmediate(r));
      if (n === 0 && !this.system.scheduler.hasWork()) return total;
    }
    throw new KamaeliaError("HARNESS_LIMIT", `still busy after ${maxRounds} rounds`);
  }

  /** Let the scheduler run by itself, and resolve when the system has finished (see System.run). */
  run(): Promise<void> {
    this.system.scheduler.start();
    return this.system.run();
  }

  /** The names of the components still active. */
  alive(): string[] {
    return this.system.components().map((c) => c.name);
  }
}
