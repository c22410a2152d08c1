/**
 * DirectoryWatcher: each new file in a directory becomes a message.
 *
 * ```ts
 * Pipeline(new DirectoryWatcher("incoming"), new ImageMover("queue")).activate();
 * ```
 *
 * @module
 */
import { watch, type FSWatcher } from "node:fs";
import { readdir } from "node:fs/promises";
import { join, resolve } from "node:path";
import { Component } from "../core/component.js";
import { KamaeliaError } from "../core/errors.js";
import { ErrorInformation } from "../core/ipc.js";
import { Wakeup } from "../support/wakeup.js";
import { FileError } from "./errors.js";

/** Settings of a {@link DirectoryWatcher}. */
export interface DirectoryWatcherOptions {
  /** Report the files already there when it starts (default true: they are work waiting too). */
  includeExisting?: boolean;
  /** Report names starting with "." (default false, so temp and work files can live there unseen). */
  includeHidden?: boolean;
  /** How often to rescan when no change notification arrives, in ms (default 500). */
  pollInterval?: number;
}

/**
 * Sends the path of each new regular file that appears in a directory (the
 * transcode engine's `DirectoryWatcher`). Paths are absolute; files found in
 * the same scan are sent in name order. A file is reported once while it
 * stays; if it disappears (moved away for processing) and a file of the same
 * name appears later, that one is reported again.
 *
 * It rescans on `fs.watch` notifications and every `pollInterval` ms. A file
 * is reported as soon as its name appears, so writers should create files
 * elsewhere and `rename` them in (atomic on one filesystem) if readers must
 * never see half a file. Subdirectories are not reported or descended into.
 *
 * A directory missing or unreadable at the start makes it fail with a
 * {@link FileError} naming the component and the path; if it becomes
 * unreadable later, an {@link ErrorInformation} goes out of `error` (once per
 * outage) and it keeps trying.
 *
 * Shutdown: `shutdownMicroprocess` stops it at once; `producerFinished`
 * makes it scan once more, send any new files, then stop. Either is passed on
 * out of `signal`.
 */
export class DirectoryWatcher extends Component<never, string> {
  static override inboxes = {
    inbox: "unused",
    control: "producerFinished (scan once more, then stop) or shutdownMicroprocess (stop now)",
  };
  static override outboxes = {
    outbox: "the absolute path of each new file",
    signal: "the shutdown message received",
    error: "ErrorInformation when the directory cannot be read after it started",
  };

  /** Problems reading the directory after the start, as {@link ErrorInformation}. */
  readonly error = this.addOutbox<ErrorInformation>("error");
  /** The directory, made absolute. */
  readonly directory: string;
  /** Report the files there at the start. */
  readonly includeExisting: boolean;
  /** Report names starting with ".". */
  readonly includeHidden: boolean;
  /** Milliseconds between rescans when no notification arrives. */
  readonly pollInterval: number;

  private readonly seen = new Set<string>();
  private failing = false;

  #markStarted: () => void = () => undefined;
  readonly #started = new Promise<void>((resolve) => (this.#markStarted = resolve));

  /**
   * Resolves once it is watching: the file or directory is open and read
   * (so what happens from then on will be seen). Stays pending if it fails to start.
   */
  started(): Promise<void> {
    return this.#started;
  }

  /** @throws KamaeliaError (BAD_ARGUMENT) if `directory` is not a string or `pollInterval` is not positive. */
  constructor(directory: string, options: DirectoryWatcherOptions = {}) {
    super();
    if (typeof directory !== "string") {
      throw new KamaeliaError("BAD_ARGUMENT", `${this.name}: the directory must be a path (a string), got ${typeof directory}`);
    }
    this.directory = resolve(directory);
    this.includeExisting = options.includeExisting ?? true;
    this.includeHidden = options.includeHidden ?? false;
    this.pollInterval = options.pollInterval ?? 500;
    if (!(this.pollInterval > 0)) {
      throw new KamaeliaError("BAD_ARGUMENT", `${this.name}: pollInterval must be > 0 ms, got ${this.pollInterval}`);
    }
  }

  async main(): Promise<void> {
    let first: string[];
    try {
      first = await this.list();
    } catch (e) {
      throw new FileError(this.name, "watch directory", this.directory, e);
    }
    if (!this.includeExisting) for (const n of first) this.seen.add(n);
    const wake = new Wakeup(this);
    let watcher: FSWatcher | null = null;
    try {
      watcher = watch(this.directory, { signal: this.stopSignal }, wake.poke);
      watcher.on("error", () => watcher?.close());
    } catch {
      watcher = null; // polling alone still works
    }
    const timer = setInterval(wake.poke, this.pollInterval);
    this.#markStarted();
    try {
      let names: string[] | null = this.includeExisting ? first : null;
      for (;;) {
        const kind = this.checkShutdown();
        if (kind === "stop") break;
        names ??= await this.scan();
        if (names !== null && !(await this.report(names))) break;
        names = null;
        if (kind === "finish") break;
        await wake.wait([this.control]);
      }
    } finally {
      clearInterval(timer);
      watcher?.close();
    }
    this.passOnShutdown();
  }

  private async list(): Promise<string[]> {
    const entries = await readdir(this.directory, { withFileTypes: true });
    return entries
      .filter((e) => e.isFile() && (this.includeHidden || !e.name.startsWith(".")))
      .map((e) => e.name)
      .sort();
  }

  /** List the directory, reporting (once per outage) when it cannot be read; null then. */
  private async scan(): Promise<string[] | null> {
    try {
      const names = await this.list();
      this.failing = false;
      return names;
    } catch (e) {
      if (!this.failing) {
        this.failing = true;
        const err = new FileError(this.name, "read directory", this.directory, e);
        await this.sendAsync(new ErrorInformation(this, err), this.error);
      }
      return null;
    }
  }

  /** Forget files that have gone, send the new ones; false if told to stop meanwhile. */
  private async report(names: string[]): Promise<boolean> {
    const present = new Set(names);
    for (const n of this.seen) if (!present.has(n)) this.seen.delete(n);
    for (const n of names) {
      if (this.seen.has(n)) continue;
      if (this.checkShutdown() === "stop") return false;
      this.seen.add(n);
      await this.sendAsync(join(this.directory, n));
    }
    return true;
  }
}
