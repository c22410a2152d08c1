/**
 * ConsoleReader: lines typed at the terminal (or any readable stream) as messages.
 *
 * @module
 */
import type { Readable, Writable } from "node:stream";
import { Component } from "../core/component.js";
import { ErrorInformation } from "../core/ipc.js";
import { LineDecoder, type DecodedLine } from "../support/line-decoder.js";
import { ArgumentError } from "./errors.js";

/** ConsoleReader settings. */
export interface ConsoleReaderOptions {
  /** Where lines come from; default `process.stdin`. */
  input?: Readable;
  /** Written to `output` before each line is read; default none. */
  prompt?: string;
  /** Where the prompt goes; default `process.stdout`. */
  output?: Writable;
  /** Appended to each line sent (Kamaelia's `eol`); default none. */
  eol?: string;
}

/** Lines read ahead of a consumer that does not keep up, before reading pauses. */
const HIGH_WATER = 64;

/**
 * Reads lines from a stream (default `process.stdin`) and sends each one,
 * without its line ending (plus `eol`, if given). When the stream ends it
 * sends `producerFinished` and ends. Unlike Kamaelia's, it answers shutdown
 * while waiting for a line: `shutdownMicroprocess` stops it at once,
 * `producerFinished` stops reading and sends the lines already read first.
 * A consumer that does not keep up pauses the stream (backpressure); no line
 * is lost. A line that is not valid UTF-8 is not sent: it is reported on
 * `error` and reading carries on. It stops listening to the stream when it
 * ends, so it does not keep the process alive.
 *
 * Boxes: `outbox` string, each line; `error` ErrorInformation for each line
 * that is not valid UTF-8; `signal`: producerFinished at end of input (or the
 * shutdown message received); `inbox` unused; `control`: shutdown messages.
 */
export class ConsoleReader extends Component<never, string> {
  static override inboxes = {
    inbox: "not used",
    control: "producerFinished (send the lines already read, then stop) or shutdownMicroprocess (stop now)",
  };
  static override outboxes = {
    outbox: "each line read, without its line ending (plus eol, if set)",
    signal: "producerFinished at the end of input (or the shutdown message received)",
    error: "ErrorInformation for each line that is not valid UTF-8 (its bytes as the message); reading carries on",
  };

  /** Lines that are not valid UTF-8, reported instead of sent. */
  readonly error = this.addOutbox<ErrorInformation>("error");

  private readonly input: Readable;
  private readonly output: Writable | null;
  private readonly prompt: string;
  private readonly eol: string;

  /** @throws ArgumentError if `input` is not a readable stream. */
  constructor(options: ConsoleReaderOptions = {}) {
    super();
    const input = options.input ?? process.stdin;
    if (typeof (input as Partial<Readable>)?.on !== "function" || typeof (input as Partial<Readable>).pause !== "function") {
      throw new ArgumentError(this.name, "options.input", "a readable stream", input);
    }
    this.input = input;
    this.prompt = options.prompt ?? "";
    this.output = this.prompt === "" ? null : (options.output ?? process.stdout);
    this.eol = options.eol ?? "";
  }

  async main(): Promise<void> {
    const lines: string[] = [];
    let ended = false;
    let paused = false;
    const decoder = new LineDecoder();
    const take = (d: DecodedLine): void => {
      if ("line" in d) lines.push(d.line + this.eol);
      // Not valid UTF-8: reported, not sent, and reading carries on.
      else if (!this.error.isFull()) this.send(new ErrorInformation(this, d.error, d.invalid), this.error);
    };
    const onData = (chunk: Buffer | string): void => {
      for (const d of decoder.push(typeof chunk === "string" ? Buffer.from(chunk) : chunk)) take(d);
      if (lines.length >= HIGH_WATER && !paused) {
        paused = true;
        this.input.pause();
      }
      this.unpause();
    };
    const onEnd = (): void => {
      const last = decoder.flush();
      if (last !== null) take(last);
      ended = true;
      this.unpause();
    };
    this.input.on("data", onData);
    this.input.on("end", onEnd);
    this.input.on("close", onEnd);
    this.input.resume();
    const ask = (): void => {
      if (this.output !== null && !ended) this.output.write(this.prompt);
    };
    try {
      ask();
      for (;;) {
        let kind = this.checkShutdown();
        while (lines.length > 0 && kind !== "stop") {
          await this.sendAsync(lines.shift()!);
          kind = this.checkShutdown();
          if (lines.length === 0) ask();
        }
        if (kind === "stop" || (ended && lines.length === 0) || kind === "finish") break;
        if (paused) {
          paused = false;
          this.input.resume();
        }
        await this.pauseAsync();
      }
    } finally {
      this.input.off("data", onData);
      this.input.off("end", onEnd);
      this.input.off("close", onEnd);
      this.input.pause();
    }
    this.passOnShutdown();
  }
}
