/**
 * Backplane: named publish/subscribe (Kamaelia's `Kamaelia.Util.Backplane`).
 *
 * ```ts
 * Backplane<string>("CHAT").activate();
 * ServerCore({ port: 1501, protocol: () => Pipeline(PublishTo<string>("CHAT"), SubscribeTo<string>("CHAT")) }).run();
 * ```
 *
 * A backplane registers itself in its system's services registry under its
 * name when it is activated (a second backplane of the same name is refused
 * there and then). {@link PublishTo} passes its inbox through into the
 * backplane's; {@link SubscribeTo} asks to be sent everything published from
 * then on. Both wait for the backplane if it is not there yet.
 *
 * Subscription requests travel through the backplane's inbox, the same queue
 * as the published messages, so "published after it subscribed" has one
 * meaning: every subscriber gets every message that reached the backplane
 * after its request did, once, in order. The same object reaches every
 * subscriber (no copy). A slow subscriber with a bounded inbox slows the
 * backplane down rather than losing messages. With no subscribers, published
 * messages are discarded at once (counted in `discarded`): nothing
 * accumulates for nobody, and a subscriber that leaves takes its boxes and
 * links with it.
 *
 * Shutdown: `producerFinished` on `control` delivers what is waiting, then
 * sends the message to every subscriber's `control` and stops;
 * `shutdownMicroprocess` does so at once. Shutting a publisher down does not
 * reach the subscribers. When the backplane finishes its name is released.
 *
 * @module
 */
import type { Inbox, Outbox } from "../core/box.js";
import { Component, type Wait } from "../core/component.js";
import type { ControlMessage } from "../core/ipc.js";
import type { Linkage } from "../core/linkage.js";
import { System } from "../core/system.js";
import { ChassisArgumentError, describeArgument } from "./argument-error.js";

/** Sent to a backplane's inbox (by {@link SubscribeTo}): from now on, send what is published to `inbox`, and shutdown to `control`. */
export class BackplaneSubscribe {
  constructor(
    /** Where the published messages go. */
    readonly inbox: Inbox,
    /** Where the backplane's shutdown message goes. */
    readonly control: Inbox,
  ) {}
}

/** Sent to a backplane's inbox (by {@link SubscribeTo} as it ends): stop sending to `inbox`. */
export class BackplaneUnsubscribe {
  constructor(
    /** The inbox given when subscribing. */
    readonly inbox: Inbox,
  ) {}
}

interface Sink<T> {
  readonly inbox: Inbox;
  readonly data: Outbox<T>;
  readonly control: Outbox<ControlMessage>;
  readonly links: readonly Linkage[];
}

/**
 * The Backplane component; make one with {@link Backplane}. `T` is what is
 * published on it.
 */
export class BackplaneComponent<T = unknown> extends Component<T, never> {
  static override inboxes = {
    inbox: "messages published (through PublishTo, or sent here directly), and BackplaneSubscribe/BackplaneUnsubscribe requests",
    control: "producerFinished: deliver what is waiting, pass it to every subscriber, stop; shutdownMicroprocess: pass it to every subscriber now, stop",
  };
  static override outboxes = {
    outbox: "unused: a backplane sends only to its subscribers (through one outbox per subscriber)",
    signal: "the shutdown message received, after every subscriber was sent it",
  };

  /** The name the backplane is registered under. */
  readonly service: string;
  /** Messages published while there was no subscriber, and so discarded. */
  discarded = 0;
  private sinks: Sink<T>[] = [];
  private sinkCount = 0;
  private registeredIn: System | null = null;
  private started = false;

  /** @throws ChassisArgumentError unless `name` is a non-empty string. */
  constructor(name: string) {
    super();
    if (typeof name !== "string" || name === "") {
      throw new ChassisArgumentError(`${this.name}: a Backplane needs a name (a non-empty string), got ${describeArgument(name)}`);
    }
    this.service = name;
  }

  /** How many subscribers the backplane is sending to. */
  subscribers(): number {
    return this.sinks.length;
  }

  /**
   * Register the backplane's name in the system's services, then activate it.
   * @throws ServiceError if the name is already registered in that system.
   */
  override activate(system?: System): this {
    const sys = system ?? this.parent?.system ?? System.default;
    sys.services.register(this.service, this);
    this.registeredIn = sys;
    try {
      return super.activate(system);
    } catch (e) {
      this.release();
      throw e;
    }
  }

  /** Stop now; releases the name even if the backplane never ran. */
  override stop(): void {
    // A generator that never started skips its finally block, so release here.
    if (!this.started) this.release();
    super.stop();
  }

  *main(): Wait {
    this.started = true;
    try {
      const inbox = this.inbox;
      for (;;) {
        while (inbox.length > 0) {
          if (this.dataReady("control") > 0 && this.checkShutdown() === "stop") break;
          const m: unknown = inbox.take();
          if (m instanceof BackplaneSubscribe) this.addSink(m);
          else if (m instanceof BackplaneUnsubscribe) this.removeSink(m.inbox);
          else if (!this.publishNow(m as T) && !(yield* this.publish(m as T))) break;
        }
        const kind = this.checkShutdown();
        if (kind === "stop" || (kind === "finish" && inbox.length === 0)) break;
        this.pause();
        yield;
      }
      const shutdown = this.shutdownMessage!;
      for (const s of this.sinks) if (!s.inbox.closed) s.control.send(shutdown);
      this.passOnShutdown();
    } finally {
      this.release();
    }
  }

  /** Send `m` to every subscriber at once if all have room (the usual case: no generator, no copy); false if one has none. */
  private publishNow(m: T): boolean {
    const sinks = this.sinks;
    for (let i = 0; i < sinks.length; i++) {
      const s = sinks[i]!;
      if (s.inbox.closed || s.data.isFull()) return false;
    }
    if (sinks.length === 0) this.discarded++;
    for (let i = 0; i < sinks.length; i++) sinks[i]!.data.send(m);
    return true;
  }

  /** Send `m` to every subscriber, waiting for room; false if told to stop meanwhile. */
  private *publish(m: T): Wait<boolean> {
    this.prune();
    if (this.sinks.length === 0) {
      this.discarded++;
      return true;
    }
    for (const s of [...this.sinks]) {
      while (s.data.isFull() && !s.inbox.closed) {
        if (this.checkShutdown() === "stop") return false;
        this.pause();
        yield;
      }
      s.data.send(m);
    }
    return true;
  }

  private addSink(req: BackplaneSubscribe): void {
    if (req.inbox.closed || this.sinks.some((s) => s.inbox === req.inbox)) return;
    const n = ++this.sinkCount;
    const who = req.inbox.owner.name;
    const data = this.addOutbox<T>(`subscriber${n}`, `what is published, for ${who}`);
    const control = this.addOutbox<ControlMessage>(`subscriber${n}control`, `the backplane's shutdown message, for ${who}`);
    const links = [this.link(data, req.inbox), this.link(control, req.control)];
    this.sinks.push({ inbox: req.inbox, data, control, links });
  }

  private removeSink(inbox: Inbox): void {
    const i = this.sinks.findIndex((s) => s.inbox === inbox);
    if (i < 0) return;
    const [s] = this.sinks.splice(i, 1);
    for (const l of s!.links) this.unlink(l);
    this.deleteBox(s!.data.name);
    this.deleteBox(s!.control.name);
  }

  /** Forget subscribers that ended without saying so (e.g. stopped from outside). */
  private prune(): void {
    for (const s of this.sinks.filter((x) => x.inbox.closed)) this.removeSink(s.inbox);
  }

  private release(): void {
    const sys = this.registeredIn;
    if (sys === null) return;
    this.registeredIn = null;
    if (sys.services.has(this.service) && sys.services.lookup(this.service).component === this) {
      sys.services.deregister(this.service);
    }
  }
}

/** Make a backplane called `name`; activate it to register the name. `T` is what is published on it. */
export function Backplane<T = unknown>(name: string): BackplaneComponent<T> {
  return new BackplaneComponent<T>(name);
}
