/**
 * Supervisor: restart components that fail, as Erlang/OTP supervisors do.
 *
 * ```ts
 * Pipeline(source, Supervisor({ children: [() => new Parser(), () => new Store(db)],
 *   strategy: "one-for-one", intensity: { maxRestarts: 3, withinMs: 5000 } }), sink).run();
 * ```
 *
 * The children are made from factories and wired in a line, like a
 * Pipeline: the Supervisor's `inbox` passes through to the first child,
 * each child's `outbox`/`signal` feed the next one's `inbox`/`control`, and
 * the last child's `outbox` passes out of the Supervisor's.
 *
 * When a child throws (or a component inside it does), it is replaced by a
 * new one from its factory and linked in its place; with `"all-for-one"`
 * every child is replaced. Messages waiting unread in a replaced child's
 * inbox and control are handed to its replacement, so nothing is lost but
 * the message the failed child was handling (and, for the children stopped
 * by all-for-one, whatever they held in their hands). For a child that is
 * itself a chassis, what waits at its entrance is handed over; messages
 * already inside it, between its own children, are lost with it. The rest
 * of the system keeps running. A child that finishes normally is not
 * restarted.
 *
 * Restart intensity: more than `maxRestarts` restarts within `withinMs`
 * milliseconds and the Supervisor gives up: it stops its children and fails
 * itself with a {@link RestartLimitError} (carrying the last failure), so
 * its own parent, or `run()`, hears of it.
 *
 * Shutdown: `producerFinished` goes to the first child and travels along
 * the line as in a Pipeline (a child that fails meanwhile is still
 * restarted, and its replacement told to finish); `shutdownMicroprocess`
 * stops every child at once, and a failure after it is only reported, as
 * `ErrorInformation` on `signal`. When every child has finished, the message
 * (or, if the children finished by themselves, a new `producerFinished`)
 * goes out of `signal`.
 *
 * @module
 */
import type { Box, Inbox } from "../core/box.js";
import { Component, type AnyComponent, type Wait } from "../core/component.js";
import { ComponentFailure, KamaeliaError } from "../core/errors.js";
import { ErrorInformation, producerFinished, type ControlMessage } from "../core/ipc.js";
import { shutdownKind, type ShutdownKind } from "../core/shutdown.js";
import type { InOf, OutOf } from "../core/types.js";
import { passOnErrors } from "./pass-on-errors.js";
import { ChassisArgumentError, describeArgument } from "./argument-error.js";
import type { LastOf } from "./pipeline.js";

/** `"one-for-one"`: replace only the child that failed. `"all-for-one"`: replace every child. */
export type RestartStrategy = "one-for-one" | "all-for-one";

/** At most `maxRestarts` restarts within any `withinMs` milliseconds. */
export interface RestartIntensity {
  /** How many restarts are allowed within the window (0: give up at the first failure). */
  maxRestarts: number;
  /** The window, in milliseconds. */
  withinMs: number;
}

/**
 * What a Supervisor is made from.
 * @typeParam Fs The children's factories, as a tuple, so each child's type is known.
 */
export interface SupervisorOptions<Fs extends readonly (() => AnyComponent)[] = readonly (() => AnyComponent)[]> {
  /** Factories for the children, in line order; each is called again to restart its child. */
  children: Fs;
  /** Default `"one-for-one"`. */
  strategy?: RestartStrategy;
  /** Default 3 restarts within 5000 ms. */
  intensity?: RestartIntensity;
  /** Milliseconds now (default `performance.now`); tests pass a fake clock. */
  clock?: () => number;
}

/** A Supervisor gave up: too many restarts too quickly, or a factory failed. `cause` is the last failure. */
export class RestartLimitError extends KamaeliaError {
  constructor(message: string, cause: unknown) {
    super("RESTART_LIMIT", message, { cause });
  }
}

/** The Supervisor component; make one with {@link Supervisor}. */
export class SupervisorComponent<In = unknown, Out = unknown> extends Component<In, Out> {
  static override inboxes = {
    inbox: "passed through to the first child",
    control: "producerFinished: passed to the first child, travels along the line; shutdownMicroprocess: stops every child now",
  };
  static override outboxes = {
    outbox: "what the last child sends",
    signal: "ErrorInformation the last child reports; once every child has finished, the shutdown message received or producerFinished",
  };

  /** The children's factories, in line order. */
  readonly factories: readonly (() => AnyComponent)[];
  /** The restart strategy. */
  readonly strategy: RestartStrategy;
  /** The restart intensity limit. */
  readonly intensity: Readonly<RestartIntensity>;
  /** How many restarts have been made (all-for-one counts one per failure). */
  restarts = 0;
  /** The failures that caused restarts, oldest first. */
  readonly failures: ComponentFailure[] = [];
  private readonly clock: () => number;
  private current: AnyComponent[] = [];
  private restartTimes: number[] = [];
  private givingUp: RestartLimitError | null = null;
  private told: ShutdownKind = null;
  private readonly toFirst = this.addOutbox<ControlMessage>("firstControl", "shutdown messages for the first child");
  private readonly fromLast = this.addInbox<ControlMessage>("lastSignal", "what the last child sends from its signal");

  /** @throws ChassisArgumentError for no children, a factory that is not a function, an unknown strategy or a bad intensity. */
  constructor(options: SupervisorOptions) {
    super();
    const o: Partial<SupervisorOptions> = options ?? {};
    const fs = o.children;
    if (!Array.isArray(fs) || fs.length === 0) {
      throw new ChassisArgumentError(`${this.name}: a Supervisor needs children: a non-empty array of factories, got ${describeArgument(fs)}`);
    }
    fs.forEach((f: unknown, i) => {
      if (typeof f !== "function") throw new ChassisArgumentError(`${this.name}: children[${i}] must be a factory function (() => component), got ${describeArgument(f)}`);
    });
    const strategy = o.strategy ?? "one-for-one";
    if (strategy !== "one-for-one" && strategy !== "all-for-one") {
      throw new ChassisArgumentError(`${this.name}: unknown restart strategy ${describeArgument(strategy)}; use "one-for-one" or "all-for-one"`);
    }
    const intensity = o.intensity ?? { maxRestarts: 3, withinMs: 5000 };
    const { maxRestarts, withinMs } = intensity ?? {};
    if (typeof maxRestarts !== "number" || !Number.isInteger(maxRestarts) || maxRestarts < 0) {
      throw new ChassisArgumentError(`${this.name}: intensity.maxRestarts must be a whole number ≥ 0, got ${describeArgument(maxRestarts)}`);
    }
    if (typeof withinMs !== "number" || !Number.isFinite(withinMs) || withinMs <= 0) {
      throw new ChassisArgumentError(`${this.name}: intensity.withinMs must be a finite number of milliseconds > 0, got ${describeArgument(withinMs)}`);
    }
    if (o.clock !== undefined && typeof o.clock !== "function") {
      throw new ChassisArgumentError(`${this.name}: clock must be a function returning milliseconds, got ${describeArgument(o.clock)}`);
    }
    this.factories = fs;
    this.strategy = strategy;
    this.intensity = { maxRestarts, withinMs };
    this.clock = o.clock ?? (() => performance.now());
  }

  /** The children now running (or finished), in line order. */
  children(): readonly AnyComponent[] {
    return this.current;
  }

  *main(): Wait {
    this.current = this.factories.map((_, i) => this.make(i));
    this.addChildren(...this.current);
    for (let i = 0; i < this.current.length; i++) this.wireIn(i);
    for (let i = 0; i + 1 < this.current.length; i++) this.wireLink(i);
    this.wireOut(this.current.length - 1);
    for (const c of this.current) c.activate(this.system!);

    for (;;) {
      if (this.givingUp !== null) {
        for (const c of this.current) this.discard(c);
        throw this.givingUp;
      }
      const kind = this.checkShutdown();
      if (kind === "stop" && this.told !== "stop") {
        for (const c of this.current) c.stop();
        this.told = "stop";
      } else if (kind === "finish" && this.told === null) {
        this.toFirst.send(this.shutdownMessage!);
        this.told = "finish";
      }
      passOnErrors(this, this.fromLast);
      if (this.current.every((c) => c.isFinished())) break;
      this.pause();
      yield;
    }
    this.childrenDone();
    passOnErrors(this, this.fromLast);
    this.passOnShutdown();
  }

  /** A child (or something inside it) threw: restart, unless shutting down or over the limit. */
  protected override childFailed(child: AnyComponent, failure: ComponentFailure): void {
    const i = this.current.indexOf(child);
    if (i < 0 || this.givingUp !== null) return;
    if (this.told === "stop") {
      // Everything is being stopped: no restarts, but the failure is still reported.
      this.send(new ErrorInformation(this, failure), "signal");
      return;
    }
    this.failures.push(failure);
    const now = this.clock();
    this.restartTimes = this.restartTimes.filter((t) => now - t < this.intensity.withinMs);
    if (this.restartTimes.length >= this.intensity.maxRestarts) {
      const { maxRestarts, withinMs } = this.intensity;
      this.givingUp = new RestartLimitError(
        `${this.name} gave up: ${child.name} failed after ${this.restartTimes.length} restart(s) within ${withinMs} ms (limit ${maxRestarts}): ${failure.message}`,
        failure,
      );
      this.unpause();
      return;
    }
    this.restartTimes.push(now);
    this.restarts++;
    try {
      if (this.strategy === "one-for-one") {
        this.replace(i);
        this.wireIn(i);
        if (i > 0) this.wireLink(i - 1);
        if (i + 1 < this.current.length) this.wireLink(i);
        else this.wireOut(i);
        this.current[i]!.activate(this.system!);
      } else {
        // Every child still running (and the failed one) is replaced; one that finished
        // normally has done its work, and making it again would repeat it.
        const redo = this.current.map((c, j) => j === i || !c.isFinished());
        for (let j = 0; j < this.current.length; j++) if (redo[j]) this.replace(j);
        for (let j = 0; j < this.current.length; j++) if (redo[j]) this.wireIn(j);
        for (let j = 0; j + 1 < this.current.length; j++) if (redo[j] || redo[j + 1]) this.wireLink(j);
        if (redo[this.current.length - 1]) this.wireOut(this.current.length - 1);
        for (let j = 0; j < this.current.length; j++) if (redo[j]) this.current[j]!.activate(this.system!);
      }
    } catch (e) {
      this.givingUp = new RestartLimitError(`${this.name} gave up: restarting after ${child.name} failed went wrong: ${(e as Error).message ?? String(e)}`, e);
      this.unpause();
    }
  }

  private make(i: number): AnyComponent {
    const c: unknown = this.factories[i]!();
    if (!(c instanceof Component)) throw new ChassisArgumentError(`${this.name}: children[${i}] returned ${describeArgument(c)}, not a component`);
    return c as AnyComponent;
  }

  /** Swap child `i` for a new one from its factory, moving over what it had not read. */
  private replace(i: number): void {
    const old = this.current[i]!;
    const data = this.salvage(old, old.inbox);
    const control = this.salvage(old, old.control);
    this.discard(old);
    const fresh = this.make(i);
    this.current[i] = fresh;
    this.addChildren(fresh);
    // If the finish already went past this position, the old child may have taken it: give the new one its own.
    const finishPassed = i === 0 ? this.told !== null : this.current[i - 1]!.isFinished();
    if (finishPassed && !control.some((m) => shutdownKind(m) !== null)) control.push(producerFinished(this));
    fresh.inbox.accept(data);
    fresh.control.accept(control);
  }

  /** Take the messages waiting unread where `box`'s chain ends, if that is inside `child`. */
  private salvage(child: AnyComponent, box: Inbox): unknown[] {
    const end = box.final;
    for (let o: unknown = end.owner; o instanceof Component; o = o.parent) {
      if (o === child) return end.takeAll();
    }
    return [];
  }

  private discard(c: AnyComponent): void {
    this.removeChild(c);
    if (!c.isFinished()) c.stop();
  }

  /** Child 0 gets the Supervisor's inbox and control; the others are fed by their neighbours. */
  private wireIn(i: number): void {
    const c = this.current[i]!;
    if (i === 0) {
      this.link(this.inbox, c.inbox);
      this.link(this.toFirst, c.control);
    }
  }

  private wireLink(i: number): void {
    const a = this.current[i]!;
    const b = this.current[i + 1]!;
    this.link(a.outbox, b.inbox);
    this.link(a.signal, b.control);
  }

  private wireOut(i: number): void {
    const c = this.current[i]!;
    this.link(c.outbox as Box, this.outbox);
    this.link(c.signal, this.fromLast);
  }
}

/**
 * Make a Supervisor over children made by the given factories, wired in a
 * line, restarted on failure by the chosen strategy within the intensity limit.
 * @typeParam Fs The children's factories, as a tuple, so the Supervisor's box types are the line's.
 */
export function Supervisor<const Fs extends readonly [() => AnyComponent, ...(() => AnyComponent)[]]>(
  options: SupervisorOptions<Fs>,
): SupervisorComponent<InOf<Made<Fs[0]>>, OutOf<Made<LastOf<Fs>>>> {
  return new SupervisorComponent<InOf<Made<Fs[0]>>, OutOf<Made<LastOf<Fs>>>>(options);
}

/** The component type a factory makes. */
export type Made<F> = F extends () => infer C ? C : never;
