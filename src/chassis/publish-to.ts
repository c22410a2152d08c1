/**
 * PublishTo: send what arrives on the inbox to a named backplane.
 *
 * @module
 */
import { Component, type Wait } from "../core/component.js";
import { ChassisArgumentError, describeArgument } from "./argument-error.js";
import { findBackplane } from "./find-backplane.js";

/**
 * The PublishTo component; make one with {@link PublishTo}. Its inbox is
 * passed through into the backplane's (one hop, whatever the nesting), so
 * many publishers fan in, and the backplane's limit (`pipewidth`) is the
 * limit of this inbox: a `waitSend` into it waits while the backplane is
 * behind, so a fast publisher is paced. Messages sent before the backplane exists wait in
 * the inbox and are moved there when it appears. Shutting a publisher down
 * ends only the publisher: the backplane and its subscribers carry on. When
 * the backplane finishes, the publisher ends too, sending `producerFinished`.
 */
export class PublishToComponent<T = unknown> extends Component<T, never> {
  static override inboxes = {
    inbox: "messages to publish on the backplane",
    control: "producerFinished or shutdownMicroprocess: stop publishing and pass it on",
  };
  static override outboxes = {
    outbox: "unused: what is published goes to the backplane's subscribers",
    signal: "the shutdown message received, passed on (producerFinished if the backplane finished first)",
  };

  /** The backplane's name. */
  readonly service: string;
  /** Most messages held before the backplane is found (after that, the backplane's own limit applies); 0 for no limit. */
  pipewidth = 64;

  /** @throws ChassisArgumentError unless `name` is a non-empty string. */
  constructor(name: string) {
    super();
    if (typeof name !== "string" || name === "") {
      throw new ChassisArgumentError(`${this.name}: PublishTo needs a backplane name (a non-empty string), got ${describeArgument(name)}`);
    }
    this.service = name;
    // Now, not in main: what comes before it runs is held here too.
    this.inbox.setSize(this.pipewidth);
  }

  *main(): Wait {
    this.inbox.setSize(this.pipewidth > 0 ? this.pipewidth : undefined);
    const bp = yield* findBackplane(this, this.service);
    if (bp !== null) {
      this.link(this.inbox, bp.inbox);
      // With its backplane gone a publisher has nowhere to publish: it ends too.
      bp.watchEnd(this);
      try {
        while (this.checkShutdown() === null && !bp.hasEnded) {
          this.pause();
          yield;
        }
      } finally {
        bp.unwatchEnd(this);
      }
    }
    this.passOnShutdown();
  }
}

/** Make a publisher to the backplane called `name`. */
export function PublishTo<T = unknown>(name: string): PublishToComponent<T> {
  return new PublishToComponent<T>(name);
}
