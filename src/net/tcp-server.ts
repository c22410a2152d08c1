/**
 * TCPServer: a listening socket as a component.
 *
 * @module
 */
import { createServer, type Socket } from "node:net";
import { Component } from "../core/component.js";
import { NetError, describeSocketError } from "./errors.js";

/** Where a server is listening. */
export interface ListenAddress {
  /** The address bound. */
  readonly host: string;
  /** The port bound (the one chosen by the system when 0 was asked for). */
  readonly port: number;
}

/**
 * Listens on `host:port` (127.0.0.1 unless told otherwise; port 0 picks a
 * free one) and sends each accepted connection's socket out of `outbox`,
 * paused, so no data is read before its new owner starts it (Kamaelia's
 * `TCPServer`, whose `newCSA` this replaces). {@link ServerCore} uses one.
 *
 * If the address cannot be bound (a port already in use, a host not on this
 * machine) the component fails with a {@link NetError} (`LISTEN_FAILED`)
 * naming it, the address and the reason; `listening()` rejects with it too.
 * On `producerFinished` or `shutdownMicroprocess` it stops accepting, closes
 * the listening socket (connections already handed out are not its business),
 * passes the message on and finishes.
 */
export class TCPServer extends Component<never, Socket> {
  static override inboxes = {
    inbox: "unused",
    control: "producerFinished or shutdownMicroprocess: stop listening and finish",
  };
  static override outboxes = {
    outbox: "each accepted connection's socket (net.Socket, paused, allowHalfOpen)",
    signal: "the shutdown message received, passed on",
  };

  /** The port to listen on; 0 lets the system choose. */
  port = 0;
  /** The address to listen on. */
  host = "127.0.0.1";
  /** Longest queue of connections not yet accepted. */
  backlog = 511;

  private readonly ready = deferred<ListenAddress>();

  /** Resolves with the address once listening; rejects with the NetError if it cannot listen. */
  listening(): Promise<ListenAddress> {
    return this.ready.promise;
  }

  async main(): Promise<void> {
    const accepted: Socket[] = [];
    const server = createServer({ allowHalfOpen: true, pauseOnConnect: true });
    server.on("connection", (s: Socket) => {
      // A socket can fail before its adapter takes it over; this keeps that from crashing the process.
      s.on("error", () => undefined);
      accepted.push(s);
      this.unpause();
    });
    let address: ListenAddress;
    try {
      address = await new Promise<ListenAddress>((resolve, reject) => {
        server.once("error", reject);
        server.listen({ port: this.port, host: this.host, backlog: this.backlog }, () => {
          server.off("error", reject);
          const a = server.address();
          resolve(typeof a === "object" && a !== null ? { host: a.address, port: a.port } : { host: this.host, port: this.port });
        });
      });
    } catch (e) {
      const err = new NetError("LISTEN_FAILED", `${this.name}: cannot listen on ${this.host}:${this.port}: ${describeSocketError(e)}`, e);
      this.ready.reject(err);
      throw err;
    }
    server.on("error", () => undefined);
    this.ready.resolve(address);
    try {
      for (;;) {
        while (accepted.length > 0) this.send(accepted.shift()!);
        if (this.checkShutdown() !== null) break;
        await this.pauseAsync();
      }
    } finally {
      // close() stops listening now; its callback waits for every connection, which belong to someone else.
      server.close();
      for (const s of accepted) s.destroy();
    }
    this.passOnShutdown();
  }
}

/** A promise with its resolve and reject; the promise never counts as an unhandled rejection. */
export function deferred<T>(): { promise: Promise<T>; resolve: (v: T) => void; reject: (e: unknown) => void } {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  promise.catch(() => undefined);
  return { promise, resolve, reject };
}
