/**
 * NullSink: swallow everything.
 *
 * @module
 */
import { Component } from "../core/component.js";

/**
 * Takes every message and discards it (Kamaelia's `nullSinkComponent`), so
 * a producer's output can go somewhere without piling up. `count` says how
 * many it has swallowed.
 *
 * Boxes: `inbox` anything (discarded); `outbox` unused; `control`/`signal`:
 * the shared shutdown convention.
 */
export class NullSink extends Component<unknown, never> {
  static override inboxes = {
    inbox: "anything; it is discarded",
    control: "producerFinished (discard what is waiting, then stop) or shutdownMicroprocess (stop now)",
  };
  static override outboxes = {
    outbox: "not used",
    signal: "the shutdown message received, passed on",
  };

  /** How many messages have been discarded. */
  count = 0;

  *main(): Generator<unknown, void, unknown> {
    yield* this.processMessages(() => {
      this.count++;
    });
  }
}
