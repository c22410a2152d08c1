/**
 * SimpleFileWriter: writes everything it receives to a file.
 *
 * @module
 */
import { open, type FileHandle } from "node:fs/promises";
import { Component } from "../core/component.js";
import { KamaeliaError, StoppedError } from "../core/errors.js";
import { ErrorInformation } from "../core/ipc.js";
import { FileError } from "./errors.js";

/** Settings of a {@link SimpleFileWriter}. */
export interface FileWriterOptions {
  /** `"w"` (default) truncates the file first; `"a"` appends to it. */
  mode?: "w" | "a";
  /** fsync the file before closing it (default true), so what was written survives a machine crash too. */
  sync?: boolean;
}

/**
 * Writes each message from `inbox` (a string, as UTF-8, or bytes) to a file,
 * in order (Kamaelia's `SimpleFileWriter`). Messages that arrive together are
 * written in one call.
 *
 * On shutdown it flushes (fsync, unless `sync` is false) and closes the file
 * *before* passing the shutdown message on `signal` and finishing, so a
 * downstream component that sees the signal can read the complete file. It
 * closes the file on `stop()` and on failure too. A message that is neither a
 * string nor bytes is not written: an {@link ErrorInformation} goes out of
 * `error` and writing carries on. A file that cannot be opened or written
 * makes it fail with a {@link FileError} naming the component and the path.
 *
 * Shutdown: `producerFinished` writes everything waiting, then closes;
 * `shutdownMicroprocess` closes at once, leaving what had not been taken
 * from `inbox` unwritten (whatever was written is complete and flushed).
 */
export class SimpleFileWriter extends Component<string | Uint8Array, never> {
  static override inboxes = {
    inbox: "strings (written as UTF-8) or bytes (Buffer / Uint8Array) to write, in order",
    control: "producerFinished (write what is waiting, flush, close, stop) or shutdownMicroprocess (flush, close, stop now)",
  };
  static override outboxes = {
    outbox: "unused",
    signal: "the shutdown message received, sent only after the file is flushed and closed",
    error: "ErrorInformation for each message that is neither a string nor bytes (the message itself attached)",
  };

  /** Messages that could not be written, as {@link ErrorInformation}. */
  readonly error = this.addOutbox<ErrorInformation>("error");
  /** `"w"` truncates, `"a"` appends. */
  readonly mode: "w" | "a";
  /** fsync before closing. */
  readonly sync: boolean;
  /** Bytes written so far. */
  bytesWritten = 0;

  constructor(
    /** The file to write. */
    readonly filename: string,
    options: FileWriterOptions = {},
  ) {
    super();
    this.mode = options.mode ?? "w";
    this.sync = options.sync ?? true;
    if (this.mode !== "w" && this.mode !== "a") {
      throw new KamaeliaError("BAD_ARGUMENT", `${this.name}: mode must be "w" or "a", got "${String(this.mode)}"`);
    }
  }

  async main(): Promise<void> {
    let fh: FileHandle;
    try {
      fh = await open(this.filename, this.mode);
    } catch (e) {
      throw new FileError(this.name, "open for writing", this.filename, e);
    }
    let failed = false;
    try {
      for (;;) {
        const kind = this.checkShutdown();
        if (kind === "stop") break;
        if (this.dataReady() > 0) {
          await this.writeBatch(fh);
          continue;
        }
        if (kind === "finish") break;
        await this.readyAsync();
      }
    } catch (e) {
      failed = !(e instanceof StoppedError);
      throw e;
    } finally {
      // Runs on stop() and failure too: the file is never left open, and is closed before we are reported finished.
      try {
        if (this.sync && !failed) await fh.sync();
      } finally {
        await fh.close();
      }
    }
    this.passOnShutdown();
  }

  private async writeBatch(fh: FileHandle): Promise<void> {
    const parts: Uint8Array[] = [];
    for (const m of this.recvAll() as unknown[]) {
      if (typeof m === "string") parts.push(Buffer.from(m, "utf8"));
      else if (m instanceof Uint8Array) parts.push(m);
      else {
        const err = new KamaeliaError(
          "BAD_MESSAGE",
          `${this.name}.inbox: cannot write ${m === null ? "null" : typeof m} to "${this.filename}": send strings or bytes`,
        );
        await this.sendAsync(new ErrorInformation(this, err, m), this.error);
      }
    }
    if (parts.length === 0) return;
    const data = parts.length === 1 ? parts[0]! : Buffer.concat(parts);
    try {
      let off = 0;
      while (off < data.length) off += (await fh.write(data, off, data.length - off)).bytesWritten;
    } catch (e) {
      throw new FileError(this.name, "write", this.filename, e);
    }
    this.bytesWritten += data.length;
  }
}
