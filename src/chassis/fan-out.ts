/**
 * Fan-out: how a backplane hands what is published to its subscribers, fast.
 *
 * It takes a run of up to {@link RUN} messages from its inbox and gives each
 * subscriber the whole run in turn (the order per subscriber is what the
 * backplane promises; subscribers do not see each other), which keeps one
 * subscriber's boxes and handlers hot for a whole run. For a subscriber that
 * only passes messages on (SubscribeTo) it delivers past it, through its
 * {@link Relay}, while that is exactly what the subscriber would do itself.
 * A subscriber whose queue fills up stops the run for it there; the
 * backplane then carries on message by message for the subscribers behind,
 * applying their policies (see BackplaneComponent).
 *
 * @module
 */
import { Inbox, Outbox } from "../core/box.js";
import { Component, type AnyComponent } from "../core/component.js";
import type { Scheduler } from "../core/scheduler.js";
import type { Sink } from "./subscriber-queue.js";

/** Most messages published as one run. */
export const RUN = 64;

const plainDeliver = Inbox.prototype.deliver;
const plainSend = Outbox.prototype.send;

/**
 * A subscriber that passes on what it is given (SubscribeTo) lets the
 * backplane deliver past it, straight into the inbox its outbox leads to,
 * whenever that is exactly what it would do itself at once: it is in its
 * `processMessages` loop and holds nothing back (`open`, which it keeps up
 * to date), its queue (`inbox`) is empty and has room, nothing waits on its
 * `control` and no shutdown was seen, the scheduler fuses, its outbox is
 * linked to an inbox with room, and no box on the way is tapped
 * (introspection counts what passes them). Otherwise it stops
 * and the message goes into its queue as usual, where its policy applies.
 * This saves a whole hop per message per subscriber (the fused call into the
 * subscriber's handler and its send); the order per subscriber is the same,
 * since the queue it skips is empty. And when the inbox at the end belongs to
 * an idle processMessages component, the run goes to it as one fused call
 * (`Component._fuseRun`, with this relay as its guard), which pays the costs
 * of a fused delivery once per run instead of once per message. See
 * {@link passRun}.
 */
export class Relay {
  /** Set by the subscriber while it is in its loop, holding no message back and not stopping. */
  open = false;
  private scheduler: Scheduler | null = null;

  constructor(
    /** The subscriber. */
    readonly owner: AnyComponent,
    /** Its queue: the inbox subscribed. */
    readonly queue: Inbox,
    /** Its control inbox. */
    readonly control: Inbox,
    /** The outbox it passes messages on from. */
    readonly out: Outbox,
  ) {}

  /** The subscriber enters its loop (it has a system by then): from now on, pass when it may. */
  start(): void {
    this.scheduler = this.owner.system!.scheduler;
    this.open = true;
  }

  /**
   * Deliver `run[from]`, `run[from + 1]`, … up to `run[n - 1]` past the
   * subscriber, for as long as it would pass each on itself at once; returns
   * the index of the first message not delivered (`n` if all were). What only
   * the subscriber's own step can change (a shutdown seen, its queue closing
   * or resized) and what only the outside world changes (a tap, fusion turned
   * off) is checked once per run; what the receivers' handlers, running inside
   * this call, might change (a stop, a message on its control or in its
   * queue, a link, room downstream) is checked before every message.
   */
  passRun(run: readonly unknown[], from: number, n: number): number {
    const queue = this.queue;
    const control = this.control;
    const out = this.out;
    if (!this.open || queue.length !== 0 || queue.isFull() || queue.closed || control.length !== 0) return from;
    if (!this.scheduler!.fusion || this.owner.shutdownMessage !== null || queue.deliver !== plainDeliver || out.send !== plainSend) return from;
    let j = from;
    while (j < n) {
      const target = out.final;
      if (target === null || target.isFull() || !this.open || queue.length !== 0 || control.length !== 0) break;
      // An idle receiver in its processMessages loop takes as much of the run as it would one by one, in one fused call.
      const owner = target.owner;
      if (target.length === 0 && owner instanceof Component && target.deliver === plainDeliver) {
        const k = owner._fuseRun(target, run, j, n, this);
        if (k > j) {
          j = k;
          continue;
        }
      }
      target.deliver(run[j++], out);
    }
    return j;
  }

  /** For a fused run (see Component._fuseRun): the next message may still go past the subscriber into `box`. */
  holds(box: Inbox): boolean {
    return this.open && this.queue.length === 0 && this.control.length === 0 && this.out.final === box;
  }
}

/**
 * Give `run[0]` … `run[n - 1]` to every subscriber in turn, past its queue
 * where its relay may, else into its queue while that has room. Returns the
 * index of the first message some subscriber did not get (`n` if every one
 * got all; 0 if one has ended, so the backplane forgets it); each sink's
 * `given` says how far it got.
 */
export function fanOut<T>(sinks: readonly Sink<T>[], run: readonly (T | undefined)[], n: number): number {
  let first = n;
  for (let i = 0; i < sinks.length; i++) {
    const s = sinks[i]!;
    const data = s.data;
    const relay = s.relay;
    const queue = s.inbox;
    // A tapped outbox is watched (introspection): send through it, so the watcher sees every message.
    let j = relay !== null && data.send === plainSend ? relay.passRun(run, 0, n) : 0;
    for (; j < n; j++) {
      if (queue.closed) {
        first = 0;
        j = n;
        break;
      }
      if (data.isFull()) break;
      data.send(run[j]!);
    }
    s.given = j;
    if (j < first) first = j;
  }
  return first;
}
