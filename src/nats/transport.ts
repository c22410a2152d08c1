/**
 * The small transport interface the NATS components are written against,
 * so another engine (Redis, MQTT) could be added without touching them:
 * fire-and-forget publish (synchronous, buffered by the client and written
 * in one go per turn), subscribe (optionally in a queue group), request,
 * flush, close, and connection status.
 *
 * @module
 */

/** A message received on a subscription. */
export interface TransportMessage {
  /** The subject it was published on. */
  readonly subject: string;
  /** Its bytes. */
  readonly data: Uint8Array;
  /** Answer a request (a no-op for a plain publish); false if it cannot be answered. */
  respond(data: Uint8Array): boolean;
}

/** A live subscription. */
export interface TransportSubscription {
  /** Stop receiving. */
  unsubscribe(): void;
}

/** What happened to the connection, as the `status` outboxes carry it. */
export interface TransportStatus {
  /** `disconnect`: lost the server (the client keeps trying); `reconnect`: back; `slow-consumer`: messages dropped because a subscriber lagged; `error`: a server error. */
  readonly type: "disconnect" | "reconnect" | "slow-consumer" | "error";
  /** The server, a subject or the error, for a log line. */
  readonly detail: string;
}

/** A connection to a messaging engine. */
export interface Transport {
  /** Where it is connected, for messages (e.g. `nats://127.0.0.1:4222`). */
  readonly label: string;
  /**
   * Whether what this connection publishes also reaches its own subscriptions (true unless the
   * connection was opened without echo, NATS `noEcho`; a transport that does not say echoes).
   */
  readonly echo?: boolean;
  /** Publish without waiting (the client buffers, and writes everything published in one turn together). */
  publish(subject: string, data: Uint8Array): void;
  /** Call `handler` for every message on `subject`; with `queue`, each message goes to one member of the group. */
  subscribe(subject: string, handler: (m: TransportMessage) => void, options?: { queue?: string }): TransportSubscription;
  /** Send a request and resolve with the first reply; rejects on timeout or when nobody is listening. */
  request(subject: string, data: Uint8Array, timeoutMs: number): Promise<Uint8Array>;
  /** Resolve once everything published so far has reached the server. */
  flush(): Promise<void>;
  /** Drain and close. */
  close(): Promise<void>;
  /** Be told of status changes; returns a function that stops telling. */
  onStatus(handler: (s: TransportStatus) => void): () => void;
  /** Resolves when the connection has closed for good: with the error that closed it, or undefined for a close asked for. */
  readonly closed: Promise<Error | undefined>;
}
