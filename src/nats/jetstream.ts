/**
 * At-least-once links on JetStream (NATS's persistence, in the same server
 * with `-js`): {@link JetStreamPublisher} stores each message in a stream
 * and counts it sent only when the server has acknowledged it;
 * {@link JetStreamSubscriber} reads through a durable consumer and
 * acknowledges a message only once it has been delivered into the next
 * inbox. A subscriber process that dies before acknowledging gets those
 * messages again (after `ackWaitMs`), and so does its replacement with the
 * same durable name: nothing is lost, and duplicates are possible (mark
 * them `redelivered`, or make the handling idempotent). A publisher retries
 * a publish that was not acknowledged with the same message id, which the
 * server de-duplicates.
 *
 * The stream is created if it does not exist (`subjects: [subject]`, file
 * storage); the durable consumer likewise.
 *
 * @module
 */
import { jetstream, jetstreamManager, AckPolicy, type JsMsg } from "@nats-io/jetstream";
import { randomBytes } from "node:crypto";
import type { Wait } from "../core/component.js";
import { NatsArgumentError, NatsConnectionError, reason } from "./errors.js";
import { NatsComponent, type NatsConnectOptions } from "./nats-component.js";
import { NatsTransport } from "./nats-transport.js";
import type { Transport } from "./transport.js";
import { checkSubject } from "./subject.js";

/** Options of the JetStream components. */
export interface JetStreamOptions<T> extends NatsConnectOptions<T> {
  /** The stream's name (made if missing, capturing the subject). */
  stream: string;
  /** Most messages unacknowledged at once (default 256). */
  maxInFlight?: number;
}

/** Options of a {@link JetStreamSubscriber}. */
export interface JetStreamSubscriberOptions<T> extends JetStreamOptions<T> {
  /** The durable consumer's name: a replacement subscriber with the same name carries on where this one stopped. */
  durable: string;
  /** How long the server waits for an acknowledgement before redelivering, in ms (default 30000). */
  ackWaitMs?: number;
}

const NAME = /^[A-Za-z0-9_-]+$/;

function raw(component: string, t: Transport) {
  if (!(t instanceof NatsTransport)) throw new NatsConnectionError(`${component}: JetStream needs a NATS transport (from connectNats), got ${t.label}`);
  return t.connection;
}

async function ensureStream(component: string, t: Transport, stream: string, subject: string): Promise<void> {
  const jsm = await jetstreamManager(raw(component, t));
  try {
    await jsm.streams.info(stream);
  } catch {
    try {
      await jsm.streams.add({ name: stream, subjects: [subject] });
    } catch (e) {
      throw new NatsConnectionError(`${component}: cannot create JetStream stream ${stream} for ${subject} (is the server running with -js?): ${reason(e)}`, e);
    }
  }
}

function checkOptions(component: string, o: Partial<JetStreamSubscriberOptions<unknown>> | undefined, durable: boolean): void {
  if (typeof o?.stream !== "string" || !NAME.test(o.stream)) throw new NatsArgumentError(`${component}: stream must be a name of letters, digits, - and _, got ${JSON.stringify(o?.stream)}`);
  if (durable && (typeof o?.durable !== "string" || !NAME.test(o.durable))) throw new NatsArgumentError(`${component}: durable must be a name of letters, digits, - and _, got ${JSON.stringify(o?.durable)}`);
  for (const k of ["maxInFlight", "ackWaitMs"] as const) {
    const v = o?.[k];
    if (v !== undefined && (!Number.isInteger(v) || v < 1)) throw new NatsArgumentError(`${component}: ${k} must be a whole number ≥ 1, got ${String(v)}`);
  }
}

/**
 * The JetStreamPublisher component; make one with {@link JetStreamPublisher}.
 * Boxes: `inbox` messages to store (taken only while fewer than
 * `maxInFlight` await acknowledgement, so producers wait); `control`
 * producerFinished waits for every acknowledgement; `status`, `error`, `signal` as usual.
 */
export class JetStreamPublisherComponent<T = unknown> extends NatsComponent<T, never, T> {
  static override inboxes = { inbox: "messages to store in the stream", control: "producerFinished (wait for every acknowledgement, then stop) / shutdownMicroprocess" };
  static override outboxes = { outbox: "unused", signal: "the shutdown message, passed on", status: "connection status", error: "ErrorInformation for messages that could not be encoded" };

  /** The subject. */
  readonly subject: string;
  /** The stream. */
  readonly stream: string;
  /** Messages acknowledged by the server (stored). */
  acked = 0;
  /** Publishes retried after a failure. */
  retries = 0;
  private readonly maxInFlight: number;

  /** @throws NatsArgumentError for an illegal subject or stream name, or a missing connection. */
  constructor(subject: string, options: JetStreamOptions<T>) {
    super(options);
    this.subject = checkSubject(this.name, subject, false);
    checkOptions(this.name, options, false);
    this.stream = options.stream;
    this.maxInFlight = options.maxInFlight ?? 256;
  }

  *main(): Wait {
    const id = randomBytes(6).toString("hex");
    let seq = 0;
    let inFlight = 0;
    let retrying = 0;
    let failed: unknown = null;
    try {
      const t = yield* this.connect();
      yield* this.waitFor(ensureStream(this.name, t, this.stream, this.subject));
      const js = jetstream(raw(this.name, t));
      const publish = (data: Uint8Array, msgID: string, attempt: number): void => {
        inFlight++;
        js.publish(this.subject, data, { msgID }).then(
          () => {
            inFlight--;
            this.acked++;
            this.unpause();
          },
          (e) => {
            inFlight--;
            // Not acknowledged: try again with the same id (the server drops a duplicate), for a while.
            if (attempt < 20) {
              this.retries++;
              retrying++;
              setTimeout(() => {
                retrying--;
                publish(data, msgID, attempt + 1);
              }, 250);
            } else failed = e;
            this.unpause();
          },
        );
      };
      for (;;) {
        this.checkConnection();
        if (failed !== null) throw new NatsConnectionError(`${this.name}: a message for ${this.subject} was never acknowledged by JetStream: ${reason(failed)}`, failed);
        while (this.inbox.length > 0 && inFlight + retrying < this.maxInFlight) {
          const m = this.inbox.take();
          const data = this.encode(m, this.subject);
          if (data !== null) publish(data, `${id}-${++seq}`, 0);
        }
        const kind = this.checkShutdown();
        if (kind === "stop" || (kind === "finish" && this.inbox.length === 0 && inFlight === 0 && retrying === 0)) break;
        this.pause();
        yield;
      }
      yield* this.disconnect();
    } finally {
      this.closeNow();
    }
    this.passOnShutdown();
  }
}

/** Store what arrives in the inbox in a JetStream stream, at least once; see {@link JetStreamPublisherComponent}. */
export function JetStreamPublisher<T = unknown>(subject: string, options: JetStreamOptions<T>): JetStreamPublisherComponent<T> {
  return new JetStreamPublisherComponent<T>(subject, options);
}

/**
 * The JetStreamSubscriber component; make one with {@link JetStreamSubscriber}.
 * Boxes: `outbox` the stored messages, each acknowledged once delivered
 * here; `control` producerFinished/shutdownMicroprocess: stop reading (what
 * was not delivered is redelivered to the next reader); `status`, `error`,
 * `signal` as usual.
 */
export class JetStreamSubscriberComponent<T = unknown> extends NatsComponent<never, T, T> {
  static override inboxes = { inbox: "unused", control: "producerFinished / shutdownMicroprocess: stop reading" };
  static override outboxes = { outbox: "the stored messages (possibly again, after a crash)", signal: "the shutdown message, passed on", status: "connection status", error: "ErrorInformation for messages that could not be decoded (acknowledged, so not redelivered for ever)" };

  /** The subject. */
  readonly subject: string;
  /** The stream. */
  readonly stream: string;
  /** The durable consumer. */
  readonly durable: string;
  /** Messages delivered (and acknowledged). */
  delivered = 0;
  /** Of which redelivered by the server. */
  redelivered = 0;
  private readonly maxInFlight: number;
  private readonly ackWaitMs: number;

  /** @throws NatsArgumentError for an illegal subject, stream or durable name, or a missing connection. */
  constructor(subject: string, options: JetStreamSubscriberOptions<T>) {
    super(options);
    this.subject = checkSubject(this.name, subject, true);
    checkOptions(this.name, options, true);
    this.stream = options.stream;
    this.durable = options.durable;
    this.maxInFlight = options.maxInFlight ?? 256;
    this.ackWaitMs = options.ackWaitMs ?? 30_000;
  }

  *main(): Wait {
    const waiting: JsMsg[] = [];
    let room: (() => void) | null = null;
    let stopReading: (() => void) | null = null;
    let readError: unknown = null;
    try {
      const t = yield* this.connect();
      yield* this.waitFor(ensureStream(this.name, t, this.stream, this.subject));
      const nc = raw(this.name, t);
      const jsm = yield* this.waitFor(jetstreamManager(nc));
      yield* this.waitFor(
        jsm.consumers.add(this.stream, { durable_name: this.durable, ack_policy: AckPolicy.Explicit, filter_subject: this.subject, ack_wait: this.ackWaitMs * 1_000_000 }).catch((e) => {
          throw new NatsConnectionError(`${this.name}: cannot make durable consumer ${this.durable} on ${this.stream}: ${reason(e)}`, e);
        }),
      );
      const consumer = yield* this.waitFor(jetstream(nc).consumers.get(this.stream, this.durable));
      const messages = yield* this.waitFor(consumer.consume({ max_messages: this.maxInFlight }));
      stopReading = () => void messages.stop();
      void (async () => {
        try {
          for await (const m of messages) {
            waiting.push(m);
            this.unpause();
            // Hold the reader while the consumer downstream is behind, so memory stays bounded.
            while (waiting.length >= this.maxInFlight) await new Promise<void>((r) => (room = r));
          }
        } catch (e) {
          readError = e;
          this.unpause();
        }
      })();
      for (;;) {
        this.checkConnection();
        if (readError !== null) throw new NatsConnectionError(`${this.name}: reading ${this.stream}/${this.durable} failed: ${reason(readError)}`, readError);
        while (waiting.length > 0 && !this.outbox.isFull()) {
          const m = waiting.shift()!;
          const d = this.decode(m.data, `${this.stream}/${this.durable}`);
          if (d.ok) {
            this.send(d.value);
            this.delivered++;
            if (m.redelivered) this.redelivered++;
          }
          // Acknowledged only now that it is in the next inbox.
          m.ack();
        }
        if (room !== null && waiting.length < this.maxInFlight) {
          const r: () => void = room;
          room = null;
          r();
        }
        if (this.checkShutdown() !== null) break;
        this.pause();
        yield;
      }
      stopReading();
      stopReading = null;
      yield* this.disconnect();
    } finally {
      stopReading?.();
      this.closeNow();
    }
    this.passOnShutdown();
  }
}

/** Read a JetStream stream through a durable consumer, at least once; see {@link JetStreamSubscriberComponent}. */
export function JetStreamSubscriber<T = unknown>(subject: string, options: JetStreamSubscriberOptions<T>): JetStreamSubscriberComponent<T> {
  return new JetStreamSubscriberComponent<T>(subject, options);
}
