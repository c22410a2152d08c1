/**
 * Collate: gather a whole stream into one array.
 *
 * @module
 */
import { Component } from "../core/component.js";

/**
 * Keeps every message it receives and, on `producerFinished`, sends them all
 * as one array (in arrival order), then passes the shutdown on. A
 * `shutdownMicroprocess` stops it at once and sends nothing.
 *
 * Boxes: `inbox` T; `outbox` T[] (once, at the end); `control`/`signal`: the
 * shared shutdown convention.
 */
export class Collate<T = unknown> extends Component<T, T[]> {
  static override inboxes = {
    inbox: "messages to gather",
    control: "producerFinished (send everything gathered, then stop) or shutdownMicroprocess (stop now, sending nothing)",
  };
  static override outboxes = {
    outbox: "one array of every message received, sent on producerFinished",
    signal: "the shutdown message received, passed on",
  };

  *main(): Generator<unknown, void, unknown> {
    const all: T[] = [];
    const inbox = this.inbox;
    for (;;) {
      while (inbox.length > 0) all.push(inbox.take());
      const kind = this.checkShutdown();
      if (kind === "stop") break;
      if (kind === "finish" && inbox.length === 0) {
        yield* this.waitSend(all);
        break;
      }
      this.pause();
      yield;
    }
    this.passOnShutdown();
  }
}
