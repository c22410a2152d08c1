/**
 * UDPReceiver: sends out each datagram received.
 *
 * @module
 */
import { createSocket, type Socket as DgramSocket } from "node:dgram";
import { Component } from "../core/component.js";
import { NetError, describeSocketError } from "./errors.js";
import type { Datagram } from "./ipc.js";
import { deferred, type ListenAddress } from "./tcp-server.js";

/**
 * Listens on `host:port` (127.0.0.1 and a free port unless told otherwise;
 * see `bound()`) and sends each datagram received out of `outbox` with its
 * sender's address (Kamaelia's `UDPReceiver`).
 *
 * UDP has no backpressure: the sender cannot be slowed. Datagrams are held
 * here (at most `maxQueued`) while the inbox downstream is full; beyond that
 * they are dropped and counted in `dropped`, as the network itself would.
 * If the address cannot be bound the component fails with a {@link NetError}
 * (`LISTEN_FAILED`) naming it, the address and the reason, and `bound()`
 * rejects. On `producerFinished` it sends what it holds and closes; on
 * `shutdownMicroprocess` it closes at once; either is passed on.
 */
export class UDPReceiver extends Component<never, Datagram> {
  static override inboxes = {
    inbox: "unused",
    control: "producerFinished: send what is held, then stop; shutdownMicroprocess: stop now",
  };
  static override outboxes = {
    outbox: "each datagram received: { data: Buffer, address, port } (address and port are the sender's)",
    signal: "the shutdown message received, passed on",
  };

  /** The address to listen on. */
  host = "127.0.0.1";
  /** The port to listen on; 0 lets the system choose. */
  port = 0;
  /** Let other sockets bind the same port (needed for several multicast receivers on one machine). */
  reuseAddr = false;
  /** Most datagrams held while downstream is full. */
  maxQueued = 1024;
  /** Datagrams dropped because downstream was full and `maxQueued` were held. */
  dropped = 0;
  /** Datagrams received. */
  received = 0;

  private readonly ready = deferred<ListenAddress>();

  /** Resolves with the address once bound; rejects with the NetError if it cannot bind. */
  bound(): Promise<ListenAddress> {
    return this.ready.promise;
  }

  /** Set socket options once bound (the multicast receiver joins its group here). */
  protected configure(socket: DgramSocket): void {
    void socket;
  }

  async main(): Promise<void> {
    const held: Datagram[] = [];
    const socket = createSocket({ type: this.host.includes(":") ? "udp6" : "udp4", reuseAddr: this.reuseAddr });
    socket.on("message", (data: Buffer, rinfo) => {
      this.received++;
      if (held.length >= this.maxQueued) this.dropped++;
      else held.push({ data, address: rinfo.address, port: rinfo.port });
      this.unpause();
    });
    let address: ListenAddress;
    try {
      address = await new Promise<ListenAddress>((resolve, reject) => {
        socket.once("error", reject);
        socket.bind(this.port, this.host, () => {
          socket.off("error", reject);
          const a = socket.address();
          resolve({ host: a.address, port: a.port });
        });
      });
      this.configure(socket);
    } catch (e) {
      socket.close();
      const err = e instanceof NetError ? e : new NetError("LISTEN_FAILED", `${this.name}: cannot listen on ${this.host}:${this.port}: ${describeSocketError(e)}`, e);
      this.ready.reject(err);
      throw err;
    }
    socket.on("error", () => undefined);
    this.ready.resolve(address);
    try {
      for (;;) {
        while (held.length > 0 && !this.outbox.isFull()) this.send(held.shift()!);
        const kind = this.checkShutdown();
        if (kind === "stop" || (kind === "finish" && (held.length === 0 || this.outbox.final === null))) break;
        await this.pauseAsync();
      }
    } finally {
      socket.close();
    }
    this.passOnShutdown();
  }
}
