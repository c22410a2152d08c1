/**
 * shutdownOnSignals: a clean end for a program on Ctrl-C (SIGINT) or SIGTERM.
 *
 * @module
 */
import type { AnyComponent } from "../core/component.js";
import { producerFinished, shutdownMicroprocess } from "../core/ipc.js";

/** Settings of {@link shutdownOnSignals}. */
export interface SignalShutdownOptions {
  /** The signals to handle (default SIGINT and SIGTERM). */
  signals?: readonly NodeJS.Signals[];
  /** How long the components may take to finish after the first signal, in ms (default 5000). */
  graceMs?: number;
  /** After `shutdownMicroprocess`, how long to wait before exiting regardless, in ms (default 3000). */
  forceMs?: number;
  /** End the process when done (default true); false leaves it to the program (tests, embedding). */
  exit?: boolean;
  /** Where to say why a stop was forced (default: a line on stderr). */
  report?: (line: string) => void;
}

/** What {@link shutdownOnSignals} returns. */
export interface SignalShutdown {
  /** Resolves when the shutdown is over: `"finished"` (everything finished after producerFinished) or `"forced"`. */
  readonly done: Promise<"finished" | "forced">;
  /** True once a signal has arrived. */
  readonly started: boolean;
  /** Start the shutdown without a signal, as the first signal would. */
  begin(): void;
  /** Remove the signal handlers (the process's default handling returns). */
  dispose(): void;
}

const SIGNAL_NUMBERS: Partial<Record<NodeJS.Signals, number>> = { SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGTERM: 15 };

/**
 * End a program cleanly on SIGINT/SIGTERM (Ctrl-C, `kill`, a service
 * manager stopping it), as a Unix server should:
 *
 * - first signal: `producerFinished` is sent to each of `targets`, one after
 *   the other (each once the one before has finished), so in-flight work
 *   drains: a `ServerCore` stops accepting, lets each connection answer
 *   what it has read and closes it with FIN; a `Follow` sends what is
 *   already in its file. When all have finished the process exits with
 *   status 0 (as soon as nothing else holds it open; `exit: true` makes sure).
 * - a second signal, or `graceMs` passing first: stop now.
 *   `shutdownMicroprocess` goes to every target still running (a ServerCore
 *   closes its sockets at once, still with FIN), and after `forceMs` the
 *   process exits regardless: status 128 + the signal's number after a
 *   second signal (130 for SIGINT), 1 after the grace period, with one line
 *   on stderr saying so.
 *
 * ```ts
 * const backplane = Backplane("CHAT").activate();
 * const server = ServerCore.create({ port: 1501, protocol: () => Pipeline(PublishTo("CHAT"), SubscribeTo("CHAT")) });
 * shutdownOnSignals([server, backplane]);
 * await server.run();
 * ```
 */
export function shutdownOnSignals(targets: AnyComponent | readonly AnyComponent[], options: SignalShutdownOptions = {}): SignalShutdown {
  const list: readonly AnyComponent[] = Array.isArray(targets) ? targets : [targets as AnyComponent];
  const signals = options.signals ?? ["SIGINT", "SIGTERM"];
  const graceMs = options.graceMs ?? 5000;
  const forceMs = options.forceMs ?? 3000;
  const exit = options.exit ?? true;
  const report = options.report ?? ((line: string) => process.stderr.write(`${line}\n`));
  let started = false;
  let forced = false;
  let graceTimer: NodeJS.Timeout | null = null;
  let resolveDone!: (how: "finished" | "forced") => void;
  const done = new Promise<"finished" | "forced">((r) => (resolveDone = r));

  const finishAll = async (): Promise<void> => {
    for (const c of list) {
      if (forced) return;
      if (!c.isFinished()) c.control.final.deliver(producerFinished(), "shutdownOnSignals");
      await c.finished().catch(() => undefined);
    }
    if (forced) return;
    if (graceTimer !== null) clearTimeout(graceTimer);
    dispose();
    resolveDone("finished");
    if (exit) {
      process.exitCode ??= 0;
      // Normally the process ends by itself now; this only ends one held open by something else.
      setTimeout(() => process.exit(), 500).unref();
    }
  };

  const stopNow = (why: string, code: number): void => {
    if (forced) return;
    forced = true;
    if (graceTimer !== null) clearTimeout(graceTimer);
    report(why);
    for (const c of list) if (!c.isFinished()) c.control.final.deliver(shutdownMicroprocess(), "shutdownOnSignals");
    dispose();
    resolveDone("forced");
    if (exit) {
      process.exitCode = code;
      setTimeout(() => process.exit(code), forceMs).unref();
    }
  };

  const begin = (): void => {
    if (started) return;
    started = true;
    graceTimer = setTimeout(() => stopNow(`stopping now: still running ${graceMs} ms after the shutdown began`, 1), graceMs);
    graceTimer.unref();
    void finishAll();
  };

  const onSignal = (signal: NodeJS.Signals): void => {
    if (!started) begin();
    else stopNow(`${signal} again: stopping now`, 128 + (SIGNAL_NUMBERS[signal] ?? 0));
  };

  function dispose(): void {
    for (const s of signals) process.off(s, onSignal);
  }

  for (const s of signals) process.on(s, onSignal);
  return {
    done,
    get started() {
      return started;
    },
    begin,
    dispose,
  };
}
