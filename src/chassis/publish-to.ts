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
 * many publishers fan in. Messages sent before the backplane exists wait in
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

  /** @throws ChassisArgumentError unless `name` is a non-empty string. */
  constructor(name: string) {
    super();
    if (typeof name !== "string" || name === "") {
      throw new ChassisArgumentError(`${this.name}: PublishTo needs a backplane name (a non-empty string), got ${describeArgument(name)}`);
    }
    this.service = name;
  }

  *main(): Wait {
    const bp = yield* findBackplane(this, this.service);
    if (bp !== null) {
      this.link(this.inbox, bp.inbox);
      // With its backplane gone a publisher has nowhere to publish: it ends too.
      void bp.finished().then(() => this.unpause());
      while (this.checkShutdown() === null && !bp.isFinished()) {
        this.pause();
        yield;
      }
    }
    this.passOnShutdown();
  }
}

/** Make a publisher to the backplane called `name`. */
export function PublishTo<T = unknown>(name: string): PublishToComponent<T> {
  return new PublishToComponent<T>(name);
}
