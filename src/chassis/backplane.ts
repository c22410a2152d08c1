/**
 * Backplane: named publish/subscribe (Kamaelia's `Kamaelia.Util.Backplane`).
 *
 * ```ts
 * Backplane<string>("CHAT").activate();
 * await ServerCore.create({ port: 1501, protocol: () => Pipeline(PublishTo<string>("CHAT"), SubscribeTo<string>("CHAT")) }).run();
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
 * subscriber (no copy). With no subscribers, published messages are
 * discarded at once (counted in `discarded`): nothing accumulates for
 * nobody, and a subscriber that leaves takes its boxes and links with it.
 *
 * Bounded by default. The backplane's own inbox holds at most `pipewidth`
 * messages, so a publisher faster than the backplane waits (a PublishTo's
 * inbox is the backplane's, so a `waitSend` into it waits; behind a
 * ServerCore that stops the socket being read). Subscription requests are
 * never refused for want of room. Each subscriber's inbox is its queue, of
 * `queueSize` messages (unless the subscriber set its own limit), and when
 * it is full the subscriber's {@link SlowConsumerPolicy} decides (`block`,
 * `dropOldest`, or `disconnect` with `maxWaitMs` and `windowMs`).
 * The policy is the backplane's unless the subscriber chose one. Drops are
 * counted per subscriber (`SubscribeTo`'s `dropped`) and in total
 * (`dropped`, `disconnected`). Delivery goes in runs, each subscriber given
 * a whole run in turn, past SubscribeTo while its queue is empty: see
 * fan-out.ts (same order per subscriber, same bounds).
 *
 * Shutdown: `producerFinished` on `control` delivers what is waiting, then
 * sends the message to every subscriber's `control` and stops;
 * `shutdownMicroprocess` does so at once. Shutting a publisher down does not
 * reach the subscribers. When the backplane finishes its name is released.
 *
 * @module
 */
import type { Inbox } from "../core/box.js";
import { Component, type AnyComponent, type Wait } from "../core/component.js";
import type { ControlMessage } from "../core/ipc.js";
import { System } from "../core/system.js";
import { ChassisArgumentError, describeArgument } from "./argument-error.js";
import { RUN, fanOut } from "./fan-out.js";
import {
  BackplaneSubscribe,
  BackplaneUnsubscribe,
  SlowConsumer,
  WaitBudget,
  checkPolicy,
  checkSize,
  waitForRoom,
  type BackplaneOptions,
  type Sink,
  type SlowConsumerPolicy,
} from "./subscriber-queue.js";

export {
  BackplaneSubscribe,
  BackplaneUnsubscribe,
  SlowConsumer,
  WaitBudget,
  checkPolicy,
  checkSize,
  sendRequest,
  type BackplaneOptions,
  type SlowConsumerPolicy,
  type SubscriberCounts,
  type SubscribeOptions,
} from "./subscriber-queue.js";
export { Relay } from "./fan-out.js";

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
  /** Most messages waiting in the backplane's inbox (publishers wait beyond it); 0 for no limit. */
  pipewidth = 64;
  /** What to do when a subscriber's queue is full, unless the subscriber chose. */
  policy: SlowConsumerPolicy = "block";
  /** Each subscriber's queue size, unless the subscriber chose or limited its inbox itself; 0 for no limit. */
  queueSize = 64;
  /** Under `disconnect`, longest to wait for a full subscriber to take something before dropping it, in ms; 0 drops it at once. */
  maxWaitMs = 500;
  /** Under `disconnect`, the sliding window in ms within which a subscriber may keep publishers waiting `maxWaitMs` in total; 0 turns that rule off. */
  windowMs = 10_000;
  /** Messages published while there was no subscriber, and so discarded. */
  discarded = 0;
  /** Messages subscribers will never receive, over all subscribers (see {@link SubscriberCounts}). */
  dropped = 0;
  /** Subscribers disconnected as slow consumers. */
  disconnected = 0;
  private sinks: Sink<T>[] = [];
  // The run of messages being published (reused, so publishing allocates nothing per message).
  private readonly batch: (T | undefined)[] = new Array<T | undefined>(RUN).fill(undefined);
  private sinkCount = 0;
  private registeredIn: System | null = null;
  private started = false;
  private ended = false;
  // Publishers to wake when the backplane ends: a set, not a promise reaction per publisher, which
  // would keep every publisher that ever lived until the backplane ends.
  private readonly endWatchers = new Set<AnyComponent>();

  /**
   * @param options per-backplane settings (`pipewidth`, `policy`, `queueSize`, `maxWaitMs`).
   * @throws ChassisArgumentError unless `name` is a non-empty string and the options are valid.
   */
  constructor(name: string, options: BackplaneOptions = {}) {
    super();
    if (typeof name !== "string" || name === "") {
      throw new ChassisArgumentError(`${this.name}: a Backplane needs a name (a non-empty string), got ${describeArgument(name)}`);
    }
    this.service = name;
    if (options.policy !== undefined) this.policy = checkPolicy(this.name, options.policy);
    if (options.queueSize !== undefined) this.queueSize = checkSize(this.name, "queueSize", options.queueSize);
    if (options.pipewidth !== undefined) this.pipewidth = checkSize(this.name, "pipewidth", options.pipewidth);
    if (options.maxWaitMs !== undefined) this.maxWaitMs = checkSize(this.name, "maxWaitMs", options.maxWaitMs);
    if (options.windowMs !== undefined) this.windowMs = checkSize(this.name, "windowMs", options.windowMs);
    // Set now, not when it runs: publishers may deliver before its first step.
    if (this.pipewidth > 0) this.inbox.setSize(this.pipewidth);
  }

  /** True once the backplane has stopped (or was stopped before it ran): nothing more will be published. */
  get hasEnded(): boolean {
    return this.ended;
  }

  /** Wake `c` (unpause it) when the backplane ends; see {@link hasEnded}. */
  watchEnd(c: AnyComponent): void {
    if (this.ended) c.unpause();
    else this.endWatchers.add(c);
  }

  /** Stop waking `c` when the backplane ends. */
  unwatchEnd(c: AnyComponent): void {
    this.endWatchers.delete(c);
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
      const batch = this.batch;
      for (;;) {
        while (inbox.length > 0) {
          if (this.dataReady("control") > 0 && this.checkShutdown() === "stop") break;
          // Take a run of published messages, up to the next subscription request.
          let n = 0;
          let req: BackplaneSubscribe | BackplaneUnsubscribe | null = null;
          while (n < RUN && inbox.length > 0) {
            const m: unknown = inbox.take();
            if (m instanceof BackplaneSubscribe || m instanceof BackplaneUnsubscribe) {
              req = m;
              break;
            }
            batch[n++] = m as T;
          }
          if (n > 0) {
            const first = fanOut(this.sinks, batch, n);
            if (this.sinks.length === 0) this.discarded += n;
            if (first < n) {
              // Some subscriber is behind: put back what comes after the first message it lacks, so the
              // inbox holds (and paces publishers by) what it would had the messages been taken one by one.
              const back: unknown[] = batch.slice(first + 1, n);
              if (req !== null) back.push(req);
              req = null;
              inbox.prepend(back);
              if (!(yield* this.publishRest(first, n))) break;
            }
            batch.fill(undefined, 0, n);
          }
          if (req instanceof BackplaneSubscribe) this.addSink(req);
          else if (req instanceof BackplaneUnsubscribe) this.removeSink(req.inbox);
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

  /**
   * Publish the run's messages from `first` on, message by message, to the
   * subscribers not yet given each, applying their policies; the ones after
   * `first` are taken again from the inbox, where they were put back. False
   * if told to stop meanwhile.
   */
  private *publishRest(first: number, n: number): Wait<boolean> {
    const batch = this.batch;
    for (let j = first; j < n; j++) {
      if (j > first) {
        if (this.dataReady("control") > 0 && this.checkShutdown() === "stop") return false;
        batch[j] = this.inbox.take() as T;
      }
      if (!(yield* this.publish(batch[j]!, j))) return false;
    }
    return true;
  }

  /** Send `m`, the run's `j`th message, to every subscriber not yet given it, applying each one's policy when its queue is full; false if told to stop meanwhile. */
  private *publish(m: T, j: number): Wait<boolean> {
    this.prune();
    if (this.sinks.length === 0) {
      this.discarded++;
      return true;
    }
    for (const s of [...this.sinks]) {
      if (s.inbox.closed || s.given > j) continue;
      s.given = j + 1;
      if (s.data.isFull()) {
        if (s.policy === "disconnect") {
          const room = yield* waitForRoom(this, s, this.sinks, this.maxWaitMs);
          if (room === "stop") return false;
          if (room === "timeout") {
            this.disconnect(s);
            continue;
          }
        }
        if (s.policy === "dropOldest") {
          const queue = s.data.final!;
          this.drop(s, 1);
          if (queue.length === 0) continue; // a queue of size 0: this message is the one dropped
          queue.take();
        }
        while (s.data.isFull() && !s.inbox.closed) {
          if (this.checkShutdown() === "stop") return false;
          this.pause();
          yield;
        }
      }
      if (!s.inbox.closed) s.data.send(m);
    }
    return true;
  }

  private drop(s: Sink<T>, n: number): void {
    s.counts.dropped += n;
    this.dropped += n;
  }

  /** Drop a slow subscriber, telling it why. */
  private disconnect(s: Sink<T>): void {
    const waiting = s.data.final?.length ?? 0;
    const waited = Math.round(s.budget.spent(performance.now()));
    this.drop(s, waiting + 1);
    s.counts.disconnected = true;
    this.disconnected++;
    const reason =
      `slow consumer: ${waiting} messages were waiting for ${s.inbox.owner.name} on backplane "${this.service}"` +
      ` (publishers waited ${waited} ms for it in the last ${this.windowMs} ms)`;
    s.control.send(new SlowConsumer(this, reason, waiting + 1));
    this.removeSink(s.inbox);
  }

  private addSink(req: BackplaneSubscribe): void {
    if (req.inbox.closed || this.sinks.some((s) => s.inbox === req.inbox)) return;
    const n = ++this.sinkCount;
    const who = req.inbox.owner.name;
    const policy = req.options.policy ?? this.policy;
    // The subscriber's own choice wins; else the backplane's, unless the inbox was limited already.
    const chosen = req.options.queueSize;
    if (chosen !== undefined) req.inbox.setSize(chosen > 0 ? chosen : undefined);
    else if (req.inbox.limit === Infinity && this.queueSize > 0) req.inbox.setSize(this.queueSize);
    const data = this.addOutbox<T>(`subscriber${n}`, `what is published, for ${who}`);
    const control = this.addOutbox<ControlMessage>(`subscriber${n}control`, `the backplane's shutdown message, for ${who}`);
    const links = [this.link(data, req.inbox), this.link(control, req.control)];
    const budget = new WaitBudget(this.maxWaitMs, this.windowMs);
    this.sinks.push({ inbox: req.inbox, relay: req.relay, given: 0, policy, counts: req.counts, data, control, links, budget });
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
    if (!this.ended) {
      this.ended = true;
      for (const c of this.endWatchers) c.unpause();
      this.endWatchers.clear();
    }
    const sys = this.registeredIn;
    if (sys === null) return;
    this.registeredIn = null;
    if (sys.services.has(this.service) && sys.services.lookup(this.service).component === this) {
      sys.services.deregister(this.service);
    }
  }
}

/**
 * Make a backplane called `name`; activate it to register the name. `T` is
 * what is published on it. `options` sets its bounds and slow-consumer policy.
 */
export function Backplane<T = unknown>(name: string, options: BackplaneOptions = {}): BackplaneComponent<T> {
  return new BackplaneComponent<T>(name, options);
}
