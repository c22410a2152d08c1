/**
 * SocketIO: the bookkeeping between a Node socket and a component's boxes,
 * shared by {@link ConnectedSocketAdapter} and {@link TCPClient}.
 *
 * It turns socket events into state the component's loop reads (received
 * chunks not yet passed on, whether the input has ended, whether a write is
 * waiting for `drain`, the first error) and calls `notify` (the component's
 * `unpause`) on every change. Reading is paused while received chunks wait
 * (the downstream inbox is full), so a slow reader makes the socket stop
 * reading instead of memory growing; writing waits for `drain` whenever
 * `write()` returns false.
 *
 * @module
 */
import type { Socket } from "node:net";
import { describeSocketError } from "./errors.js";

/** Most chunks held before reading pauses (each is at most one socket read, 64 KiB by default). */
const RX_HELD = 2;

/** Socket state as a component's loop needs it. */
export class SocketIO {
  /** Chunks read and not yet passed on. */
  readonly rx: Buffer[] = [];
  /** The peer has closed its side (or the socket closed): no more chunks will arrive. */
  readEnded = false;
  /** The socket is fully closed. */
  closed = false;
  /** A `write()` returned false: writing waits for `drain`. */
  draining = false;
  /** The first socket error, if any. */
  error: Error | null = null;
  /**
   * Bytes written so far (the socket's own count, buffered bytes included:
   * counting each chunk here would measure every string's UTF-8 length, a
   * pass over it before the socket's own, W7).
   */
  get bytesWritten(): number {
    return this.socket.bytesWritten;
  }
  private readPaused = false;
  private started = false;

  constructor(
    /** The socket. */
    readonly socket: Socket,
    private readonly notify: () => void,
  ) {
    // Listeners go on at once: an 'error' with no listener would crash the process.
    socket.on("data", (chunk: Buffer) => {
      this.rx.push(chunk);
      if (this.rx.length >= RX_HELD && !this.readPaused) {
        this.readPaused = true;
        socket.pause();
      }
      this.notify();
    });
    socket.on("end", () => {
      this.readEnded = true;
      this.notify();
    });
    socket.on("error", (e: Error) => {
      this.error ??= e;
      this.notify();
    });
    socket.on("close", () => {
      this.closed = true;
      this.readEnded = true;
      this.draining = false;
      this.notify();
    });
    socket.on("drain", () => {
      this.draining = false;
      this.notify();
    });
    if (socket.destroyed) {
      this.closed = true;
      this.readEnded = true;
    }
  }

  /** Start reading (sockets are handed over paused, so nothing arrives before the component runs). */
  start(): void {
    if (this.started) return;
    this.started = true;
    if (!this.readPaused && !this.closed) this.socket.resume();
  }

  /** Stop reading for good, as if the peer had closed its side (chunks already held are still passed on). */
  endInput(): void {
    if (this.readEnded) return;
    this.readEnded = true;
    this.readPaused = true;
    this.socket.pause();
    this.notify();
  }

  /** Resume reading once every held chunk has been passed on. */
  resumeIfEmpty(): void {
    if (this.readPaused && this.rx.length === 0 && !this.readEnded) {
      this.readPaused = false;
      this.socket.resume();
    }
  }

  /** Write a chunk; returns false (and sets `draining`) when the socket's buffer is full. */
  write(chunk: Buffer | string): boolean {
    if (this.closed || this.socket.writableEnded) return false;
    const ok = this.socket.write(chunk);
    if (!ok) this.draining = true;
    return ok;
  }

  /** Why the input ended, in words. */
  endReason(): string {
    if (this.error !== null) return describeSocketError(this.error);
    return "peer closed the connection";
  }

  /**
   * Close cleanly: send what is buffered, then FIN, then release the socket
   * once its output has been flushed; if that takes longer than `timeoutMs`
   * (a peer that never reads), destroy it. Resolves when it is closed.
   */
  close(timeoutMs: number): Promise<void> {
    const s = this.socket;
    if (s.destroyed) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const timer = setTimeout(() => s.destroy(), timeoutMs);
      s.once("close", () => {
        clearTimeout(timer);
        resolve();
      });
      if (s.writableFinished) s.destroy();
      else if (s.writableEnded) s.once("finish", () => s.destroy());
      else s.end(() => s.destroy());
    });
  }

  /** Close at once (no flush). Resolves when it is closed. */
  destroy(): Promise<void> {
    const s = this.socket;
    if (s.destroyed && this.closed) return Promise.resolve();
    return new Promise<void>((resolve) => {
      if (this.closed) return resolve();
      s.once("close", () => resolve());
      s.destroy();
    });
  }
}
