/**
 * UDPSender: sends each message as one datagram.
 *
 * @module
 */
import { createSocket, type Socket as DgramSocket } from "node:dgram";
import type { Outbox } from "../core/box.js";
import { Component } from "../core/component.js";
import { ErrorInformation } from "../core/ipc.js";
import { NetError, describeSocketError } from "./errors.js";
import { asBuffer, describe } from "./framing-component.js";

/**
 * Sends each message on `inbox` as one UDP datagram to `host:port`
 * (Kamaelia's `UDPSender` / `TargettedPeer`), one at a time, each send
 * completing before the next message is taken, so a bounded inbox holds a
 * fast producer back. The socket is bound to `localAddress:localPort` first
 * (127.0.0.1 and a free port unless told otherwise).
 *
 * A message that is not bytes or a string, or that cannot be sent (e.g.
 * `EMSGSIZE`, too long for one datagram), is reported as `ErrorInformation`
 * on `errors`, naming the component and its inbox, and the next message is
 * sent: one bad message loses nothing else. A socket that cannot be bound
 * makes the component fail with a {@link NetError}. On `producerFinished` it
 * sends everything waiting, then closes; on `shutdownMicroprocess` it closes
 * at once; either is passed on.
 */
export class UDPSender extends Component<Buffer | string, never> {
  static override inboxes = {
    inbox: "datagram payloads: Buffers, or strings (sent as UTF-8)",
    control: "producerFinished: send what waits, then stop; shutdownMicroprocess: stop now",
  };
  static override outboxes = {
    outbox: "unused",
    signal: "the shutdown message received, passed on",
    errors: "ErrorInformation for each message that could not be sent",
  };

  /** Where datagrams go. */
  host = "127.0.0.1";
  /** The destination port. */
  port = 0;
  /** The local address to send from. */
  localAddress = "127.0.0.1";
  /** The local port to send from; 0 for any. */
  localPort = 0;
  /** Datagrams sent. */
  sent = 0;
  /** ErrorInformation about each message that could not be sent. */
  readonly errors: Outbox<ErrorInformation> = this.addOutbox<ErrorInformation>("errors");

  /** Set socket options once bound (the multicast sender sets its TTL and interface here). */
  protected configure(socket: DgramSocket): void {
    void socket;
  }

  async main(): Promise<void> {
    if (!Number.isInteger(this.port) || this.port <= 0 || this.port > 65535) {
      throw new NetError("BAD_SETTING", `${this.name}: the destination port must be an integer from 1 to 65535, got ${String(this.port)}`);
    }
    const socket = createSocket({ type: this.localAddress.includes(":") ? "udp6" : "udp4" });
    socket.on("error", () => undefined);
    try {
      await new Promise<void>((resolve, reject) => {
        socket.once("error", reject);
        socket.bind(this.localPort, this.localAddress, () => {
          socket.off("error", reject);
          resolve();
        });
      });
      this.configure(socket);
    } catch (e) {
      socket.close();
      if (e instanceof NetError) throw e;
      throw new NetError("LISTEN_FAILED", `${this.name}: cannot bind ${this.localAddress}:${this.localPort}: ${describeSocketError(e)}`, e);
    }
    try {
      for (;;) {
        while (this.dataReady() > 0) {
          if (this.checkShutdown() === "stop") break;
          await this.sendOne(socket, this.recv());
        }
        const kind = this.checkShutdown();
        if (kind === "stop" || (kind === "finish" && this.dataReady() === 0)) break;
        await this.pauseAsync();
      }
    } finally {
      socket.close();
    }
    this.passOnShutdown();
  }

  private async sendOne(socket: DgramSocket, message: unknown): Promise<void> {
    const data = asBuffer(message);
    if (data === null) {
      this.report(new NetError("BAD_MESSAGE", `${this.name}.inbox: cannot send ${describe(message)} as a datagram: send a Buffer or a string`), message);
      return;
    }
    const err = await new Promise<Error | null>((resolve) => socket.send(data, this.port, this.host, (e) => resolve(e ?? null)));
    if (err === null) this.sent++;
    else {
      this.report(new NetError("SOCKET_ERROR", `${this.name}.inbox: a ${data.length}-byte datagram to ${this.host}:${this.port} was not sent: ${describeSocketError(err)}`, err), message);
    }
  }

  private report(error: NetError, message: unknown): void {
    this.trySend(new ErrorInformation(this, error, message), this.errors);
  }
}
