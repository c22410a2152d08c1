/**
 * Between components and AbortSignals, the standard way Node code cancels.
 *
 * ```ts
 * const ac = new AbortController();
 * const p = Pipeline(new Follow(log), new Grep(/pants/), printer);
 * stopOnAbort(p, ac.signal);
 * await p.run();            // ends when ac.abort() is called
 * ```
 *
 * @module
 */
import type { AnyComponent } from "../core/component.js";
import { producerFinished, shutdownMicroprocess } from "../core/ipc.js";

/**
 * When `signal` aborts, ask `component` to shut down through its `control`
 * box, so it and everything downstream of it shut down by the usual
 * convention: `"stop"` (default) sends `shutdownMicroprocess`, `"finish"`
 * sends `producerFinished`. If the signal has already aborted, the message
 * is sent at once. Returns a function that removes the listener; it is
 * also removed when the component finishes.
 */
export function stopOnAbort(component: AnyComponent, signal: AbortSignal, how: "stop" | "finish" = "stop"): () => void {
  const onAbort = (): void => {
    if (component.isFinished()) return;
    const m = how === "finish" ? producerFinished(signal) : shutdownMicroprocess(signal);
    component.control.final.deliver(m, "an AbortSignal");
  };
  if (signal.aborted) {
    onAbort();
    return () => undefined;
  }
  signal.addEventListener("abort", onAbort, { once: true });
  const remove = (): void => signal.removeEventListener("abort", onAbort);
  void component.finished().then(remove);
  return remove;
}

/**
 * An AbortSignal that aborts when `component` finishes, to hand to other
 * APIs (fetch, timers, streams) whose work should not outlive it. Its
 * reason is an `Error` naming the component.
 */
export function finishedSignal(component: AnyComponent): AbortSignal {
  const ac = new AbortController();
  void component.finished().then(() => ac.abort(new Error(`${component.name} finished`)));
  return ac.signal;
}
