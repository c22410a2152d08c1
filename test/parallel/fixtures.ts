/**
 * Components the parallel tests run on worker threads and in child
 * processes (code cannot cross, so they are named by this module and export).
 */
import { threadId } from "node:worker_threads";
import { Component, Pipeline, PureTransformer, type Wait } from "../../src/index.js";

/** Doubles numbers; fails on a negative one. */
export class Doubler extends Component<number, number> {
  *main(): Wait {
    yield* this.processMessages((n) => {
      if (n < 0) throw new RangeError(`Doubler cannot take ${n}`);
      if (n === 999_999) process.exit(3);
      return this.waitSend(n * 2);
    });
  }
}

/** A Pipeline made by a factory: adds `by`, then doubles. */
export function AddThenDouble(by: number): Component<number, number> {
  return Pipeline(PureTransformer((n: number) => n + by), new Doubler());
}

/** Sends `count` numbers as fast as its outbox has room, then finishes (a producer on the far side). */
export class Counter extends Component<never, number> {
  constructor(readonly count: number) {
    super();
  }
  *main(): Wait {
    for (let i = 0; i < this.count; i++) yield* this.waitSend(i);
    this.send(this.shutdownMessage ?? new (class extends Object {})() as never, "signal");
  }
}

/** Reports the size of each ArrayBuffer it gets, and sends it back (so transfer can be seen both ways). */
export class BufferEcho extends Component<ArrayBuffer, { size: number; buf: ArrayBuffer }> {
  *main(): Wait {
    yield* this.processMessages((b) => this.waitSend({ size: b.byteLength, buf: b }));
  }
}

/** Has an extra inbox `config` and outbox `log`: echoes config lines to log, numbers to outbox. */
export class TwoBoxes extends Component<number, number> {
  static override inboxes = { inbox: "numbers", control: "shutdown", config: "strings" };
  static override outboxes = { outbox: "numbers + 1", signal: "shutdown", log: "config strings, upper-cased" };
  readonly config = this.addInbox<string>("config");
  readonly log = this.addOutbox<string>("log");
  *main(): Wait {
    for (;;) {
      while (this.dataReady(this.config)) this.send(this.recv(this.config).toUpperCase(), this.log);
      while (this.dataReady()) yield* this.waitSend(this.recv() + 1);
      const k = this.checkShutdown();
      if (k === "stop" || (k === "finish" && !this.dataReady() && !this.dataReady(this.config))) break;
      this.pause();
      yield;
    }
    this.passOnShutdown();
  }
}

/** Throws while being built. */
export class BadConstructor extends Component {
  constructor() {
    super();
    throw new Error("cannot build me");
  }
  *main(): Wait {}
}

/** Not a component. */
export const notAComponent = 42;

/** Crashes the whole thread/process at start, outside any component. */
export function CrashAtStart(): Component {
  setImmediate(() => process.exit(7));
  return new Doubler();
}

/** Answers `[n, "pid:threadId"]` after burning `n % 5` × 0.2 ms of CPU (so members finish out of order). */
export class Jitter extends Component<number, [number, string]> {
  *main(): Wait {
    yield* this.processMessages((n) => {
      const end = performance.now() + (n % 5) * 0.2;
      while (performance.now() < end);
      return this.waitSend([n, `${process.pid}:${threadId}`]);
    });
  }
}

/** Answers every message with something that cannot be copied back (a function; a BigInt for JSON). */
export class SendsUncopyable extends Component<number, unknown> {
  *main(): Wait {
    yield* this.processMessages((n) => this.waitSend(n === 0 ? () => n : BigInt(n)));
  }
}

/** For each number, how many more wait in its inbox as it starts on it (is the next one already here while it works?). */
export class Lookahead extends Component<number, number> {
  *main(): Wait {
    yield* this.processMessages(() => this.waitSend(this.dataReady()));
  }
}

/** Sends on what it gets; on "block" it first blocks its thread until `flag[0]` (shared memory) is set, so a test can hold one member busy. */
export class Blocker extends Component<string | number, string | number> {
  constructor(readonly flag: Int32Array) {
    super();
  }
  *main(): Wait {
    yield* this.processMessages((m) => {
      if (m === "block") Atomics.wait(this.flag, 0, 0);
      return this.waitSend(m);
    });
  }
}
