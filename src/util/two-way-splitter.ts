/**
 * TwoWaySplitter: copy a stream, and its shutdown, two ways.
 *
 * @module
 */
import { Component, type Wait } from "../core/component.js";
import type { ControlMessage } from "../core/ipc.js";

/**
 * Sends every message out of both `outbox` and `outbox2`, and the shutdown
 * message out of both `signal` and `signal2`, so two consumers each get the
 * whole stream and each shut down after it (Kamaelia's TwoWaySplitter, used
 * in the seeds' SMS processor). It waits for room at each outbox, so a
 * bounded consumer slows the other rather than losing messages.
 *
 * Boxes: `inbox` T → `outbox` and `outbox2`; `control` → `signal` and
 * `signal2` (the shared shutdown convention).
 */
export class TwoWaySplitter<T = unknown> extends Component<T, T> {
  static override inboxes = {
    inbox: "messages to copy",
    control: "producerFinished (copy what is waiting, then stop) or shutdownMicroprocess (stop now)",
  };
  static override outboxes = {
    outbox: "every message (first copy)",
    outbox2: "every message (second copy)",
    signal: "the shutdown message received, passed on",
    signal2: "the shutdown message received, passed on to the second consumer",
  };

  /** The second copy of every message. */
  readonly outbox2 = this.addOutbox<T>("outbox2");
  /** The second copy of the shutdown message. */
  readonly signal2 = this.addOutbox<ControlMessage>("signal2");

  *main(): Generator<unknown, void, unknown> {
    const m = yield* this.processMessages((msg) => this.copy(msg));
    yield* this.waitSend(m, this.signal2);
  }

  private *copy(message: T): Wait {
    yield* this.waitSend(message);
    yield* this.waitSend(message, this.outbox2);
  }
}
