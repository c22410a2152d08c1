/**
 * Wakeup: lets an async component sleep until some outside event (a file
 * change, a stream becoming readable, a timer) or a delivery to one of its
 * boxes, without losing a wake that arrives while it is busy doing I/O.
 *
 * @module
 */
import type { Inbox } from "../core/box.js";
import type { AnyComponent, AsyncOptions } from "../core/component.js";

/**
 * A latched wake-up for an async component. Event callbacks call
 * {@link poke}; the component calls {@link wait} when it has nothing to do.
 *
 * An async component's `unpause()` only resolves waits already parked, so a
 * poke that lands while the component is awaiting I/O would otherwise be lost
 * and the component would sleep through it. The latch keeps it.
 */
export class Wakeup {
  private poked = false;

  constructor(private readonly component: AnyComponent) {}

  /** Note that something happened and wake the component if it is waiting. Safe to pass as a callback. */
  readonly poke = (): void => {
    this.poked = true;
    this.component.unpause();
  };

  /**
   * Resolve at once if poked since the last wait or if any of `boxes` holds a
   * message; otherwise at the component's next wake (a poke, a delivery to any
   * of its inboxes, room downstream). Rejects with `StoppedError` when the
   * component is stopped, or the signal's reason on abort.
   */
  async wait(boxes: readonly Inbox[] = [], options?: AsyncOptions): Promise<void> {
    // The check and the park happen in the same synchronous run, so no poke or delivery can slip between them.
    if (!this.poked && !boxes.some((b) => b.length > 0)) await this.component.pauseAsync(options);
    this.poked = false;
  }
}
