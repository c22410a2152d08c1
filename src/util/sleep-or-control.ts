/**
 * A sleep that a control message cuts short, for async components that
 * wait on time (Clock, MessageRateLimit) but must answer shutdown at once.
 *
 * @module
 */
import type { Component } from "../core/component.js";

/**
 * Resolve after `ms` milliseconds, or as soon as a message is waiting on
 * `component`'s `control`, whichever is first. Rejects (with StoppedError)
 * if the component is stopped.
 */
export async function sleepOrControl<I, O>(component: Component<I, O>, ms: number): Promise<void> {
  if (component.dataReady("control") > 0) return;
  // Whichever wait loses is abandoned through this signal, so no waiter or timer is left behind.
  const loser = new AbortController();
  const timer = component.sleepAsync(Math.max(0, ms), { signal: loser.signal });
  const control = component.readyAsync(["control"], { signal: loser.signal });
  try {
    await Promise.race([timer, control]);
  } finally {
    loser.abort();
    timer.catch(() => undefined);
    control.catch(() => undefined);
  }
}
