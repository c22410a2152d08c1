/**
 * The NATS transport: the {@link Transport} interface over
 * `@nats-io/transport-node`.
 *
 * @module
 */
import { connect, type ConnectionOptions, type Msg, type NatsConnection } from "@nats-io/transport-node";
import { NatsConnectionError, reason } from "./errors.js";
import type { Transport, TransportMessage, TransportStatus, TransportSubscription } from "./transport.js";

/** Options for {@link connectNats}: the server(s), and any `@nats-io` connection option. */
export type NatsOptions = ConnectionOptions;

/** A received message, as the transport interface sees it (a class, so no closure is made per message). */
class NatsMessage implements TransportMessage {
  constructor(private readonly msg: Msg) {}
  get subject(): string {
    return this.msg.subject;
  }
  get data(): Uint8Array {
    return this.msg.data;
  }
  respond(data: Uint8Array): boolean {
    return this.msg.respond(data);
  }
}

/** A {@link Transport} on a NATS connection. `connection` is the raw client, for JetStream and anything else. */
export class NatsTransport implements Transport {
  readonly label: string;
  readonly echo: boolean;
  readonly closed: Promise<Error | undefined>;
  private readonly listeners = new Set<(s: TransportStatus) => void>();

  constructor(
    /** The raw NATS client connection. */
    readonly connection: NatsConnection,
    /** `echo: false` if it was opened with `noEcho` (the server does not send it what it published itself). */
    options: { echo?: boolean } = {},
  ) {
    this.label = `nats://${connection.getServer()}`;
    this.echo = options.echo ?? true;
    this.closed = connection.closed().then((e) => e ?? undefined);
    void this.watch();
  }

  private async watch(): Promise<void> {
    for await (const s of this.connection.status()) {
      let st: TransportStatus | null = null;
      if (s.type === "disconnect" || s.type === "reconnect") st = { type: s.type, detail: s.server };
      else if (s.type === "slowConsumer") st = { type: "slow-consumer", detail: `${s.sub.getSubject()}: ${s.pending} pending` };
      else if (s.type === "error") st = { type: "error", detail: reason(s.error) };
      if (st !== null) for (const l of this.listeners) l(st);
    }
  }

  publish(subject: string, data: Uint8Array): void {
    this.connection.publish(subject, data);
  }

  subscribe(subject: string, handler: (m: TransportMessage) => void, options?: { queue?: string }): TransportSubscription {
    const sub = this.connection.subscribe(subject, {
      ...(options?.queue ? { queue: options.queue } : {}),
      callback: (err, msg) => {
        if (err === null) handler(new NatsMessage(msg));
      },
    });
    return { unsubscribe: () => sub.unsubscribe() };
  }

  async request(subject: string, data: Uint8Array, timeoutMs: number): Promise<Uint8Array> {
    const m = await this.connection.request(subject, data, { timeout: timeoutMs });
    return m.data;
  }

  flush(): Promise<void> {
    return this.connection.flush();
  }

  async close(): Promise<void> {
    if (this.connection.isClosed()) return;
    try {
      await this.connection.drain();
    } catch {
      await this.connection.close();
    }
  }

  onStatus(handler: (s: TransportStatus) => void): () => void {
    this.listeners.add(handler);
    return () => this.listeners.delete(handler);
  }
}

/**
 * Connect to NATS. By default the client keeps trying to reconnect for ever
 * (2 s apart) after losing the server, buffering what is published meanwhile.
 * A connection of a NatsBackplane's own is best opened with `noEcho: true`
 * (as `openNatsBackplane` does): the server then does not send its own
 * messages back to it.
 * @throws NatsConnectionError naming the server when it cannot be reached.
 */
export async function connectNats(options: NatsOptions | string): Promise<NatsTransport> {
  const o: NatsOptions = typeof options === "string" ? { servers: options } : options;
  try {
    const nc = await connect({ maxReconnectAttempts: -1, reconnectTimeWait: 500, ...o });
    return new NatsTransport(nc, { echo: o.noEcho !== true });
  } catch (e) {
    throw new NatsConnectionError(`cannot connect to NATS at ${String(o.servers ?? "127.0.0.1:4222")}: ${reason(e)}`, e);
  }
}
