/**
 * Messages and records the networking components exchange.
 *
 * @module
 */
import { ProducerFinished, ShutdownMicroprocess } from "../core/ipc.js";

/**
 * "The connection's input has ended": the peer closed its side, the
 * connection was reset, or it was closed locally. A {@link ProducerFinished},
 * so a protocol handler treats it as "finish your work and pass it on".
 * `reason` says why, in words; `error` holds the socket error, if any.
 */
export class SocketShutdown extends ProducerFinished {
  constructor(
    caller: object | undefined,
    /** Why the input ended, e.g. `peer closed the connection` or `connection reset by peer (ECONNRESET)`. */
    readonly reason: string,
    /** The socket error that ended it, if any. */
    readonly error?: Error,
  ) {
    super(caller);
  }
}

/**
 * "Close this connection now, and tell the peer why": a
 * `shutdownMicroprocess` that a protocol passes on out of its `signal` to
 * its {@link ConnectedSocketAdapter}. The adapter writes `lastWords` (if
 * given) straight to the socket, after what the socket already holds but
 * ahead of anything still queued (which is dropped), then closes it; the
 * server's `closed` event carries `reason`.
 */
export class CloseConnection extends ShutdownMicroprocess {
  constructor(
    caller: object | undefined,
    /** Why, in words, for the server's `closed` event. */
    readonly reason: string,
    /** Bytes for the peer before the close (framed already, e.g. a line with its newline). */
    readonly lastWords?: Buffer | string,
  ) {
    super(caller);
  }
}

/** Where a connection runs between: what a protocol factory receives. */
export interface ConnectionInfo {
  /** The peer's IP address. */
  readonly peer: string;
  /** The peer's port. */
  readonly peerPort: number;
  /** The local IP address the connection arrived on. */
  readonly localIp: string;
  /** The local port. */
  readonly localPort: number;
}

/** A datagram received by a UDP receiver: the bytes and who sent them (Kamaelia's `(src_addr, data)`). */
export interface Datagram {
  /** The datagram's bytes. */
  readonly data: Buffer;
  /** The sender's IP address. */
  readonly address: string;
  /** The sender's port. */
  readonly port: number;
}

/** What a server reports on its `outbox` about itself and its connections. */
export type ServerEvent =
  | {
      /** The server is listening… */
      readonly type: "listening";
      /** …on this address… */
      readonly host: string;
      /** …and port. */
      readonly port: number;
    }
  | ({
      /** A connection was accepted. */
      readonly type: "connected";
      /** The connection's number, unique in this server. */
      readonly id: number;
    } & ConnectionInfo)
  | ({
      /** A connection was closed. */
      readonly type: "closed";
      /** The connection's number. */
      readonly id: number;
      /** Why it closed, in words. */
      readonly reason: string;
      /** The socket error that closed it, if one did. */
      readonly error?: Error;
    } & ConnectionInfo)
  | ({
      /** A connection was refused (`maxConnections` were open): told why, then closed. */
      readonly type: "refused";
      /** Why, in words. */
      readonly reason: string;
    } & ConnectionInfo)
  | {
      /** The server has stopped. */
      readonly type: "stopped";
    };
