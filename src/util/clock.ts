/**
 * Clock: tick at a fixed interval.
 *
 * @module
 */
import { Component } from "../core/component.js";
import { ArgumentError } from "./errors.js";
import { sleepOrControl } from "./sleep-or-control.js";

/**
 * Sends a tick every `interval` milliseconds: the tick's number, counting
 * from 1 (Kamaelia's `CheapAndCheerfulClock` sent `True`). Ticks are
 * scheduled from the start time, so they do not drift; if the consumer is
 * bounded and full, the clock waits for room (the tick is late, not lost).
 * It ends after `count` ticks (default: never), or on any shutdown message,
 * answered at once (there is nothing waiting to finish).
 *
 * Boxes: `outbox` number, the tick count; `signal`: producerFinished after the
 * last tick, or the shutdown message received; `control`: shutdown messages.
 */
export class Clock extends Component<never, number> {
  static override inboxes = {
    inbox: "not used",
    control: "producerFinished or shutdownMicroprocess: stop ticking now",
  };
  static override outboxes = {
    outbox: "the tick number, 1, 2, 3, … every interval",
    signal: "producerFinished after the last tick (or the shutdown message received)",
  };

  /** Milliseconds between ticks (default 1000). */
  readonly interval: number = 1000;
  /** How many ticks to send before finishing (default: no end). */
  readonly count: number = Infinity;

  /**
   * `new Clock(250)`, `new Clock(250, 4)`, or with settings:
   * `Clock.create({ interval: 250, count: 4 })`.
   * @throws ArgumentError unless `interval` is a positive number and `count` a positive integer or Infinity.
   */
  constructor(interval?: number, count?: number) {
    super();
    if (interval !== undefined) this.interval = interval;
    if (count !== undefined) this.count = count;
    this.#check();
  }

  /** The settings may have come from `create`, after the constructor: check them again before ticking. */
  #check(): void {
    const { interval, count } = this;
    if (typeof interval !== "number" || !(interval > 0) || !Number.isFinite(interval)) {
      throw new ArgumentError(this.name, "the interval (ms)", "a positive number", interval);
    }
    if (count !== Infinity && (!Number.isInteger(count) || count <= 0)) {
      throw new ArgumentError(this.name, "the count", "a positive integer (or Infinity)", count);
    }
  }

  async main(): Promise<void> {
    this.#check();
    const start = performance.now();
    for (let tick = 1; tick <= this.count; tick++) {
      await sleepOrControl(this, start + tick * this.interval - performance.now());
      if (this.checkShutdown() !== null) break;
      await this.sendAsync(tick);
    }
    this.passOnShutdown();
  }
}
