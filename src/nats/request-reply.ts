/**
 * Request/reply over NATS: {@link NatsRequester} sends each message in its
 * inbox as a request and sends the replies out, in request order;
 * {@link NatsResponder} receives requests (optionally in a queue group, so
 * several processes share the work) and answers each with the message that
 * comes back into its inbox, one reply per request, in order.
 *
 * ```ts
 * // a worker, in as many processes as you like: requests are shared out by the queue group
 * Pipeline.circular(NatsResponder<number, number>("square", { transport, queue: "squarers" }), PureTransformer((n: number) => n * n)).run();
 * // a client
 * Pipeline(new Numbers(), NatsRequester<number, number>("square", { transport }), new Printer()).run();
 * ```
 *
 * A request that gets no reply (the responder died holding it, nobody
 * listens, or it timed out) is not lost silently: it comes out of the
 * requester's `error` outbox as ErrorInformation carrying the request, for
 * the caller to retry or report.
 *
 * @module
 */
import type { Wait } from "../core/component.js";
import { ErrorInformation } from "../core/ipc.js";
import { NatsRequestError, reason } from "./errors.js";
import { NatsComponent, type NatsConnectOptions } from "./nats-component.js";
import { checkQueue, checkSubject, wholeNumber } from "./subject.js";

/** Options of a {@link NatsRequester}. */
export interface NatsRequesterOptions<T> extends NatsConnectOptions<T> {
  /** How long to wait for each reply, in ms (default 5000). */
  timeoutMs?: number;
  /** Most requests awaiting replies at once (default 64); further input waits in the inbox. */
  maxInFlight?: number;
}

interface Slot {
  readonly request: unknown;
  done: boolean;
  reply: Uint8Array | null;
  error: unknown;
}

/**
 * The NatsRequester component; make one with {@link NatsRequester}. Boxes:
 * `inbox` requests; `outbox` replies, in request order; `error`
 * ErrorInformation for each request that got no reply (timeout, nobody
 * listening, undecodable); `status` connection status; `control`/`signal`
 * shutdown (producerFinished waits for the replies still due).
 */
export class NatsRequesterComponent<Req = unknown, Rep = unknown> extends NatsComponent<Req, Rep, unknown> {
  static override inboxes = { inbox: "requests", control: "producerFinished (wait for the replies due, then stop) / shutdownMicroprocess" };
  static override outboxes = { outbox: "the replies, in request order", signal: "the shutdown message, passed on", status: "connection status", error: "ErrorInformation (carrying the request) for each request that got no reply" };

  /** The subject requests go to. */
  readonly subject: string;
  /** Reply timeout, ms. */
  readonly timeoutMs: number;
  /** Most requests in flight. */
  readonly maxInFlight: number;
  /** Replies received. */
  replies = 0;
  /** Requests that got none. */
  failures = 0;

  /** @throws NatsArgumentError for an illegal subject, a bad number or a missing connection. */
  constructor(subject: string, options: NatsRequesterOptions<unknown>) {
    super(options);
    this.subject = checkSubject(this.name, subject, false);
    this.timeoutMs = wholeNumber(this.name, "timeoutMs", options?.timeoutMs, 5000);
    this.maxInFlight = wholeNumber(this.name, "maxInFlight", options?.maxInFlight, 64);
  }

  *main(): Wait {
    const slots: Slot[] = [];
    try {
      const t = yield* this.connect();
      for (;;) {
        this.checkConnection();
        // Replies first: that frees slots for the requests waiting in the inbox.
        while (slots.length > 0 && slots[0]!.done && !this.outbox.isFull()) {
          const s = slots.shift()!;
          if (s.reply !== null) {
            const d = this.decode(s.reply, this.subject);
            if (d.ok) {
              this.replies++;
              this.send(d.value as Rep);
            }
          } else {
            this.failures++;
            const err = new NatsRequestError(`${this.name}: no reply on ${this.subject}: ${reason(s.error)}`, s.error);
            this.send(new ErrorInformation(this, err, s.request), this.error);
          }
        }
        while (this.inbox.length > 0 && slots.length < this.maxInFlight) {
          const request = this.inbox.take();
          const data = this.encode(request, this.subject);
          if (data === null) continue;
          const slot: Slot = { request, done: false, reply: null, error: null };
          slots.push(slot);
          t.request(this.subject, data, this.timeoutMs).then(
            (r) => {
              slot.done = true;
              slot.reply = r;
              this.unpause();
            },
            (e) => {
              slot.done = true;
              slot.error = e;
              this.unpause();
            },
          );
        }
        const kind = this.checkShutdown();
        if (kind === "stop" || (kind === "finish" && this.inbox.length === 0 && slots.length === 0)) break;
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

/** Send each inbox message as a request on `subject`; replies come out in order. See {@link NatsRequesterComponent}. */
export function NatsRequester<Req = unknown, Rep = unknown>(subject: string, options: NatsRequesterOptions<unknown>): NatsRequesterComponent<Req, Rep> {
  return new NatsRequesterComponent<Req, Rep>(subject, options);
}

/** Options of a {@link NatsResponder}. */
export interface NatsResponderOptions<T> extends NatsConnectOptions<T> {
  /** Join this queue group: each request goes to one member (a worker pool across processes). */
  queue?: string;
  /** Most requests held unanswered before new ones are left to time out (default 1000). */
  maxPending?: number;
}

/**
 * The NatsResponder component; make one with {@link NatsResponder}. Boxes:
 * `outbox` the requests received; `inbox` the replies, exactly one per
 * request, in request order; `status`, `error`, `control`/`signal` as usual.
 */
export class NatsResponderComponent<Req = unknown, Rep = unknown> extends NatsComponent<Rep, Req, unknown> {
  static override inboxes = { inbox: "the replies: one per request, in request order", control: "producerFinished / shutdownMicroprocess: unsubscribe and stop" };
  static override outboxes = { outbox: "the requests received", signal: "the shutdown message, passed on", status: "connection status; slow-consumer when leaving requests unanswered", error: "ErrorInformation for requests or replies that could not be decoded or encoded" };

  /** The subject served. */
  readonly subject: string;
  /** The queue group, if any. */
  readonly queue: string | undefined;
  /** Most requests held unanswered. */
  readonly maxPending: number;
  /** Requests answered. */
  answered = 0;
  /** Requests left unanswered because `maxPending` were waiting. */
  dropped = 0;

  /** @throws NatsArgumentError for an illegal subject or queue, a bad maxPending or a missing connection. */
  constructor(subject: string, options: NatsResponderOptions<unknown>) {
    super(options);
    this.subject = checkSubject(this.name, subject, true);
    this.queue = checkQueue(this.name, options?.queue);
    this.maxPending = wholeNumber(this.name, "maxPending", options?.maxPending, 1000);
  }

  *main(): Wait {
    const arrived: { data: Uint8Array; respond: (d: Uint8Array) => boolean }[] = [];
    const waiting: ((d: Uint8Array) => boolean)[] = [];
    let sub: { unsubscribe(): void } | null = null;
    try {
      const t = yield* this.connect();
      sub = t.subscribe(
        this.subject,
        (m) => {
          if (arrived.length + waiting.length >= this.maxPending) {
            this.dropped++;
            return;
          }
          arrived.push({ data: m.data, respond: (d) => m.respond(d) });
          this.unpause();
        },
        this.queue ? { queue: this.queue } : undefined,
      );
      yield* this.waitFor(t.flush());
      for (;;) {
        this.checkConnection();
        while (arrived.length > 0 && !this.outbox.isFull()) {
          const a = arrived.shift()!;
          const d = this.decode(a.data, this.subject);
          if (!d.ok) continue;
          waiting.push(a.respond);
          this.send(d.value as Req);
        }
        while (this.inbox.length > 0) {
          const reply = this.inbox.take();
          const respond = waiting.shift();
          if (respond === undefined) {
            this.send(new ErrorInformation(this, new Error(`${this.name}: a reply arrived with no request waiting for it`), reply), this.error);
            continue;
          }
          const data = this.encode(reply, `a reply on ${this.subject}`);
          if (data !== null && respond(data)) this.answered++;
        }
        if (this.checkShutdown() !== null) break;
        this.pause();
        yield;
      }
      sub.unsubscribe();
      sub = null;
      yield* this.waitFor(t.flush());
      yield* this.disconnect();
    } finally {
      sub?.unsubscribe();
      this.closeNow();
    }
    this.passOnShutdown();
  }
}

/** Serve requests on `subject` (optionally in a queue group); see {@link NatsResponderComponent}. */
export function NatsResponder<Req = unknown, Rep = unknown>(subject: string, options: NatsResponderOptions<unknown>): NatsResponderComponent<Req, Rep> {
  return new NatsResponderComponent<Req, Rep>(subject, options);
}
