/**
 * Follow: `tail -f` as a component.
 *
 * ```ts
 * await Pipeline(new Follow("/var/log/system.log"), new Grep(/pants/), printer).run();
 * ```
 *
 * @module
 */
import { watch, type FSWatcher, type Stats } from "node:fs";
import { open, stat, type FileHandle } from "node:fs/promises";
import { basename, dirname, resolve } from "node:path";
import { Component } from "../core/component.js";
import { KamaeliaError } from "../core/errors.js";
import { ErrorInformation } from "../core/ipc.js";
import { Wakeup } from "../support/wakeup.js";
import { FileError } from "./errors.js";
import { LineDecoder, type DecodedLine } from "../support/line-decoder.js";

/** Settings of a {@link Follow}. */
export interface FollowOptions {
  /** Send the lines already in the file first (default false: start at its end, like `tail -f`). */
  fromStart?: boolean;
  /** How often to look at the file when no change notification arrives, in ms (default 500). */
  pollInterval?: number;
}

/**
 * Sends each line appended to a file, as it is written (`tail -f`; the
 * seeds' `Follow`). Lines are strings without their `\n`; a line still being
 * written is held until its newline arrives.
 *
 * It notices changes with `fs.watch` on the file's directory, and looks
 * every `pollInterval` ms as well, since change notifications are not
 * reliable everywhere (network filesystems, some editors' saves).
 *
 * - **Truncation** (the file shrinks, as with `copytruncate` or `> file`):
 *   it carries on from the new start of the file.
 * - **Rotation** (the file is renamed away and a new one created at the
 *   path): once it sees the new file it reads the old one to its end (a
 *   logger may write its last lines there after the rename), sends that,
 *   then follows the new one from its start. While the path is missing it
 *   keeps following the old file.
 *
 * A line that is not valid UTF-8 is not sent: an {@link ErrorInformation}
 * goes out of `error` and following carries on. A file missing at the start,
 * or a path that is a directory, makes it fail with a {@link FileError}
 * naming the component and the path.
 * It hands its watcher the component's `stopSignal` and closes the watcher,
 * the timer and the file when it ends, so it never keeps the process alive
 * after it has stopped.
 *
 * Shutdown: `shutdownMicroprocess` stops it at once; `producerFinished`
 * makes it send what is already written (including an unterminated last
 * line), then stop. Either is passed on out of `signal`.
 */
export class Follow extends Component<never, string> {
  static override inboxes = {
    inbox: "unused",
    control: "producerFinished (send what is already in the file, then stop) or shutdownMicroprocess (stop now)",
  };
  static override outboxes = {
    outbox: "each line appended to the file, without its newline, in order",
    signal: "the shutdown message received",
    error: "ErrorInformation for each line that is not valid UTF-8 (its raw bytes as the message)",
  };

  /** Lines that are not valid UTF-8, as {@link ErrorInformation}. */
  readonly error = this.addOutbox<ErrorInformation>("error");
  /** Start at the beginning of the file instead of its end. */
  readonly fromStart: boolean;
  /** Milliseconds between looks at the file when no notification arrives. */
  readonly pollInterval: number;
  /** How many times the file was found truncated. */
  truncations = 0;
  /** How many times the file was found rotated. */
  rotations = 0;

  private fh: FileHandle | null = null;
  private pos = 0;
  private readonly lines = new LineDecoder();
  private lineNo = 0;

  #markStarted: () => void = () => undefined;
  readonly #started = new Promise<void>((resolve) => (this.#markStarted = resolve));

  /**
   * Resolves once it is watching: the file or directory is open and read
   * (so what happens from then on will be seen). Stays pending if it fails to start.
   */
  started(): Promise<void> {
    return this.#started;
  }

  constructor(
    /** The file to follow. */
    readonly filename: string,
    options: FollowOptions = {},
  ) {
    super();
    if (typeof filename !== "string") {
      throw new KamaeliaError("BAD_ARGUMENT", `${this.name}: the file to follow must be a path (a string), got ${typeof filename}`);
    }
    this.fromStart = options.fromStart ?? false;
    this.pollInterval = options.pollInterval ?? 500;
    if (!(this.pollInterval > 0)) {
      throw new KamaeliaError("BAD_ARGUMENT", `${this.name}: pollInterval must be > 0 ms, got ${this.pollInterval}`);
    }
  }

  async main(): Promise<void> {
    const path = resolve(this.filename);
    try {
      this.fh = await open(path, "r");
      const st = await this.fh.stat();
      if (st.isDirectory()) throw Object.assign(new Error("is a directory"), { code: "EISDIR" });
      this.pos = this.fromStart ? 0 : st.size;
    } catch (e) {
      await this.fh?.close();
      throw new FileError(this.name, "follow", this.filename, e);
    }
    const wake = new Wakeup(this);
    const name = basename(path);
    let watcher: FSWatcher | null = null;
    try {
      watcher = watch(dirname(path), { signal: this.stopSignal }, (_event, changed) => {
        if (changed === null || changed === name) wake.poke();
      });
      // A watcher that breaks (its directory removed, too many watches) leaves the poll to do the work.
      watcher.on("error", () => watcher?.close());
    } catch {
      watcher = null;
    }
    const timer = setInterval(wake.poke, this.pollInterval);
    this.#markStarted();
    try {
      for (;;) {
        const kind = this.checkShutdown();
        if (kind === "stop") break;
        if (!(await this.readNew())) break;
        if (kind === "finish") {
          const last = this.lines.flush();
          if (last) await this.emit(last);
          break;
        }
        if (await this.reopenIfMoved(path)) continue;
        await wake.wait([this.control]);
      }
    } finally {
      clearInterval(timer);
      watcher?.close();
      await this.fh?.close();
    }
    this.passOnShutdown();
  }

  /** Send every complete line between our position and the end of the file; false if told to stop. */
  private async readNew(): Promise<boolean> {
    const fh = this.fh!;
    const buf = Buffer.allocUnsafe(65536);
    for (;;) {
      const { bytesRead } = await fh.read(buf, 0, buf.length, this.pos);
      if (bytesRead === 0) return true;
      this.pos += bytesRead;
      for (const item of this.lines.push(buf.subarray(0, bytesRead))) {
        if (this.checkShutdown() === "stop") return false;
        await this.emit(item);
      }
    }
  }

  /** Notice truncation or rotation; true if the position or file changed and there may be more to read. */
  private async reopenIfMoved(path: string): Promise<boolean> {
    const mine = await this.fh!.stat();
    const there = await this.statPath(path);
    if (there !== null && (there.ino !== mine.ino || there.dev !== mine.dev)) {
      let next: FileHandle;
      try {
        next = await open(path, "r");
      } catch {
        return false; // gone again between stat and open: look next time
      }
      // Lines may have reached the old file since it was last read (a logger writes there until it
      // reopens): read it to its end now that a new file is known to exist. What is left of its last
      // line belongs to it.
      if (!(await this.readNew())) {
        await next.close();
        return false;
      }
      const last = this.lines.flush();
      if (last) await this.emit(last);
      await this.fh!.close();
      this.fh = next;
      this.pos = 0;
      this.rotations++;
      return true;
    }
    if (mine.size < this.pos) {
      const last = this.lines.flush();
      if (last) await this.emit(last);
      this.pos = 0;
      this.truncations++;
      return true;
    }
    return mine.size > this.pos;
  }

  /**
   * Look at what is at `path` now (null if nothing). A seam: a subclass may
   * override it, e.g. a test acting between the old file's last read and the
   * rotation being noticed.
   */
  protected statPath(path: string): Promise<Stats | null> {
    return stat(path).catch(() => null);
  }

  private async emit(item: DecodedLine): Promise<void> {
    this.lineNo++;
    if ("line" in item) {
      await this.sendAsync(item.line);
    } else {
      const err = new KamaeliaError("BAD_UTF8", `${this.name}: "${this.filename}": ${item.error.message}`);
      await this.sendAsync(new ErrorInformation(this, err, item.invalid), this.error);
    }
  }
}
