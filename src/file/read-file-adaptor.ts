/**
 * ReadFileAdaptor: reads a file and sends it on, as lines, as chunks, or as
 * chunks paced to a bitrate (Kamaelia's `ReadFileAdaptor(readmode=…)`).
 *
 * ```ts
 * await Pipeline(ReadFileAdaptor.lines("notes.txt"), new Grep(/todo/i), printer).run();
 * ```
 *
 * @module
 */
import { open, type FileHandle } from "node:fs/promises";
import { Component } from "../core/component.js";
import { KamaeliaError } from "../core/errors.js";
import { ErrorInformation } from "../core/ipc.js";
import { Wakeup } from "../support/wakeup.js";
import { FileError } from "./errors.js";
import { LineDecoder } from "../support/line-decoder.js";

/** How a {@link ReadFileAdaptor} cuts up the file. */
export type ReadMode = "line" | "chunk" | "bitrate";

/** Settings of a {@link ReadFileAdaptor}. */
export interface ReadFileOptions {
  /** `"line"`: strings, one per line; `"chunk"`: Buffers of `chunkSize`; `"bitrate"`: chunks paced to `bitrate`. */
  readmode?: ReadMode;
  /** Bytes per read (and per chunk sent in the chunk modes). Default 65536. */
  chunkSize?: number;
  /** Bits per second, for `"bitrate"` mode. */
  bitrate?: number;
}

/**
 * Reads one file from start to end and sends it out of `outbox`, then
 * finishes, sending `producerFinished` on `signal`.
 *
 * - `"line"` mode sends each line as a string without its `\n` / `\r\n`. A
 *   line that is not valid UTF-8 is not sent: an {@link ErrorInformation}
 *   (with the raw bytes as its `message`) goes out of `error` instead, and
 *   reading carries on.
 * - `"chunk"` mode sends Buffers of up to `chunkSize` bytes.
 * - `"bitrate"` mode sends the same chunks, chunk *n* no earlier than the
 *   time it takes to play *n* chunks at `bitrate` bits per second.
 *
 * It sends with `sendAsync`, so a bounded downstream inbox pauses the reading.
 * A missing or unreadable file makes it fail with a {@link FileError} naming
 * the component and the path.
 *
 * Shutdown: `shutdownMicroprocess` stops it at once; `producerFinished` makes
 * it send the rest of the file without pacing (the file is the work that is
 * waiting) and stop; either is passed on out of `signal`.
 */
export class ReadFileAdaptor<M extends string | Buffer = string | Buffer> extends Component<never, M> {
  static override inboxes = {
    inbox: "unused",
    control: "producerFinished (send the rest of the file unpaced, then stop) or shutdownMicroprocess (stop now)",
  };
  static override outboxes = {
    outbox: "lines (strings, \"line\" mode) or Buffers (\"chunk\" and \"bitrate\" modes), in file order",
    signal: "producerFinished at the end of the file, or the shutdown message received",
    error: "ErrorInformation for each line that is not valid UTF-8 (its raw bytes as the message)",
  };

  /** Lines that are not valid UTF-8, reported as {@link ErrorInformation}. */
  readonly error = this.addOutbox<ErrorInformation>("error");
  /** How the file is cut up. */
  readonly readmode: ReadMode;
  /** Bytes per read. */
  readonly chunkSize: number;
  /** Bits per second in `"bitrate"` mode. */
  readonly bitrate: number;

  /** Read `filename` as lines of text. */
  static lines(filename: string): ReadFileAdaptor<string> {
    return new ReadFileAdaptor<string>(filename, { readmode: "line" });
  }

  /** Read `filename` as Buffers of up to `chunkSize` bytes. */
  static chunks(filename: string, chunkSize = 65536): ReadFileAdaptor<Buffer> {
    return new ReadFileAdaptor<Buffer>(filename, { readmode: "chunk", chunkSize });
  }

  /** Read `filename` as chunks of `chunkSize` bytes paced to `bitrate` bits per second. */
  static paced(filename: string, bitrate: number, chunkSize = 4096): ReadFileAdaptor<Buffer> {
    return new ReadFileAdaptor<Buffer>(filename, { readmode: "bitrate", bitrate, chunkSize });
  }

  /**
   * Prefer {@link lines}, {@link chunks} or {@link paced}, which type the outbox.
   * @throws KamaeliaError naming the component and the setting when a setting is invalid.
   */
  constructor(
    /** The file to read. */
    readonly filename: string,
    options: ReadFileOptions = {},
  ) {
    super();
    this.readmode = options.readmode ?? "line";
    this.chunkSize = options.chunkSize ?? 65536;
    this.bitrate = options.bitrate ?? 0;
    if (!["line", "chunk", "bitrate"].includes(this.readmode)) {
      throw new KamaeliaError("BAD_ARGUMENT", `${this.name}: readmode must be "line", "chunk" or "bitrate", got "${String(this.readmode)}"`);
    }
    if (!Number.isInteger(this.chunkSize) || this.chunkSize <= 0) {
      throw new KamaeliaError("BAD_ARGUMENT", `${this.name}: chunkSize must be a positive integer, got ${this.chunkSize}`);
    }
    if (this.readmode === "bitrate" && !(this.bitrate > 0)) {
      throw new KamaeliaError("BAD_ARGUMENT", `${this.name}: "bitrate" mode needs a bitrate > 0 (bits per second), got ${this.bitrate}`);
    }
  }

  async main(): Promise<void> {
    let fh: FileHandle;
    try {
      fh = await open(this.filename, "r");
    } catch (e) {
      throw new FileError(this.name, "read", this.filename, e);
    }
    const lines = this.readmode === "line" ? new LineDecoder() : null;
    let lineNo = 0;
    let kind = this.checkShutdown();
    try {
      const buf = Buffer.allocUnsafe(this.chunkSize);
      const start = performance.now();
      let sent = 0;
      while (kind !== "stop") {
        let bytesRead: number;
        try {
          ({ bytesRead } = await fh.read(buf, 0, buf.length, null));
        } catch (e) {
          throw new FileError(this.name, "read", this.filename, e);
        }
        if (bytesRead === 0) break;
        if (lines !== null) {
          for (const item of lines.push(buf.subarray(0, bytesRead))) {
            lineNo++;
            if (this.checkShutdown() === "stop") break;
            await this.emit(item, lineNo);
          }
        } else {
          const chunk = Buffer.from(buf.subarray(0, bytesRead));
          if (this.readmode === "bitrate") await this.pace(start + (sent * this.chunkSize * 8000) / this.bitrate);
          if (this.checkShutdown() === "stop") break;
          await this.sendAsync(chunk as M);
          sent++;
        }
        kind = this.checkShutdown();
      }
      const last = lines?.flush();
      if (last && this.checkShutdown() !== "stop") await this.emit(last, lineNo + 1);
    } finally {
      await fh.close();
    }
    this.passOnShutdown();
  }

  private async emit(item: { line: string } | { invalid: Buffer; error: Error }, lineNo: number): Promise<void> {
    if ("line" in item) {
      await this.sendAsync(item.line as M);
    } else {
      const err = new KamaeliaError("BAD_UTF8", `${this.name}: "${this.filename}" line ${lineNo}: ${item.error.message}`);
      await this.sendAsync(new ErrorInformation(this, err, item.invalid), this.error);
    }
  }

  /** Sleep until `deadline` (a performance.now() time), cut short by any control message. */
  private async pace(deadline: number): Promise<void> {
    const wake = new Wakeup(this);
    while (this.checkShutdown() === null) {
      const left = deadline - performance.now();
      if (left <= 0) return;
      const t = setTimeout(wake.poke, left);
      try {
        await wake.wait([this.control]);
      } finally {
        clearTimeout(t);
      }
    }
  }
}
