/**
 * What every NATS component shares: getting its connection (a shared
 * {@link Transport}, or its own from a URL), reporting connection status on
 * a `status` outbox, failing clearly when the connection is gone for good,
 * and closing a connection it opened itself.
 *
 * @module
 */
import type { Outbox } from "../core/box.js";
import { Component, type Wait } from "../core/component.js";
import { ErrorInformation } from "../core/ipc.js";
import { jsonCodec, type Codec } from "./codec.js";
import { NatsArgumentError, NatsConnectionError, reason } from "./errors.js";
import { connectNats } from "./nats-transport.js";
import type { Transport, TransportStatus } from "./transport.js";

/** How a NATS component reaches the server: a shared connection, or a URL to open its own. */
export interface NatsConnectOptions<T = unknown> {
  /** A connection several components share (from {@link connectNats}); the component does not close it. */
  transport?: Transport;
  /** Or a server URL: the component opens its own connection, and closes it when it ends. */
  url?: string;
  /** Close the given `transport` when the component ends, as if it had opened it (default false). */
  closeTransport?: boolean;
  /** How messages become bytes (default JSON). */
  codec?: Codec<T>;
}

/** The base of the NATS components; see {@link NatsConnectOptions}. */
export abstract class NatsComponent<In, Out, T = unknown> extends Component<In, Out> {
  /** Connection status changes (`disconnect`, `reconnect`, `slow-consumer`, `error`), as they happen. */
  readonly status: Outbox<TransportStatus> = this.addOutbox<TransportStatus>("status", "connection status: disconnect, reconnect, slow-consumer, error");
  /** Messages that could not be encoded or decoded, and requests that failed, as ErrorInformation (the component carries on). */
  readonly error: Outbox<ErrorInformation> = this.addOutbox<ErrorInformation>("error", "ErrorInformation for each message that could not be encoded, decoded or answered");
  /** The connection, once made. */
  transport: Transport | null;
  /** How messages become bytes and back (JSON unless told otherwise). */
  protected readonly codec: Codec<T>;
  private readonly url: string | null;
  private readonly owns: boolean;
  private readonly statuses: TransportStatus[] = [];
  private lost: Error | null = null;
  private unlisten: (() => void) | null = null;

  constructor(options: NatsConnectOptions<T> | undefined) {
    super();
    const o = options ?? {};
    if (o.transport === undefined && (typeof o.url !== "string" || o.url === "")) {
      throw new NatsArgumentError(`${this.name}: needs a connection: { transport } (from connectNats) or { url: "nats://host:port" }`);
    }
    if (o.transport !== undefined && typeof (o.transport as Partial<Transport>).publish !== "function") {
      throw new NatsArgumentError(`${this.name}: transport must be a Transport (from connectNats), got ${typeof o.transport}`);
    }
    this.transport = o.transport ?? null;
    this.url = o.transport === undefined ? o.url! : null;
    this.owns = o.transport === undefined || o.closeTransport === true;
    this.codec = o.codec ?? jsonCodec<T>();
  }

  /** Get the connection (opening it if given a URL, without echo if asked) and start listening to its status. */
  protected *connect(noEcho = false): Wait<Transport> {
    if (this.transport === null) {
      try {
        this.transport = yield* this.waitFor(connectNats(noEcho ? { servers: this.url!, noEcho } : this.url!));
      } catch (e) {
        throw new NatsConnectionError(`${this.name}: ${reason(e)}`, e);
      }
    }
    const t = this.transport;
    this.unlisten = t.onStatus((s) => {
      this.statuses.push(s);
      this.unpause();
    });
    void t.closed.then((e) => {
      this.lost = e ?? new Error("the connection was closed");
      this.unpause();
    });
    return t;
  }

  /** Report a status change of this component's own (e.g. a slow consumer here). */
  protected report(s: TransportStatus): void {
    this.statuses.push(s);
    this.unpause();
  }

  /** Send on the status changes heard since the last call; throw if the connection is gone for good. */
  protected checkConnection(): void {
    while (this.statuses.length > 0) this.send(this.statuses.shift()!, this.status);
    if (this.lost !== null) throw new NatsConnectionError(`${this.name}: the NATS connection ${this.transport?.label ?? ""} closed: ${reason(this.lost)}`, this.lost);
  }

  /** Stop listening, and close the connection if this component opened it. */
  protected *disconnect(): Wait {
    this.unlisten?.();
    this.unlisten = null;
    if (this.owns && this.transport !== null) {
      const t = this.transport;
      this.lost = null;
      yield* this.waitFor(t.close());
    }
  }

  /** Close an own connection even when stopped or failed (no handle left open). */
  protected closeNow(): void {
    this.unlisten?.();
    if (this.owns && this.transport !== null) void this.transport.close();
  }

  /** Encode, or report the message on `error` (naming the component and why) and return null. */
  protected encode(m: T, what: string): Uint8Array | null {
    try {
      return this.codec.encode(m);
    } catch (e) {
      this.send(new ErrorInformation(this, new Error(`${this.name}: cannot encode a message for ${what}: ${reason(e)}`), m), this.error);
      return null;
    }
  }

  /** Decode, or report the bytes on `error` and return undefined. */
  protected decode(
    data: Uint8Array,
    what: string,
  ):
    | {
        /** Decoded… */
        ok: true;
        /** …to this. */
        value: T;
      }
    | {
        /** Not decoded (reported on `error`). */
        ok: false;
      } {
    try {
      return { ok: true, value: this.codec.decode(data) };
    } catch (e) {
      this.send(new ErrorInformation(this, new Error(`${this.name}: cannot decode a message from ${what}: ${reason(e)}`), data), this.error);
      return { ok: false };
    }
  }
}
