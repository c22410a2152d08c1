/**
 * SubscribeTo: receive everything published on a named backplane.
 *
 * @module
 */
import { Component, type Wait } from "../core/component.js";
import { ChassisArgumentError, describeArgument } from "./argument-error.js";
import { BackplaneSubscribe, BackplaneUnsubscribe } from "./backplane.js";
import { findBackplane } from "./find-backplane.js";

/**
 * The SubscribeTo component; make one with {@link SubscribeTo}. In its first
 * timeslice it finds the backplane (waiting for it if need be) and
 * subscribes; from then on it passes on every message published there, in
 * order, waiting for room downstream. Like Kamaelia's (a Plug around a
 * PassThrough), anything sent to its inbox directly is passed on too, so
 * `Pipeline(PublishTo(x), SubscribeTo(x))` means "send to x, receive from x".
 * It stops when the backplane shuts down or when told on its control, and
 * then unsubscribes.
 */
export class SubscribeToComponent<T = unknown> extends Component<T, T> {
  static override inboxes = {
    inbox: "what the backplane publishes (and anything sent here directly)",
    control: "producerFinished (pass on what is waiting, then stop) or shutdownMicroprocess (stop now); the backplane's own shutdown arrives here too",
  };
  static override outboxes = {
    outbox: "every message published on the backplane after this subscribed, in order",
    signal: "the shutdown message received, passed on",
  };

  /** The backplane's name. */
  readonly service: string;
  private readonly requests = this.addOutbox<BackplaneSubscribe | BackplaneUnsubscribe>("backplane", "subscription requests, to the backplane's inbox");

  /** @throws ChassisArgumentError unless `name` is a non-empty string. */
  constructor(name: string) {
    super();
    if (typeof name !== "string" || name === "") {
      throw new ChassisArgumentError(`${this.name}: SubscribeTo needs a backplane name (a non-empty string), got ${describeArgument(name)}`);
    }
    this.service = name;
  }

  *main(): Wait {
    const bp = yield* findBackplane(this, this.service);
    if (bp === null) {
      this.passOnShutdown();
      return;
    }
    this.link(this.requests, bp.inbox);
    yield* this.waitSend(new BackplaneSubscribe(this.inbox, this.control), this.requests);
    try {
      yield* this.processMessages((m) => this.waitSend(m));
    } finally {
      // Also wakes a backplane that may be waiting for room in this inbox.
      if (bp.isActive() && !this.requests.isFull()) this.requests.send(new BackplaneUnsubscribe(this.inbox));
    }
  }
}

/** Make a subscriber to the backplane called `name`. */
export function SubscribeTo<T = unknown>(name: string): SubscribeToComponent<T> {
  return new SubscribeToComponent<T>(name);
}
