/**
 * NatsPublisher: the sending end of a remote link: what arrives in its
 * inbox is published on a NATS subject.
 *
 * ```ts
 * Pipeline(new Readings(), NatsPublisher<Reading>("sensors.kitchen", { transport })).run();   // here
 * Pipeline(NatsSubscriber<Reading>("sensors.kitchen", { transport }), new Store()).run();       // there
 * ```
 *
 * Everything waiting in the inbox when it runs is published in one go,
 * synchronously (the client writes it to the socket together): no await
 * per message, which infra.md measured at ≈5× slower.
 *
 * Delivery is NATS's: at most once, in order per publisher. While the
 * server is unreachable the client buffers what is published and sends it on
 * reconnecting; subscribers that were cut off too may miss it. For
 * at-least-once use {@link JetStreamPublisher}.
 *
 * @module
 */
import type { Wait } from "../core/component.js";
import { NatsComponent, type NatsConnectOptions } from "./nats-component.js";
import { NatsConnectionError, reason } from "./errors.js";
import { checkSubject } from "./subject.js";

/**
 * The NatsPublisher component; make one with {@link NatsPublisher}.
 * Boxes: `inbox` messages to publish; `control`/`signal` shutdown (on
 * producerFinished it publishes what waits and flushes it to the server
 * first); `status` connection status; `error` messages that could not be encoded.
 */
export class NatsPublisherComponent<T = unknown> extends NatsComponent<T, never, T> {
  static override inboxes = { inbox: "messages to publish on the subject", control: "producerFinished (publish what waits, flush, stop) / shutdownMicroprocess" };
  static override outboxes = { outbox: "unused", signal: "the shutdown message, passed on", status: "connection status", error: "ErrorInformation for messages that could not be encoded" };

  /** The subject published on. */
  readonly subject: string;
  /** How many messages have been published. */
  published = 0;

  /** @throws NatsArgumentError for an illegal subject or a missing connection. */
  constructor(subject: string, options: NatsConnectOptions<T>) {
    super(options);
    this.subject = checkSubject(this.name, subject, false);
  }

  *main(): Wait {
    try {
      const t = yield* this.connect();
      const inbox = this.inbox;
      for (;;) {
        this.checkConnection();
        while (inbox.length > 0) {
          const m = inbox.take();
          const data = this.encode(m, this.subject);
          if (data === null) continue;
          try {
            t.publish(this.subject, data);
          } catch (e) {
            throw new NatsConnectionError(`${this.name}: cannot publish on ${this.subject}: ${reason(e)}`, e);
          }
          this.published++;
        }
        const kind = this.checkShutdown();
        if (kind === "stop" || (kind === "finish" && inbox.length === 0)) break;
        this.pause();
        yield;
      }
      yield* this.waitFor(t.flush());
      yield* this.disconnect();
    } finally {
      this.closeNow();
    }
    this.passOnShutdown();
  }
}

/** Publish what arrives in the inbox on `subject`; see {@link NatsPublisherComponent}. */
export function NatsPublisher<T = unknown>(subject: string, options: NatsConnectOptions<T>): NatsPublisherComponent<T> {
  return new NatsPublisherComponent<T>(subject, options);
}
