/**
 * WritableSink: a component's inbox as a Node `Writable` stream.
 *
 * ```ts
 * await Pipeline(new Follow(log), new Grep(/pants/), PureTransformer((l: string) => l + "\n"), new WritableSink(process.stdout, { end: false })).run();
 * ```
 *
 * @module
 */
import type { Writable } from "node:stream";
import { finished } from "node:stream/promises";
import { Component } from "../core/component.js";
import { StreamError } from "./errors.js";
import { Wakeup } from "../support/wakeup.js";

/** Settings of a {@link WritableSink}. */
export interface WritableSinkOptions {
  /** End the stream when the sink finishes or stops (default true; false for process.stdout and the like). */
  end?: boolean;
  /** The limit set on the sink's inbox (default 16): how many messages may wait while the stream is full. */
  inboxLimit?: number;
}

/**
 * Writes each message from `inbox` to a `Writable`, in order.
 *
 * Backpressure: when `write()` says the stream is full it takes nothing more
 * from `inbox` until the stream drains. Its inbox is bounded (`inboxLimit`),
 * so upstream components sending with `waitSend`/`sendAsync` are paused by a
 * slow stream (a plain `send` to the full inbox throws `BoxFullError`, like every
 * bounded box does).
 *
 * On shutdown it ends the stream (unless `end` is false) and waits for it to
 * finish flushing before passing the shutdown message on `signal`. A stream
 * error makes it fail with a {@link StreamError} naming the component.
 * Shutdown: `producerFinished` writes everything waiting first;
 * `shutdownMicroprocess` writes nothing more.
 */
export class WritableSink<M = unknown> extends Component<M, never> {
  static override inboxes = {
    inbox: "chunks to write (whatever the stream accepts: Buffers or strings, objects in object mode); bounded by inboxLimit",
    control: "producerFinished (write what is waiting, end, stop) or shutdownMicroprocess (end, stop now)",
  };
  static override outboxes = {
    outbox: "unused",
    signal: "the shutdown message received, sent after the stream has finished",
  };

  /** End the stream when finishing. */
  readonly end: boolean;

  #failure: unknown = null;
  #wake: (() => void) | null = null;
  // Listening from construction: an error emitted before the component first runs must not go uncaught.
  readonly #onError = (e: unknown): void => {
    this.#failure = e;
    this.#wake?.();
  };

  constructor(
    /** The stream to write. */
    readonly writable: Writable,
    options: WritableSinkOptions = {},
  ) {
    super();
    this.end = options.end ?? true;
    this.inbox.setSize(options.inboxLimit ?? 16);
    writable.on("error", this.#onError);
  }

  async main(): Promise<void> {
    const w = this.writable;
    const wake = new Wakeup(this);
    this.#wake = wake.poke;
    w.on("drain", wake.poke);
    w.on("close", wake.poke);
    try {
      for (;;) {
        const kind = this.checkShutdown();
        if (kind === "stop") break;
        if (this.#failure !== null) throw new StreamError(this.name, "Writable", this.#failure);
        if (w.destroyed) throw new StreamError(this.name, "Writable", new Error("it was destroyed before the sink finished"));
        if (w.writableNeedDrain) {
          // Leave messages in the (bounded) inbox: that is what pauses upstream.
          await wake.wait([this.control]);
          continue;
        }
        if (this.dataReady() > 0) {
          w.write(this.recv());
          continue;
        }
        if (kind === "finish") break;
        await wake.wait([this.inbox, this.control]);
      }
      if (this.end && !w.writableEnded) {
        w.end();
        try {
          await finished(w);
        } catch (e) {
          throw new StreamError(this.name, "Writable", e);
        }
      }
    } finally {
      w.off("drain", wake.poke);
      this.#wake = null;
      w.off("close", wake.poke);
      // On stop() or failure the normal ending above did not run: end the stream anyway so it flushes and closes.
      if (this.end && !w.writableEnded && !w.destroyed) w.end();
    }
    this.passOnShutdown();
  }
}
