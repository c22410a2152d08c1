/**
 * NatsSubscriber: the receiving end of a remote link: messages published on
 * a NATS subject come out of its outbox. With `queue`, subscribers sharing
 * the queue name form a group and each message goes to one of them (a
 * worker pool across processes and machines).
 *
 * Backpressure cannot reach the publishers of a fire-and-forget subject, so
 * this holds at most `maxPending` messages for a slow consumer downstream
 * (its outbox waits for room); beyond that it drops new messages, counts
 * them in `dropped` and says so once on `status` (`slow-consumer`) until it
 * has caught up: at-most-once, never unbounded memory. (The server also cuts
 * off a client that stops reading its socket: a `disconnect` then
 * `reconnect` on `status`.)
 *
 * @module
 */
import type { Wait } from "../core/component.js";
import { NatsComponent, type NatsConnectOptions } from "./nats-component.js";
import { checkQueue, checkSubject, wholeNumber } from "./subject.js";

/** Options of a {@link NatsSubscriber}. */
export interface NatsSubscriberOptions<T> extends NatsConnectOptions<T> {
  /** Join this queue group: each message goes to one member. */
  queue?: string;
  /** Most messages held for a slow consumer before new ones are dropped (default 10000). */
  maxPending?: number;
}

/**
 * The NatsSubscriber component; make one with {@link NatsSubscriber}.
 * Boxes: `outbox` the messages received, in the order the server sent them;
 * `control` producerFinished/shutdownMicroprocess (unsubscribe, pass it on);
 * `status` connection status and slow-consumer drops; `error` messages that
 * could not be decoded.
 */
export class NatsSubscriberComponent<T = unknown> extends NatsComponent<never, T, T> {
  static override inboxes = { inbox: "unused", control: "producerFinished / shutdownMicroprocess: unsubscribe and stop" };
  static override outboxes = { outbox: "the messages received on the subject", signal: "the shutdown message, passed on", status: "connection status; slow-consumer when dropping", error: "ErrorInformation for messages that could not be decoded" };

  /** The subject (wildcards allowed). */
  readonly subject: string;
  /** The queue group, if any. */
  readonly queue: string | undefined;
  /** Most messages held for a slow consumer. */
  readonly maxPending: number;
  /** Messages received. */
  received = 0;
  /** Messages dropped because `maxPending` were already waiting. */
  dropped = 0;

  /** @throws NatsArgumentError for an illegal subject or queue name, a bad maxPending or a missing connection. */
  constructor(subject: string, options: NatsSubscriberOptions<T>) {
    super(options);
    this.subject = checkSubject(this.name, subject, true);
    this.queue = checkQueue(this.name, options?.queue);
    this.maxPending = wholeNumber(this.name, "maxPending", options?.maxPending, 10_000);
  }

  *main(): Wait {
    const waiting: Uint8Array[] = [];
    let head = 0;
    let slow = false;
    let sub: { unsubscribe(): void } | null = null;
    try {
      const t = yield* this.connect();
      sub = t.subscribe(
        this.subject,
        (m) => {
          this.received++;
          if (waiting.length - head >= this.maxPending) {
            this.dropped++;
            if (!slow) {
              slow = true;
              this.report({ type: "slow-consumer", detail: `${this.name}: ${this.maxPending} messages on ${this.subject} wait for a slow consumer; dropping new ones` });
            }
            return;
          }
          waiting.push(m.data);
          this.unpause();
        },
        this.queue ? { queue: this.queue } : undefined,
      );
      // Wait until the server has the subscription, so "subscribed" means "will receive what is published from now on".
      yield* this.waitFor(t.flush());
      this.readyFlag = true;
      for (;;) {
        this.checkConnection();
        while (head < waiting.length && !this.outbox.isFull()) {
          const d = this.decode(waiting[head++]!, this.subject);
          if (d.ok) this.send(d.value);
        }
        if (head === waiting.length) {
          waiting.length = 0;
          head = 0;
          slow = false;
        } else if (head > 4096) {
          waiting.splice(0, head);
          head = 0;
        }
        if (this.checkShutdown() !== null) break;
        this.pause();
        yield;
      }
      sub.unsubscribe();
      sub = null;
      yield* this.disconnect();
    } finally {
      sub?.unsubscribe();
      this.closeNow();
    }
    this.passOnShutdown();
  }

  /** Whether the subscription is in place at the server (messages published from now on will arrive). */
  get ready(): boolean {
    return this.readyFlag;
  }
  private readyFlag = false;
}

/** Receive what is published on `subject` (optionally in a queue group); see {@link NatsSubscriberComponent}. */
export function NatsSubscriber<T = unknown>(subject: string, options: NatsSubscriberOptions<T>): NatsSubscriberComponent<T> {
  return new NatsSubscriberComponent<T>(subject, options);
}
