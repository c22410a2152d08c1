/**
 * ReadableSource: a Node `Readable` stream as a component's outbox.
 *
 * ```ts
 * await Pipeline(new ReadableSource<Buffer>(process.stdin), new SimpleFileWriter("copy")).run();
 * ```
 *
 * @module
 */
import type { Readable } from "node:stream";
import { Component } from "../core/component.js";
import { StreamError } from "./errors.js";
import { Wakeup } from "../support/wakeup.js";

/**
 * Sends each chunk read from a `Readable` (Buffers or strings, or objects in
 * object mode) out of `outbox`, in order, and `producerFinished` on `signal`
 * when the stream ends.
 *
 * Backpressure both ways: it reads the next chunk only once the last one has
 * been delivered (`sendAsync`), so when downstream stops taking messages from
 * a bounded inbox, the stream's buffer fills to its `highWaterMark` and Node
 * stops pulling from the underlying source.
 *
 * A stream error makes it fail with a {@link StreamError} naming the
 * component. Shutdown: `shutdownMicroprocess` stops it at once;
 * `producerFinished` sends what the stream has already buffered, then stops;
 * either is passed on out of `signal`. When it stops before the stream
 * ended it destroys the stream, unless `destroyOnStop` is false.
 */
export class ReadableSource<M = Buffer | string> extends Component<never, M> {
  static override inboxes = {
    inbox: "unused",
    control: "producerFinished (send what the stream has buffered, then stop) or shutdownMicroprocess (stop now)",
  };
  static override outboxes = {
    outbox: "each chunk read from the stream, in order",
    signal: "producerFinished when the stream ends, or the shutdown message received",
  };

  /** Destroy the stream when stopping before it ended (default true). */
  destroyOnStop = true;

  #failure: unknown = null;
  #wake: (() => void) | null = null;
  // Listening from construction: an error emitted before the component first runs must not go uncaught.
  readonly #onError = (e: unknown): void => {
    this.#failure = e;
    this.#wake?.();
  };

  constructor(
    /** The stream to read. */
    readonly readable: Readable,
  ) {
    super();
    readable.on("error", this.#onError);
  }

  async main(): Promise<void> {
    const r = this.readable;
    const wake = new Wakeup(this);
    let ended = r.readableEnded;
    const onEnd = (): void => {
      ended = true;
      wake.poke();
    };
    this.#wake = wake.poke;
    r.on("readable", wake.poke);
    r.on("end", onEnd);
    r.on("close", wake.poke);
    try {
      outer: for (;;) {
        const kind = this.checkShutdown();
        if (kind === "stop") break;
        if (this.#failure !== null) throw new StreamError(this.name, "Readable", this.#failure);
        let chunk: unknown;
        while ((chunk = r.read()) !== null) {
          await this.sendAsync(chunk as M);
          if (this.checkShutdown() === "stop") break outer;
        }
        if (ended || r.readableEnded) break;
        if (r.destroyed) {
          if (this.#failure !== null) throw new StreamError(this.name, "Readable", this.#failure);
          break;
        }
        if (kind === "finish") break;
        await wake.wait([this.control]);
      }
    } finally {
      r.off("readable", wake.poke);
      r.off("end", onEnd);
      r.off("close", wake.poke);
      // The error listener stays: a late error from a stream we no longer read must not crash the process.
      this.#wake = null;
      if (!ended && !r.readableEnded && this.destroyOnStop) r.destroy();
    }
    this.passOnShutdown();
  }
}
