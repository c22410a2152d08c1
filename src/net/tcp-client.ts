/**
 * TCPClient: an outgoing TCP connection as a component.
 *
 * @module
 */
import { connect } from "node:net";
import { Component } from "../core/component.js";
import { ErrorInformation } from "../core/ipc.js";
import { checkWritable } from "./connected-socket-adapter.js";
import { NetError, describeSocketError } from "./errors.js";
import { SocketShutdown } from "./ipc.js";
import { SocketIO } from "./socket-io.js";

/**
 * Connects to `host:port` (Kamaelia's `TCPClient(host, port)`): what arrives
 * on `inbox` is written to the connection, what the server sends comes out
 * of `outbox` as Buffers, in order.
 *
 * ```ts
 * await Pipeline(DataSource("hello\n"), new TCPClient("127.0.0.1", 1501), new ConsoleEchoer()).run();
 * ```
 *
 * Backpressure: writing waits for `drain` when the socket's buffer is full
 * (messages wait on `inbox`, whose senders wait when it is bounded); reading
 * pauses while the inbox downstream is full.
 *
 * Ending, always with one {@link SocketShutdown} (a `producerFinished`
 * carrying the reason) out of `signal`, after everything received has been
 * sent on:
 * - `producerFinished` on `control`: what waits on `inbox` is written, our
 *   side is closed (FIN), and the client keeps reading until the server
 *   closes, as `nc` does; then it finishes.
 * - the server closes its side: what waits on `inbox` is still written, then
 *   the socket is closed and the client finishes.
 * - the connection cannot be made (refused, unknown host, `connectTimeoutMs`
 *   passed) or fails (reset): an `ErrorInformation` carrying a
 *   {@link NetError} (`CONNECT_FAILED` / `SOCKET_ERROR`) that names the client,
 *   the address and the reason (e.g. `connection refused (ECONNREFUSED)`) goes
 *   out of `signal` first; the client finishes without failing.
 * - `shutdownMicroprocess` on `control`: the socket is closed at once and
 *   the message passed on instead.
 */
export class TCPClient extends Component<Buffer | string, Buffer> {
  static override inboxes = {
    inbox: "bytes to send (Buffers, or strings sent as UTF-8)",
    control: "producerFinished: send what waits, close our side, finish when the server closes; shutdownMicroprocess: close now",
  };
  static override outboxes = {
    outbox: "the bytes the server sends, as Buffers, in order",
    signal: "ErrorInformation if the connection failed, then SocketShutdown with the reason (or the shutdownMicroprocess received)",
  };

  /** The server's address. */
  host = "127.0.0.1";
  /** The server's port. */
  port = 0;
  /** Give up connecting after this long, in ms. */
  connectTimeoutMs = 10_000;
  /** Longest a clean close may take before the socket is destroyed, in ms. */
  closeTimeoutMs = 2000;
  /** Why the connection ended, once it has. */
  closeReason: string | null = null;
  /** The error that ended it, if any. */
  error: NetError | null = null;

  /** Connect to `host:port` (both can also be given with `create()`). */
  constructor(host?: string, port?: number) {
    super();
    if (host !== undefined) this.host = host;
    if (port !== undefined) this.port = port;
  }

  async main(): Promise<void> {
    const where = `${this.host}:${this.port}`;
    if (!Number.isInteger(this.port) || this.port <= 0 || this.port > 65535) {
      return this.fail(new NetError("BAD_SETTING", `${this.name}: cannot connect to ${where}: the port must be an integer from 1 to 65535`));
    }
    const socket = connect({ host: this.host, port: this.port, allowHalfOpen: true });
    const io = new SocketIO(socket, () => this.unpause());
    try {
      await this.connected(socket);
    } catch (e) {
      socket.destroy();
      if (this.stopSignal.aborted) throw e;
      return this.fail(new NetError("CONNECT_FAILED", `${this.name}: cannot connect to ${where}: ${describeSocketError(e)}`, e));
    }
    io.start();
    let finishing = false;
    let stopping = false;
    try {
      for (;;) {
        while (io.rx.length > 0 && !this.outbox.isFull()) this.send(io.rx.shift()!);
        io.resumeIfEmpty();
        const kind = this.checkShutdown();
        if (kind === "stop") {
          stopping = true;
          break;
        }
        if (kind === "finish") finishing = true;
        if (!io.closed && this.dataReady() > 0 && !io.draining) {
          socket.cork();
          while (this.dataReady() > 0 && !io.draining) io.write(checkWritable(this.recv(), this.name));
          socket.uncork();
        }
        if (io.readEnded && io.rx.length === 0) {
          if (io.closed || this.dataReady() === 0) break;
        } else if (finishing && this.dataReady() === 0 && !socket.writableEnded) {
          socket.end();
        }
        await this.pauseAsync();
      }
    } finally {
      this.closeReason ??= stopping ? "closed: told to stop" : io.readEnded ? io.endReason() : "closed";
      await io.close(this.closeTimeoutMs);
    }
    if (io.error !== null) {
      this.error = new NetError("SOCKET_ERROR", `${this.name}: connection to ${where} failed: ${describeSocketError(io.error)}`, io.error);
      this.send(new ErrorInformation(this, this.error), "signal");
    }
    if (stopping) this.passOnShutdown();
    else this.send(new SocketShutdown(this, this.closeReason, io.error ?? undefined), "signal");
  }

  private connected(socket: ReturnType<typeof connect>): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const stop = this.stopSignal;
      const done = (e?: unknown): void => {
        clearTimeout(timer);
        socket.off("connect", onConnect);
        socket.off("error", done);
        stop.removeEventListener("abort", onAbort);
        if (e === undefined) resolve();
        else reject(e);
      };
      const onConnect = (): void => done();
      const onAbort = (): void => done(stop.reason);
      const timer = setTimeout(() => done(Object.assign(new Error(`timed out after ${this.connectTimeoutMs} ms`), { code: "ETIMEDOUT" })), this.connectTimeoutMs);
      socket.once("connect", onConnect);
      socket.once("error", done);
      stop.addEventListener("abort", onAbort, { once: true });
    });
  }

  private fail(error: NetError): void {
    this.error = error;
    this.closeReason = error.message;
    this.send(new ErrorInformation(this, error), "signal");
    this.send(new SocketShutdown(this, error.message, error), "signal");
  }
}
