/**
 * IterableSource: an (async) iterable as a component's outbox.
 *
 * ```ts
 * await Pipeline(new IterableSource(readLines()), new Grep(/x/), sink).run();
 * ```
 *
 * @module
 */
import { Component } from "../core/component.js";
import { Wakeup } from "../support/wakeup.js";

/**
 * Sends each value of an iterable or async iterable (an array, a generator,
 * a Node stream's async iterator…) out of `outbox`, in order, then
 * `producerFinished` on `signal`.
 *
 * It asks for the next value only once the previous one was delivered
 * (`sendAsync`), so a bounded downstream pauses the iteration: a lazy
 * source is pulled no faster than it is consumed. If the iterable throws,
 * the component fails with that error.
 *
 * Shutdown: `shutdownMicroprocess` stops at once; `producerFinished` stops
 * asking for values (an iterable may be endless, so nothing more counts as
 * waiting) after delivering the one in hand. Either way the iterator's
 * `return()` is called so its `finally` blocks run (awaited, unless an
 * async iterator is still busy producing a value: a shutdown does not wait
 * for that), and the message is passed on out of `signal`.
 */
export class IterableSource<M> extends Component<never, M> {
  static override inboxes = {
    inbox: "unused",
    control: "producerFinished or shutdownMicroprocess: stop pulling values (either way), then pass it on",
  };
  static override outboxes = {
    outbox: "each value of the iterable, in order",
    signal: "producerFinished when the iterable is exhausted, or the shutdown message received",
  };

  constructor(
    /** The values to send. */
    readonly iterable: Iterable<M> | AsyncIterable<M>,
  ) {
    super();
  }

  async main(): Promise<void> {
    const src = this.iterable;
    const it: Iterator<M> | AsyncIterator<M> =
      Symbol.asyncIterator in src ? (src as AsyncIterable<M>)[Symbol.asyncIterator]() : (src as Iterable<M>)[Symbol.iterator]();
    const wake = new Wakeup(this);
    let exhausted = false;
    let pending = false;
    try {
      while (this.checkShutdown() === null) {
        // A slow async iterator must not delay a shutdown: race the next value against control.
        const next = Promise.resolve(it.next());
        let settled = false;
        next.then(
          () => ((settled = true), wake.poke()),
          () => ((settled = true), wake.poke()),
        );
        while (!settled && this.checkShutdown() === null) await wake.wait([this.control]);
        if (!settled) {
          pending = true;
          break;
        }
        const r = await next;
        if (r.done === true) {
          exhausted = true;
          break;
        }
        await this.sendAsync(r.value);
      }
    } finally {
      // An async generator busy in next() would queue return() behind it (maybe for ever): ask, but do not wait then.
      if (!exhausted && pending) void Promise.resolve(it.return?.()).catch(() => undefined);
      else if (!exhausted) await it.return?.();
    }
    this.passOnShutdown();
  }
}
