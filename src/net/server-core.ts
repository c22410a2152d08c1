/**
 * ServerCore: a TCP server running one protocol component per connection.
 *
 * @module
 */
import type { Socket } from "node:net";
import { Component, type AnyComponent } from "../core/component.js";
import type { ComponentFailure } from "../core/errors.js";
import { shutdownMicroprocess } from "../core/ipc.js";
import { ConnectedSocketAdapter } from "./connected-socket-adapter.js";
import { NetError } from "./errors.js";
import type { ConnectionInfo, ServerEvent } from "./ipc.js";
import { TCPServer, deferred, type ListenAddress } from "./tcp-server.js";

/** Makes the protocol component for one connection, given where it runs between. */
export type ProtocolFactory = (info: ConnectionInfo) => AnyComponent;

interface Connection {
  readonly id: number;
  readonly info: ConnectionInfo;
  readonly adapter: ConnectedSocketAdapter;
  readonly protocol: AnyComponent;
  reason: string | null;
  error: Error | undefined;
  /** After the socket went: when to stop the protocol if it has not finished (ms since epoch), and the timer that wakes us then. */
  stopAt?: number;
  stopTimer?: NodeJS.Timeout;
}

/**
 * A TCP server (Kamaelia's `ServerCore`): for each connection it calls the
 * `protocol` factory with the peer's and the local address and port, and
 * wires the component it returns to a {@link ConnectedSocketAdapter}: bytes
 * from the socket (Buffers) arrive on the protocol's `inbox`; what the
 * protocol sends from its `outbox` (Buffers or strings) is written to the
 * socket. The peer closing sends the protocol a `SocketShutdown` (a
 * `producerFinished`) on `control`; the protocol finishing (its `signal`)
 * closes the socket once its output is written. Backpressure holds both
 * ways: see ConnectedSocketAdapter.
 *
 * ```ts
 * await ServerCore.create({ port: 1601, protocol: () => new Echo() }).run();
 * class MailServer extends ServerCore { override port = 25; override protocol = smtp; }
 * ```
 *
 * Settings are inheritable defaults, overridable per instance with
 * `create()`. It listens on 127.0.0.1 unless `host` says otherwise.
 *
 * What happens when things go wrong (each closes one connection only; the
 * others, and their messages, are untouched):
 * - the protocol (or any component inside it) throws: that connection is
 *   closed, its protocol stopped, and the `closed` event's `reason` is the
 *   failure's message (e.g. a LineDeFramer's "line longer than …").
 * - the factory throws or returns something that is not a component: the
 *   socket is closed at once, reason given.
 * - the peer resets the connection (even mid-message): what it had sent is
 *   passed on, the protocol gets `SocketShutdown` with reason
 *   `connection reset by peer (ECONNRESET)`.
 * - the peer half-closes (stops sending, still reads): the protocol gets
 *   `SocketShutdown` and may still answer; the socket closes when it finishes.
 * - the peer never reads: its writes back up into the protocol, whose sends
 *   wait; memory stays bounded. `idleTimeoutMs` closes silent connections.
 * - the peer writes and never reads: every inbox in the protocol (but
 *   `control`) is bounded by `pipewidth` unless it has a limit already (see
 *   ConnectedSocketAdapter), so the protocol's sends wait, then its reads,
 *   and the socket stops being read: memory stays bounded, nothing is dropped.
 * - `maxConnections` are open: a new connection gets the `refusal` line and
 *   is closed (FIN); counted in `refused`, and a `refused` event is sent.
 * - the port is in use: the server fails with a NetError (`LISTEN_FAILED`,
 *   `address already in use (EADDRINUSE)`), `listening()` rejects, and `run()`
 *   rejects with it.
 *
 * The listener and the per-connection adapter are inheritable defaults too
 * (Kamaelia's `TCPS` and `CSA`): `class MyServer extends ServerCore {
 * override TCPServer = MyTCPServer }`, or `create({ ConnectedSocketAdapter: X })`.
 *
 * Shutdown: `shutdownMicroprocess` on `control` (or `stop()`) stops
 * accepting and closes every connection cleanly (written data is flushed, then
 * FIN; each protocol gets `shutdownMicroprocess`), then passes it on.
 * `producerFinished` stops accepting and ends every connection's input, as
 * if each peer had closed its side: each protocol gets `SocketShutdown`
 * (reason `server shutting down`), finishes what it has (its replies are
 * written), and its socket is closed with FIN; the server finishes when the
 * last connection has, and passes it on. (See `shutdownOnSignals`.)
 */
export class ServerCore extends Component<never, ServerEvent> {
  static override inboxes = {
    inbox: "unused",
    control: "shutdownMicroprocess: close every connection and stop; producerFinished: stop accepting, finish when the connections have ended",
  };
  static override outboxes = {
    outbox: "ServerEvents: listening, connected, refused and closed (with the reason), stopped; dropped when the box they go to is full",
    signal: "the shutdown message received, passed on when the server has stopped",
  };

  /** The port to listen on; 0 lets the system choose (see `listening()`). */
  port = 1601;
  /** The address to listen on. */
  host = "127.0.0.1";
  /** Makes the protocol component for each connection. */
  protocol: ProtocolFactory | null = null;
  /** Per connection: most messages waiting in each direction between socket and protocol. */
  pipewidth = 16;
  /** Longest a clean close may take before the socket is destroyed, in ms; also how long a protocol may take to finish once its socket is gone, before it is stopped. */
  closeTimeoutMs = 2000;
  /** After a socket closes, longest to wait for its protocol to finish before stopping it, in ms. */
  lingerMs = 10_000;
  /**
   * Close a connection after this long with no data either way, in ms; 0 for
   * never. Default 5 minutes: long enough for people at a prompt, short
   * enough that silent connections cannot hold `maxConnections` for ever.
   */
  idleTimeoutMs = 300_000;
  /**
   * Most connections open at once; more are refused with `refusal`. Default
   * 1000: well within a default file-descriptor limit (1024), and about
   * 20 MB of per-connection state at most for a small protocol.
   */
  maxConnections = 1000;
  /** Written to a connection refused because `maxConnections` are open, before it is closed; null for the default line. */
  refusal: string | null = null;
  /** Connections refused because `maxConnections` were open. */
  refused = 0;
  /** The listening component's class (Kamaelia's `TCPS`): override to change how connections are accepted. */
  TCPServer: typeof TCPServer = TCPServer;
  /** The class wrapping each connection's socket (Kamaelia's `CSA`): override to change how a socket is read and written. */
  ConnectedSocketAdapter: typeof ConnectedSocketAdapter = ConnectedSocketAdapter;
  /** Longest queue of connections not yet accepted. */
  backlog = 511;
  /** Events not sent because the box they go to was full. */
  eventsDropped = 0;

  /** Sockets accepted by the TCPServer child. */
  readonly newConnection = this.addInbox<Socket>("_newConnection", "sockets accepted by the TCPServer child");

  private tcp: TCPServer | null = null;
  private fatal: ComponentFailure | null = null;
  private readonly conns = new Map<AnyComponent, Connection>();
  private nextConnection = 1;
  private readonly ready = deferred<ListenAddress>();
  private closing = false;

  /** Resolves with the address once listening; rejects if it cannot listen. */
  listening(): Promise<ListenAddress> {
    return this.ready.promise;
  }

  /** How many connections are open. */
  get connectionCount(): number {
    return this.conns.size / 2;
  }

  /** Make the protocol component for one connection (SimpleServer overrides this). */
  protected makeProtocol(factory: ProtocolFactory, info: ConnectionInfo): AnyComponent {
    return factory(info);
  }

  async main(): Promise<void> {
    const factory = this.protocol;
    if (typeof factory !== "function") {
      const err = new NetError(
        "BAD_SETTING",
        `${this.name}: no protocol factory: give one, e.g. ServerCore.create({ protocol: (info) => new Echo(), port: 1601 })`,
      );
      this.ready.reject(err);
      throw err;
    }
    if (!Number.isInteger(this.port) || this.port < 0 || this.port > 65535) {
      const err = new NetError("BAD_SETTING", `${this.name}: port must be an integer from 0 to 65535, got ${String(this.port)}`);
      this.ready.reject(err);
      throw err;
    }
    if (!Number.isInteger(this.maxConnections) || this.maxConnections < 1) {
      const err = new NetError("BAD_SETTING", `${this.name}: maxConnections must be a whole number >= 1, got ${String(this.maxConnections)}`);
      this.ready.reject(err);
      throw err;
    }
    const tcp = this.TCPServer.create({ port: this.port, host: this.host, backlog: this.backlog });
    this.tcp = tcp;
    this.addChildren(tcp);
    this.link(tcp.outbox, this.newConnection);
    tcp.activate(this.system!);
    let address: ListenAddress;
    try {
      address = await tcp.listening();
    } catch (e) {
      this.ready.reject(e);
      throw e;
    }
    this.ready.resolve(address);
    this.event({ type: "listening", host: address.host, port: address.port });
    for (;;) {
      while (this.dataReady(this.newConnection) > 0) this.accept(this.recv(this.newConnection), factory);
      const kind = this.checkShutdown();
      if (kind !== null && !this.closing) {
        this.closing = true;
        tcp.control.final.deliver(this.shutdownMessage, this.control);
        for (const c of new Set(this.conns.values())) {
          if (kind === "stop") this.close(c, "server stopped");
          else c.adapter.endInput("server shutting down");
        }
      }
      this.reap();
      if (this.fatal !== null) throw this.fatal;
      if (this.closing && this.childrenDone()) break;
      await this.pauseAsync();
    }
    this.event({ type: "stopped" });
    this.passOnShutdown();
  }

  private accept(socket: Socket, factory: ProtocolFactory): void {
    if (this.closing) {
      socket.destroy();
      return;
    }
    const info: ConnectionInfo = {
      peer: socket.remoteAddress ?? "",
      peerPort: socket.remotePort ?? 0,
      localIp: socket.localAddress ?? "",
      localPort: socket.localPort ?? 0,
    };
    if (this.connectionCount >= this.maxConnections) {
      this.refuse(socket, info);
      return;
    }
    const id = this.nextConnection++;
    let protocol: unknown;
    try {
      protocol = this.makeProtocol(factory, info);
      if (!(protocol instanceof Component)) {
        throw new NetError("BAD_SETTING", `${this.name}: the protocol factory returned ${typeof protocol === "object" ? "a non-component object" : `a ${typeof protocol}`}, not a component`);
      }
    } catch (e) {
      socket.destroy();
      const error = e instanceof Error ? e : new Error(String(e));
      this.event({ type: "closed", id, ...info, reason: `${this.name}: the protocol factory failed: ${error.message}`, error });
      return;
    }
    const adapter = this.ConnectedSocketAdapter.create({
      pipewidth: this.pipewidth,
      closeTimeoutMs: this.closeTimeoutMs,
      lingerMs: this.lingerMs,
      idleTimeoutMs: this.idleTimeoutMs,
      protocol,
    });
    adapter.attach(socket);
    const conn: Connection = { id, info, adapter, protocol, reason: null, error: undefined };
    this.conns.set(adapter, conn);
    this.conns.set(protocol, conn);
    this.addChildren(adapter, protocol);
    this.link(adapter.outbox, [protocol, "inbox"]);
    this.link([protocol, "outbox"], adapter.inbox);
    this.link(adapter.signal, [protocol, "control"]);
    this.link([protocol, "signal"], adapter.control);
    adapter.activate(this.system!);
    protocol.activate(this.system!);
    this.event({ type: "connected", id, ...info });
  }

  /**
   * Tell the peer the server is full, then close (FIN). What it sends
   * meanwhile is read and discarded, so the close is not a reset; the socket
   * goes when the peer closes its side too, or after `closeTimeoutMs`.
   */
  private refuse(socket: Socket, info: ConnectionInfo): void {
    this.refused++;
    this.event({ type: "refused", ...info, reason: `${this.maxConnections} connections are open (maxConnections)` });
    const timer = setTimeout(() => socket.destroy(), this.closeTimeoutMs);
    socket.once("close", () => clearTimeout(timer));
    socket.on("data", () => undefined);
    socket.resume();
    socket.end(this.refusal ?? `server busy: ${this.maxConnections} connections are open, the most it takes; try again later\n`);
  }

  private close(c: Connection, reason: string): void {
    c.reason ??= reason;
    if (!c.adapter.isFinished()) c.adapter.control.deliver(shutdownMicroprocess(this), this.control);
  }

  private reap(): void {
    for (const [key, c] of this.conns) {
      if (key !== c.adapter) continue;
      if (!c.adapter.isFinished()) continue;
      // The socket is gone, and the adapter's last act was to tell the protocol (its
      // signal leads to the protocol's control): give the protocol a moment to act on
      // it (a chat says who left), then stop it.
      if (!c.protocol.isFinished() && c.stopAt === undefined) {
        c.stopAt = Date.now() + this.closeTimeoutMs;
        c.stopTimer = setTimeout(() => this.unpause(), this.closeTimeoutMs + 1);
      }
      if (!c.protocol.isFinished() && Date.now() >= (c.stopAt ?? 0)) c.protocol.stop();
      if (!c.protocol.isFinished()) continue;
      clearTimeout(c.stopTimer);
      this.conns.delete(c.adapter);
      this.conns.delete(c.protocol);
      this.removeChild(c.adapter);
      this.removeChild(c.protocol);
      const error = c.error ?? c.adapter.closeError ?? undefined;
      const reason = c.reason ?? c.adapter.closeReason ?? "closed";
      this.event(error === undefined ? { type: "closed", id: c.id, ...c.info, reason } : { type: "closed", id: c.id, ...c.info, reason, error });
    }
  }

  private event(e: ServerEvent): void {
    if (!this.trySend(e)) this.eventsDropped++;
  }

  /**
   * A child failed. The TCPServer failing fails the server; anything in one
   * connection failing closes that connection only, with the failure as the reason.
   */
  protected override childFailed(child: AnyComponent, failure: ComponentFailure): void {
    if (child === this.tcp) {
      this.fatal ??= failure;
      this.unpause();
      return;
    }
    const c = this.conns.get(child);
    if (c === undefined) {
      super.childFailed(child, failure);
      return;
    }
    c.error ??= failure;
    this.close(c, failure.message);
    this.unpause();
  }
}

/** A {@link ServerCore} whose protocol factory takes no arguments (Kamaelia's `SimpleServer`). */
export class SimpleServer extends ServerCore {
  protected override makeProtocol(factory: ProtocolFactory): AnyComponent {
    return (factory as () => AnyComponent)();
  }
}
