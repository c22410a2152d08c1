/** Helpers shared by the util tests. */
import type { Outbox } from "../../src/index.js";
import { Component } from "../../src/index.js";
import type { Harness } from "../../src/testing/index.js";

/** Resolve with `p`, or reject if it takes longer than `ms` (a generous bound, not a timing assertion). */
export function bounded<T>(p: Promise<T>, ms = 10_000, what = "the system"): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

/** Run the harness's system by itself until every component has finished. */
export function runAll(h: Harness, ms = 10_000): Promise<void> {
  return bounded(h.run(), ms);
}

/** A component that does nothing: tests use its inboxes as sinks. */
export class Idle<I = unknown, O = unknown> extends Component<I, O> {
  *main(): Generator<unknown, void, unknown> {
    for (;;) {
      this.pause();
      yield;
    }
  }
}

/** Collect several outboxes at once. */
export function collectAll(h: Harness, boxes: readonly Outbox<unknown>[]): { messages: unknown[] }[] {
  return boxes.map((b) => h.collect(b));
}
