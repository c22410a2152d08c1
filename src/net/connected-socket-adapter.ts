/**
 * ConnectedSocketAdapter: one connected TCP socket as a component.
 *
 * @module
 */
import type { Socket } from "node:net";
import type { Inbox } from "../core/box.js";
import { Component, type AnyComponent, type Wait } from "../core/component.js";
import { NetError } from "./errors.js";
import { CloseConnection, SocketShutdown } from "./ipc.js";
import { SocketIO } from "./socket-io.js";

/**
 * Wraps one connected socket (Kamaelia's `ConnectedSocketAdapter`, without
 * the Selector: Node's socket events do its job). {@link ServerCore} makes one
 * per connection and links it to that connection's protocol component.
 *
 * Backpressure both ways. Received chunks are sent with the limit of the
 * inbox they reach respected: while it is full the chunks wait here and the
 * socket stops reading (so a slow protocol slows the peer, through TCP, and
 * memory stays bounded). `pipewidth` is applied to that inbox as Axon's
 * `pipewidth` on a link would be, found again whenever the chain changes (a
 * Pipeline wires itself after it starts). Writing stops while the socket's
 * buffer is over its high-water mark and resumes on `drain`; this adapter's
 * own `inbox` is limited to `pipewidth` messages, so a peer that stops
 * reading makes the protocol's sends wait instead of memory growing.
 * With `protocol` set (ServerCore sets it), every inbox in the protocol's
 * component tree that has no limit, except `control`, gets `pipewidth`: the
 * tree is walked when the adapter wakes, at most every `boundEveryMs` (so
 * components a chassis adds later are bounded too, having held at most
 * that long's worth). Every box on the connection's path is then
 * bounded, a client that writes and never reads ends up with its socket
 * paused, and nothing is dropped. A component in the protocol that sends
 * with plain `send` rather than `waitSend` may then meet a BoxFullError,
 * which closes that connection with the reason.
 *
 * Ending:
 * - the peer closes its side (EOF), resets the connection, or the socket
 *   fails: every chunk already received is still passed on, then one
 *   {@link SocketShutdown} (a `producerFinished`, with the reason) goes out of
 *   `signal`. If the socket is still writable (a half-open connection: the
 *   peer has finished sending but still reads) writing carries on until the
 *   protocol finishes; if it is closed, what arrives on `inbox` is dropped
 *   and, should the protocol not finish within `lingerMs`, the adapter ends.
 * - `producerFinished` on `control` (the protocol finished): every message
 *   waiting on `inbox` is written and flushed, then the socket is closed (FIN).
 * - `shutdownMicroprocess` on `control`: the socket is closed at once (what
 *   was already written is still flushed, bounded by `closeTimeoutMs`);
 *   messages waiting on `inbox` are dropped. A {@link CloseConnection} also
 *   has its `lastWords` written first, and its `reason` becomes the close reason.
 * - {@link endInput} (ServerCore's graceful shutdown): reading stops as if
 *   the peer had closed its side: the protocol gets `SocketShutdown`, may
 *   still answer, and the socket closes (FIN) when it finishes.
 * A message on `inbox` that is neither a Buffer (or Uint8Array) nor a string
 * makes the adapter fail with a {@link NetError} (`BAD_MESSAGE`) naming it and
 * its inbox; under a ServerCore that closes only this connection.
 * In every case the socket is released (destroyed after `closeTimeoutMs` at
 * worst, e.g. when the peer never reads) before the adapter finishes.
 */
export class ConnectedSocketAdapter extends Component<Buffer | string, Buffer> {
  static override inboxes = {
    inbox: "bytes to write to the socket (a Buffer, or a string written as UTF-8)",
    control: "producerFinished: write what waits, then close; shutdownMicroprocess: close now",
  };
  static override outboxes = {
    outbox: "the bytes received from the peer, as Buffers, in order",
    signal: "one message: SocketShutdown (with the reason) when the input ends, or the control message received if told to close first",
  };

  /** Most messages waiting on `inbox`, and the limit applied to the inbox receiving `outbox`; 0 leaves them unlimited. */
  pipewidth = 16;
  /** Longest to wait for a clean close (flush and FIN) before destroying the socket, in ms. */
  closeTimeoutMs = 2000;
  /** After the socket has closed, longest to wait for the protocol to finish before ending anyway, in ms. */
  lingerMs = 10_000;
  /** Close the connection after this long with no data either way, in ms; 0 for never. */
  idleTimeoutMs = 0;
  /** Messages that arrived on `inbox` after the socket had closed, and so were dropped. */
  writesDropped = 0;
  /** Why the connection ended, once it has. */
  closeReason: string | null = null;
  /** The socket error that ended it, if any. */
  closeError: Error | null = null;

  /** The protocol component at the other end, whose inboxes are bounded by `pipewidth` (see above); null for none. */
  protocol: AnyComponent | null = null;

  /** Longest between two walks of the protocol's tree to bound new inboxes, in ms (while the adapter is awake). */
  boundEveryMs = 10;

  private io: SocketIO | null = null;
  private limited: Inbox | null = null;
  private lastBound = -Infinity;
  private inputEndReason: string | null = null;

  /** Wrap `socket` (or give it later with {@link attach}, when made with `create()`). */
  constructor(socket?: Socket) {
    super();
    if (socket !== undefined) this.attach(socket);
  }

  /**
   * Take over a socket: from now on its errors are this component's to report.
   * @throws NetError (`BAD_SETTING`) if it already has one.
   */
  attach(socket: Socket): this {
    if (this.io !== null) throw new NetError("BAD_SETTING", `${this.name} already wraps a socket`);
    this.io = new SocketIO(socket, () => this.unpause());
    return this;
  }

  /**
   * Stop reading, as if the peer had closed its side: chunks already read are
   * passed on, then the protocol gets a SocketShutdown with `reason`.
   */
  endInput(reason: string): void {
    this.inputEndReason ??= reason;
    if (this.io === null || this.io.readEnded) return;
    this.closeReason ??= reason;
    this.io.endInput();
  }

  /** The socket this adapter wraps, if it has one yet. */
  get socket(): Socket | null {
    return this.io?.socket ?? null;
  }

  // A generator, not an async main: it sleeps after every batch it writes, and waking a generator is a
  // flag and a run-queue entry, where an async main pays a promise and a stop-signal listener per wake (W7).
  *main(): Wait {
    const io = this.io;
    if (io === null) throw new NetError("BAD_SETTING", `${this.name}: no socket to wrap: construct it with one, or call attach(socket) before activating it`);
    if (this.pipewidth > 0) this.inbox.setSize(this.pipewidth);
    if (this.idleTimeoutMs > 0) {
      io.socket.setTimeout(this.idleTimeoutMs, () => {
        this.closeReason ??= `idle for ${this.idleTimeoutMs} ms`;
        io.socket.destroy();
      });
    }
    io.start();
    if (this.inputEndReason !== null) this.endInput(this.inputEndReason);
    let finishing = false;
    let stopping = false;
    let signalled = false;
    let lingerTimer: NodeJS.Timeout | null = null;
    let lingerExpired = false;
    try {
      for (;;) {
        this.applyPipewidth();
        this.boundProtocol();
        while (io.rx.length > 0 && !this.outbox.isFull()) {
          this.send(io.rx.shift()!);
          this.applyPipewidth();
        }
        io.resumeIfEmpty();
        if (io.readEnded && io.rx.length === 0 && !signalled) {
          signalled = true;
          this.closeReason ??= io.endReason();
          this.send(new SocketShutdown(this, this.closeReason, io.error ?? undefined), "signal");
        }
        const kind = this.checkShutdown();
        if (kind === "stop") {
          stopping = true;
          const m = this.shutdownMessage;
          if (m instanceof CloseConnection) {
            this.closeReason ??= m.reason;
            if (m.lastWords !== undefined && !io.closed) io.socket.write(m.lastWords);
          }
          break;
        }
        if (kind === "finish") finishing = true;
        if (io.closed) {
          // Nothing can be written any more: drop output rather than leave the protocol waiting for room.
          this.writesDropped += this.recvAll().length;
          if (finishing || lingerExpired) break;
          lingerTimer ??= setTimeout(() => {
            lingerExpired = true;
            this.unpause();
          }, this.lingerMs);
        } else {
          // Everything waiting goes out as one chunk: one write, one system call, however many small messages
          // (a chat line each, W7), rather than a write per message through the stream's machinery.
          if (this.dataReady() > 0 && !io.draining) {
            const ms = this.recvAll();
            const bad = ms.findIndex((m) => typeof m !== "string" && !(m instanceof Uint8Array));
            // What came before a message that cannot be written still goes out, as it did one write at a time.
            if (bad !== 0) io.write(joinWritable(bad < 0 ? ms : ms.slice(0, bad), this.name));
            if (bad >= 0) checkWritable(ms[bad], this.name);
          }
          if (finishing && this.dataReady() === 0) break;
        }
        this.pause();
        yield;
      }
    } finally {
      if (lingerTimer !== null) clearTimeout(lingerTimer);
      this.closeError ??= io.error;
      this.closeReason ??= stopping ? "closed: told to stop" : finishing ? "closed: the protocol finished" : "closed";
      // A stop from outside (the generator is returned) also lands here: the socket is released either way.
      yield io.close(this.closeTimeoutMs);
    }
    if (!signalled) this.passOnShutdown();
  }

  /** Give every unlimited inbox (but `control`) in the protocol's tree the `pipewidth` limit. */
  private boundProtocol(): void {
    if (this.protocol === null || this.pipewidth <= 0) return;
    const now = performance.now();
    if (now - this.lastBound < this.boundEveryMs) return;
    this.lastBound = now;
    const stack: AnyComponent[] = [this.protocol];
    while (stack.length > 0) {
      const c = stack.pop()!;
      for (const box of c.inboxes()) if (box.name !== "control" && box.limit === Infinity) box.setSize(this.pipewidth);
      for (const k of c.childComponents()) stack.push(k);
    }
  }

  private applyPipewidth(): void {
    const f = this.outbox.final;
    if (f === null || f === this.limited || this.pipewidth <= 0) return;
    this.limited = f;
    if (f.limit === Infinity) f.setSize(this.pipewidth);
  }
}

/** `m` if a socket can write it. @throws NetError (`BAD_MESSAGE`) naming the component's inbox otherwise. */
export function checkWritable(m: unknown, component: string): Buffer | string {
  if (typeof m === "string" || Buffer.isBuffer(m)) return m;
  if (m instanceof Uint8Array) return Buffer.from(m.buffer, m.byteOffset, m.byteLength);
  const what = m === null ? "null" : typeof m === "object" ? `an object (${(m as object).constructor?.name ?? "Object"})` : `a ${typeof m}`;
  throw new NetError("BAD_MESSAGE", `${component}.inbox: cannot write ${what} to a socket: send a Buffer or a string (frame objects first, e.g. with JsonFramer)`);
}

/**
 * Messages as one chunk to write: strings joined (the common case, one
 * string), or, when there are Buffers among them, everything concatenated.
 * @throws NetError (`BAD_MESSAGE`) for a message a socket cannot write, naming the inbox.
 */
export function joinWritable(ms: readonly unknown[], component: string): Buffer | string {
  if (ms.length === 1) return checkWritable(ms[0], component);
  let text = "";
  let bufs: Buffer[] | null = null;
  for (const m of ms) {
    const w = checkWritable(m, component);
    if (typeof w === "string" && bufs === null) text += w;
    else (bufs ??= text === "" ? [] : [Buffer.from(text)]).push(typeof w === "string" ? Buffer.from(w) : w);
  }
  return bufs === null ? text : Buffer.concat(bufs);
}
