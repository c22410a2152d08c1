/**
 * SubscribeTo: receive everything published on a named backplane.
 *
 * @module
 */
import { Component, type Wait } from "../core/component.js";
import type { System } from "../core/system.js";
import { ChassisArgumentError, describeArgument } from "./argument-error.js";
import {
  BackplaneSubscribe,
  BackplaneUnsubscribe,
  checkPolicy,
  checkSize,
  sendRequest,
  type SubscribeOptions,
  type SubscriberCounts,
} from "./backplane.js";
import { BackplaneComponent } from "./backplane.js";
import { findBackplane } from "./find-backplane.js";
import { Relay } from "./fan-out.js";

/**
 * The SubscribeTo component; make one with {@link SubscribeTo}. In its first
 * timeslice it finds the backplane (waiting for it if need be) and
 * subscribes; from then on it passes on every message published there, in
 * order, waiting for room downstream. Like Kamaelia's (a Plug around a
 * PassThrough), anything sent to its inbox directly is passed on too, so
 * `Pipeline(PublishTo(x), SubscribeTo(x))` means "send to x, receive from x".
 * It stops when the backplane shuts down or when told on its control, and
 * then unsubscribes.
 *
 * Its inbox is its queue on the backplane: bounded (the backplane's
 * `queueSize` unless `options.queueSize` says otherwise, or a limit set on
 * the inbox before it subscribes), and when it is full the backplane's slow
 * consumer policy applies, or `options.policy`. Under `disconnect` it gets a
 * `SlowConsumer` on `control`: it stops at once and passes that on out
 * of `signal`, so whatever is downstream can tell its client why.
 * `dropped` and `disconnected` say what the backplane did to it.
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
  private readonly requests = this.addOutbox<BackplaneSubscribe | BackplaneUnsubscribe>("backplane", "subscription requests, linked to the backplane's inbox while one is sent");
  private backplane: BackplaneComponent | null = null;
  private readonly options: SubscribeOptions;
  private readonly counts: SubscriberCounts = { dropped: 0, disconnected: false };
  // How the backplane delivers past this component while its queue is empty (see Relay).
  private readonly relay = new Relay(this, this.inbox, this.control, this.outbox);

  /** @throws ChassisArgumentError unless `name` is a non-empty string and the options are valid. */
  constructor(name: string, options: SubscribeOptions = {}) {
    super();
    if (typeof name !== "string" || name === "") {
      throw new ChassisArgumentError(`${this.name}: SubscribeTo needs a backplane name (a non-empty string), got ${describeArgument(name)}`);
    }
    this.service = name;
    this.options = {
      ...(options.policy !== undefined ? { policy: checkPolicy(this.name, options.policy) } : {}),
      ...(options.queueSize !== undefined ? { queueSize: checkSize(this.name, "queueSize", options.queueSize) } : {}),
    };
  }

  /** Messages published on the backplane that this subscriber will never receive (dropped by its policy). */
  get dropped(): number {
    return this.counts.dropped;
  }

  /** True if the backplane disconnected it as a slow consumer. */
  get disconnected(): boolean {
    return this.counts.disconnected;
  }

  /**
   * Activate; if the backplane is already registered, subscribe at once, so
   * nothing published after this activation (a connection's first line, say)
   * can reach the backplane before the subscription does.
   */
  override activate(system?: System): this {
    super.activate(system);
    const services = this.system!.services;
    if (!this.subscribed && services.has(this.service)) {
      const bp = services.lookup(this.service).component;
      if (bp instanceof BackplaneComponent) this.subscribe(bp);
    }
    return this;
  }

  private subscribed = false;

  private subscribe(bp: BackplaneComponent): void {
    this.subscribed = true;
    this.backplane = bp;
    this.request(new BackplaneSubscribe(this.inbox, this.control, this.options, this.counts, this.relay));
  }

  /**
   * Send a request to the backplane, linked to its inbox only meanwhile: a
   * standing link would make this component one of its feeders, woken (a
   * scheduler step each, for nothing) whenever the backplane takes from a
   * full inbox, which a fast publisher makes every few messages.
   */
  private request(req: BackplaneSubscribe | BackplaneUnsubscribe): void {
    if (this.backplane === null) return;
    const l = this.link(this.requests, this.backplane.inbox);
    sendRequest(this.requests, req);
    this.unlink(l);
  }

  *main(): Wait {
    if (!this.subscribed) {
      const bp = yield* findBackplane(this, this.service);
      if (bp === null) {
        this.passOnShutdown();
        return;
      }
      this.subscribe(bp);
    }
    try {
      this.relay.start();
      yield* this.processMessages((m) => (this.outbox.isFull() ? this.sendOrStop(m) : this.send(m)));
    } finally {
      this.relay.open = false;
      // Also wakes a backplane that may be waiting for room in this inbox.
      this.request(new BackplaneUnsubscribe(this.inbox));
    }
  }

  /**
   * Wait for room downstream, then send; a `shutdownMicroprocess` (such as a
   * `SlowConsumer`) ends the wait, since a subscriber that is not being
   * read must still be stoppable.
   */
  private *sendOrStop(m: T): Wait {
    // Holding `m` back: the backplane must not deliver past it meanwhile.
    this.relay.open = false;
    while (this.outbox.isFull()) {
      if (this.dataReady("control") > 0 && this.checkShutdown() === "stop") return;
      this.pause();
      yield;
    }
    this.send(m);
    this.relay.open = !this.stopping;
  }

  private stopping = false;

  /** Stop now (see Component.stop); from this moment the backplane no longer delivers past it. */
  override stop(): void {
    this.stopping = true;
    this.relay.open = false;
    super.stop();
  }
}

/** Make a subscriber to the backplane called `name`; `options` choose its queue size and slow-consumer policy. */
export function SubscribeTo<T = unknown>(name: string, options: SubscribeOptions = {}): SubscribeToComponent<T> {
  return new SubscribeToComponent<T>(name, options);
}
