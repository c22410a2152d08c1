/**
 * PassThrough: the identity component.
 *
 * @module
 */
import { Component } from "../core/component.js";

/**
 * Sends on every message it receives, unchanged and in order (Kamaelia's
 * `PassThrough`, the inner component of `SubscribeTo`). Useful as a stand-in
 * stage, or to give a group of components one inbox to link to.
 *
 * Boxes: `inbox` any message → `outbox` the same message (it waits for room
 * when downstream is bounded). `control`/`signal`: the shared shutdown convention.
 */
export class PassThrough<T = unknown> extends Component<T, T> {
  static override inboxes = {
    inbox: "messages to pass on",
    control: "producerFinished (pass on what is waiting, then stop) or shutdownMicroprocess (stop now)",
  };
  static override outboxes = {
    outbox: "each message received, unchanged",
    signal: "the shutdown message received, passed on",
  };

  *main(): Generator<unknown, void, unknown> {
    yield* this.processMessages((m) => this.waitSend(m));
  }
}
