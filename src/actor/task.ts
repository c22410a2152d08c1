/**
 * Task (PyWorks' Task): an Actor with a controlled start-up sequence, a
 * typed configuration, and a replaceable State object that handles its calls.
 *
 * ```ts
 * class Light extends Task<{ watts: number }> {
 *   override onConfigure(c: { watts: number }) { if (c.watts <= 0) throw new Error("watts must be > 0"); }
 *   override onStart() { this.become(new Off(this)); }
 * }
 * class Off { constructor(readonly light: Light) {} on() { this.light.become(new On(this.light)); return "on"; } }
 * class On  { constructor(readonly light: Light) {} off() { this.light.become(new Off(this.light)); return "off"; } }
 * Light.create({ config: { watts: 60 } }).named("light").activate();
 * await actor<Off & On>("light").on();     // "on"
 * await actor<Off & On>("light").on();     // rejects: UnhandledCallError (state On does not handle "on")
 * ```
 *
 * @module
 */
import type { Wait } from "../core/index.js";
import { Actor } from "./actor.js";
import { ActorArgumentError, TaskLifecycleError, describe } from "./errors.js";
import { reserve } from "./methods.js";
import type { NoOutputs } from "./types.js";

/** Where a Task is in its life: configure → start → running → stop → stopped. */
export type TaskPhase = "new" | "configure" | "start" | "running" | "stop" | "stopped";

/**
 * A Task runs its hooks in order, each may be async (the task waits for it,
 * and calls that arrive meanwhile wait in its inbox):
 *
 * 1. `onConfigure(config)` — check and apply the typed configuration (set
 *    with `Task.create({ config })`); throw to refuse it.
 * 2. `onStart()` — acquire resources, `observe` other actors, pick the
 *    first State.
 * 3. `onRunning()` — the task now answers calls, starting with those that
 *    waited; this runs first (a good place to call other actors).
 * 4. `onStop()` — on shutdown or `stop()`: release what `onStart` took.
 *
 * A hook that throws fails the task with a {@link TaskLifecycleError}
 * naming the task and the hook (a Supervisor can restart it).
 *
 * Calls are handled by the current State (`state`, the task itself until
 * `become(next)` is called): a call the State has no method for is refused
 * with an {@link UnhandledCallError} naming the task, the State and the
 * method, and the task keeps serving.
 */
export class Task<Config = undefined, O extends object = NoOutputs> extends Actor<O> {
  /** The configuration, handed to `onConfigure` (set it with `Task.create({ config })`). */
  config!: Config;
  /** The object handling calls now: the task itself until {@link become} is called. */
  get state(): object {
    return this.#state ?? this;
  }
  #state: object | null = null;
  /** Where the task is in its life. */
  get phase(): TaskPhase {
    return this.#phase;
  }
  #phase: TaskPhase = "new";

  /** Hand the calls that come next to `next` (the State pattern). @throws ActorArgumentError if `next` is not an object. */
  become(next: object): void {
    if (typeof next !== "object" || next === null) throw new ActorArgumentError(`${this.name}.become(): a State must be an object with methods, got ${describe(next)}`);
    this.#state = next === this ? null : next;
  }

  /** Check and apply the configuration; throw to refuse it. */
  onConfigure(config: Config): void | Promise<void> {
    void config;
  }

  /** Acquire resources, observe other actors, choose the first State. */
  onStart(): void | Promise<void> {}

  /** The task answers calls from now on; runs before the first one. */
  onRunning(): void | Promise<void> {}

  /** Release what `onStart` acquired (runs on shutdown and on `stop()`). */
  onStop(): void | Promise<void> {}

  protected override handler(): object {
    return this.state;
  }

  override *main(): Wait<unknown> {
    let started = false;
    const startUp = function* (this: Task<Config, O>): Wait {
      yield* this.#hook("configure", "onConfigure", () => this.onConfigure(this.config));
      yield* this.#hook("start", "onStart", () => this.onStart());
      started = true;
      yield* this.#hook("running", "onRunning", () => this.onRunning());
    };
    try {
      return yield* this.serve(() => startUp.call(this));
    } finally {
      if (started) yield* this.#hook("stop", "onStop", () => this.onStop());
      this.#phase = "stopped";
    }
  }

  *#hook(phase: TaskPhase, name: string, run: () => void | Promise<void>): Wait {
    this.#phase = phase;
    try {
      const r = run();
      if (r !== undefined && typeof (r as PromiseLike<void>).then === "function") yield* this.waitFor(r);
    } catch (e) {
      throw new TaskLifecycleError(this.name, name, e);
    }
  }
}

reserve(Task.prototype);
