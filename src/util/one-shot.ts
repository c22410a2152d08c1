/**
 * OneShot and TriggeredOneShot: send one message, then finish.
 *
 * @module
 */
import { Component } from "../core/component.js";

/**
 * Sends one message, then `producerFinished`, then ends (Kamaelia's
 * `OneShot`). A `shutdownMicroprocess` already waiting when it starts stops
 * it before it sends.
 *
 * Boxes: `outbox` T, the one message; `signal`: producerFinished (or the
 * shutdown message received); `inbox` unused; `control`: shutdown messages.
 */
export class OneShot<T = unknown> extends Component<never, T> {
  static override inboxes = {
    inbox: "not used",
    control: "shutdownMicroprocess (stop without sending); producerFinished is passed on after the send",
  };
  static override outboxes = {
    outbox: "the one message",
    signal: "producerFinished after the message (or the shutdown message received)",
  };

  constructor(
    /** The message to send. */
    readonly message: T,
  ) {
    super();
  }

  *main(): Generator<unknown, void, unknown> {
    if (this.checkShutdown() !== "stop") yield* this.waitSend(this.message);
    this.passOnShutdown();
  }
}

/**
 * Waits for any message on `inbox`, then sends its own message once,
 * `producerFinished`, and ends (Kamaelia's `TriggeredOneShot`; the seeds use
 * it to turn "something happened" into a shutdown). `producerFinished` with
 * no trigger waiting ends it without sending; `shutdownMicroprocess` stops it
 * at once.
 *
 * Boxes: `inbox` anything, the trigger; `outbox` T, the one message;
 * `control`/`signal`: the shared shutdown convention.
 */
export class TriggeredOneShot<T = unknown> extends Component<unknown, T> {
  static override inboxes = {
    inbox: "any message: the trigger",
    control: "producerFinished (fire if a trigger is waiting, then stop) or shutdownMicroprocess (stop now)",
  };
  static override outboxes = {
    outbox: "the one message, sent when triggered",
    signal: "producerFinished after the message (or the shutdown message received)",
  };

  constructor(
    /** The message to send when triggered. */
    readonly message: T,
  ) {
    super();
  }

  *main(): Generator<unknown, void, unknown> {
    for (;;) {
      const kind = this.checkShutdown();
      if (kind === "stop") break;
      if (this.dataReady() > 0) {
        this.recv();
        yield* this.waitSend(this.message);
        break;
      }
      if (kind === "finish") break;
      this.pause();
      yield;
    }
    this.passOnShutdown();
  }
}
