/**
 * Chunk: group a stream into arrays of a fixed size.
 *
 * @module
 */
import { Component } from "../core/component.js";
import { ArgumentError } from "./errors.js";

/**
 * Sends the messages it receives in arrays of `size`, in order; on
 * `producerFinished` a last, shorter array carries any remainder. A
 * `shutdownMicroprocess` stops it at once and drops a partial chunk.
 *
 * Boxes: `inbox` T; `outbox` T[] of `size` items (the last may be shorter);
 * `control`/`signal`: the shared shutdown convention. Waits for room downstream.
 */
export class Chunk<T = unknown> extends Component<T, T[]> {
  static override inboxes = {
    inbox: "messages to group",
    control: "producerFinished (send full chunks and the remainder, then stop) or shutdownMicroprocess (stop now)",
  };
  static override outboxes = {
    outbox: "arrays of `size` messages; the last may be shorter",
    signal: "the shutdown message received, passed on",
  };

  /** How many messages go in each array. */
  readonly size: number;

  /** @throws ArgumentError unless `size` is a positive integer. */
  constructor(size: number) {
    super();
    if (!Number.isInteger(size) || size <= 0) throw new ArgumentError(this.name, "the chunk size", "a positive integer", size);
    this.size = size;
  }

  *main(): Generator<unknown, void, unknown> {
    const inbox = this.inbox;
    let current: T[] = [];
    for (;;) {
      while (inbox.length > 0) {
        if (this.dataReady("control") > 0 && this.checkShutdown() === "stop") break;
        current.push(inbox.take());
        if (current.length === this.size) {
          const full = current;
          current = [];
          yield* this.waitSend(full);
        }
      }
      const kind = this.checkShutdown();
      if (kind === "stop") break;
      if (kind === "finish" && inbox.length === 0) {
        if (current.length > 0) yield* this.waitSend(current);
        break;
      }
      this.pause();
      yield;
    }
    this.passOnShutdown();
  }
}
