/**
 * The errors the networking components raise. Every message names the
 * component, and the box or setting involved, as the core's errors do.
 *
 * @module
 */
import { KamaeliaError } from "../core/errors.js";

/**
 * A socket could not be opened or failed: `LISTEN_FAILED` (a server could
 * not bind, e.g. the port is in use), `CONNECT_FAILED` (a client could not
 * connect), `SOCKET_ERROR` (an open socket failed, e.g. reset by the peer),
 * `BAD_SETTING` (a component was given an unusable setting), `BAD_MESSAGE`
 * (something that cannot be written to a socket arrived on an inbox).
 */
export class NetError extends KamaeliaError {
  /** The operating system's error code (`EADDRINUSE`, `ECONNREFUSED`, …), when there was one. */
  readonly syscallCode: string | undefined;

  constructor(code: "LISTEN_FAILED" | "CONNECT_FAILED" | "SOCKET_ERROR" | "BAD_SETTING" | "BAD_MESSAGE", message: string, cause?: unknown) {
    super(code, message, cause === undefined ? undefined : { cause });
    this.syscallCode = osCode(cause);
  }
}

/**
 * Bad data in a framed stream: `FRAME_TOO_LARGE` (a line or frame longer
 * than the component's limit) or `MALFORMED_FRAME` (e.g. a line that is not
 * JSON, or a message that cannot be encoded).
 */
export class FramingError extends KamaeliaError {
  constructor(code: "FRAME_TOO_LARGE" | "MALFORMED_FRAME", message: string, cause?: unknown) {
    super(code, message, cause === undefined ? undefined : { cause });
  }
}

/** The `code` of a Node system error (`ECONNRESET`, …), if `e` is one. */
export function osCode(e: unknown): string | undefined {
  if (typeof e === "object" && e !== null && "code" in e && typeof (e as { code: unknown }).code === "string") {
    return (e as { code: string }).code;
  }
  return undefined;
}

/** A short, human explanation of a socket error: `connection reset by peer (ECONNRESET)`. */
export function describeSocketError(e: unknown): string {
  const code = osCode(e);
  const known: Record<string, string> = {
    ECONNRESET: "connection reset by peer",
    ECONNREFUSED: "connection refused",
    EADDRINUSE: "address already in use",
    EADDRNOTAVAIL: "address not available",
    EACCES: "permission denied",
    EPIPE: "broken pipe (the peer closed the connection)",
    ETIMEDOUT: "timed out",
    EHOSTUNREACH: "host unreachable",
    ENOTFOUND: "host not found",
    EMSGSIZE: "message too long for one datagram",
  };
  if (code !== undefined && known[code] !== undefined) return `${known[code]} (${code})`;
  if (e instanceof Error) return code !== undefined && !e.message.includes(code) ? `${e.message} (${code})` : e.message;
  return String(e);
}
