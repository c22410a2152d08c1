/** Helpers for the parallel tests: a collecting sink, a source, polling with a deadline, process liveness. */
import { Component, System, type Ipc, type Wait } from "../../src/index.js";
import { onCleanup } from "../support/cleanup.js";

/** Sends `items` (waiting for room), then producerFinished. */
export class Source<T> extends Component<never, T> {
  constructor(readonly items: readonly T[]) {
    super();
  }
  *main(): Wait {
    for (const x of this.items) yield* this.waitSend(x);
    this.passOnShutdown();
  }
}

/** Keeps what arrives on inbox and control. */
export class Sink<T> extends Component<T, never> {
  readonly got: T[] = [];
  readonly signals: Ipc[] = [];
  *main(): Wait {
    for (;;) {
      while (this.dataReady()) this.got.push(this.recv());
      while (this.dataReady("control")) this.signals.push(this.recv("control"));
      if (this.signals.length > 0 && !this.dataReady()) return;
      this.pause();
      yield;
    }
  }
}

/** Poll `cond` every 10 ms until true; fail after `ms`. */
export async function until(cond: () => boolean, ms = 60_000, what = "condition"): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Whether a process id is alive. */
export function alive(pid: number | undefined): boolean {
  if (pid === undefined) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** 0..n-1. */
export function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

/** The fixtures module, by URL. */
export const FIXTURES = new URL("./fixtures.ts", import.meta.url);

/** A fresh System that is stopped after the test, pass or fail (its proxies then end their threads and processes). */
export function system(): System {
  const s = new System();
  onCleanup(() => s.stop());
  return s;
}
