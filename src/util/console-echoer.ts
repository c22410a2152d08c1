/**
 * ConsoleEchoer: write messages to the terminal (or any writable stream).
 *
 * @module
 */
import type { Writable } from "node:stream";
import { inspect } from "node:util";
import { Component } from "../core/component.js";
import { ArgumentError } from "./errors.js";

/** ConsoleEchoer settings. */
export interface ConsoleEchoerOptions {
  /** Where to write; default `process.stdout`. */
  output?: Writable;
  /** Also send each message on, out of `outbox` (Kamaelia's `forwarder`). */
  forwarder?: boolean;
  /** Write every message as `util.inspect` shows it, strings too (Kamaelia's `use_repr`). */
  useRepr?: boolean;
  /** Written before each message. */
  tag?: string;
  /** Written after each message; default none (Kamaelia's behaviour: send lines with their "\n"). */
  eol?: string;
}

/**
 * Writes each message to a stream (default `process.stdout`): strings and
 * bytes as they are, anything else as `util.inspect` shows it. It waits for
 * the stream to drain when it is full, so output is never lost or reordered.
 * Unlike Kamaelia's, which stopped on any control message, it follows the
 * shared convention: `producerFinished` writes what is waiting, then stops.
 *
 * If the reader of the stream goes away (`EPIPE`: piped into `head`, which
 * has had enough; or the stream is destroyed), it ends quietly, as Unix
 * tools do: `outputClosed` is set, what is waiting is dropped, and a
 * `producerFinished` goes out of `signal`. Any other stream error fails it.
 *
 * Boxes: `inbox` anything to write; `outbox` the same message, if
 * `forwarder`; `control`/`signal`: the shared shutdown convention.
 */
export class ConsoleEchoer<T = unknown> extends Component<T, T> {
  static override inboxes = {
    inbox: "messages to write",
    control: "producerFinished (write what is waiting, then stop) or shutdownMicroprocess (stop now)",
  };
  static override outboxes = {
    outbox: "each message, after it is written, if forwarder is set",
    signal: "the shutdown message received, passed on",
  };

  /** True once the stream's reader has gone (EPIPE) or the stream was destroyed: nothing more is written. */
  outputClosed = false;
  private readonly output: Writable;
  private outputError: Error | null = null;
  private readonly forwarder: boolean;
  private readonly useRepr: boolean;
  private readonly tag: string;
  private readonly eol: string;

  /** @throws ArgumentError if `output` is not a writable stream. */
  constructor(options: ConsoleEchoerOptions = {}) {
    super();
    const output = options.output ?? process.stdout;
    if (typeof (output as Partial<Writable>)?.write !== "function") {
      throw new ArgumentError(this.name, "options.output", "a writable stream", output);
    }
    this.output = output;
    this.forwarder = options.forwarder === true;
    this.useRepr = options.useRepr === true;
    this.tag = options.tag ?? "";
    this.eol = options.eol ?? "";
  }

  async main(): Promise<void> {
    // Without a listener an EPIPE would be an uncaught exception: a stack trace instead of a quiet end.
    const onError = (e: Error): void => {
      if (readerGone(e)) this.outputClosed = true;
      else this.outputError ??= e;
      this.unpause();
    };
    this.output.on("error", onError);
    try {
      for (;;) {
        if (this.outputError !== null) throw this.outputError;
        if (this.outputClosed || this.output.destroyed) {
          this.outputClosed = true;
          this.recvAll();
          break;
        }
        const kind = this.checkShutdown();
        if (kind === "stop") break;
        if (this.dataReady() > 0) {
          const m = this.recv();
          await this.write(m);
          if (this.forwarder && !this.outputClosed) await this.sendAsync(m);
        } else if (kind === "finish") {
          break;
        } else {
          await this.readyAsync();
        }
      }
    } finally {
      // A closed stream may still report errors for writes in flight; keep swallowing those.
      if (!this.outputClosed) this.output.off("error", onError);
    }
    this.passOnShutdown();
  }

  private async write(message: T): Promise<void> {
    const body =
      !this.useRepr && (typeof message === "string" || message instanceof Uint8Array) ? message : inspect(message);
    const chunk = this.tag === "" && this.eol === "" ? body : Buffer.concat([Buffer.from(this.tag), Buffer.from(body), Buffer.from(this.eol)]);
    if (this.output.write(chunk)) return;
    await new Promise<void>((resolve, reject) => {
      const cleanup = (): void => {
        this.output.off("drain", done);
        this.output.off("close", done);
        this.output.off("error", done);
        this.stopSignal.removeEventListener("abort", stopped);
      };
      const done = (): void => {
        cleanup();
        resolve();
      };
      const stopped = (): void => {
        cleanup();
        reject(this.stopSignal.reason);
      };
      this.output.once("drain", done);
      this.output.once("close", done);
      this.output.once("error", done);
      this.stopSignal.addEventListener("abort", stopped, { once: true });
    });
  }
}

/** The stream's reader has gone: writing can never succeed again. */
function readerGone(e: Error): boolean {
  const code = (e as NodeJS.ErrnoException).code;
  return code === "EPIPE" || code === "ERR_STREAM_DESTROYED" || code === "ERR_STREAM_WRITE_AFTER_END";
}
