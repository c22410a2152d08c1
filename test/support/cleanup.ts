/**
 * Cleanup that runs even when a test fails: every server, client, child
 * process or system a test starts is registered here and stopped after each
 * test, so a failed test cannot leave a handle open and hang the run.
 *
 * Importing this module registers a root-level `afterEach` in the importing
 * test file (node:test attaches hooks to the test that is current when they
 * are called, which at import time is the file's root).
 */
import { afterEach } from "node:test";

type Cleanup = () => unknown;

const pending = new Set<Cleanup>();

/** Run `fn` after the current test, pass or fail; returns a function that forgets it (for a clean stop done in the test). */
export function onCleanup(fn: Cleanup): () => void {
  pending.add(fn);
  return () => pending.delete(fn);
}

/**
 * Run every registered cleanup, newest first, each bounded in time; errors are reported, never thrown.
 * Each is started synchronously and forgotten only once started, so whatever is left when the
 * process exits mid-way is still started by the exit handler below.
 */
export async function runCleanups(ms = 10_000): Promise<void> {
  for (const fn of [...pending].reverse()) {
    if (!pending.delete(fn)) continue;
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        fn(),
        new Promise((resolve) => {
          timer = setTimeout(resolve, ms);
          timer.unref();
        }),
      ]);
    } catch (e) {
      process.stderr.write(`cleanup after a test failed: ${(e as Error).message}\n`);
    } finally {
      clearTimeout(timer);
    }
  }
}

afterEach(() => runCleanups());

// A test that times out is cancelled without its afterEach hooks, and --test-force-exit then
// ends the file's process: start what is still registered (a child's kill is synchronous) so no
// server or child process outlives the run.
process.on("exit", () => {
  for (const fn of [...pending].reverse()) {
    try {
      const r = fn();
      if (r instanceof Promise) r.catch(() => undefined);
    } catch {
      // Best effort while exiting.
    }
  }
});

/** A child process that is killed (SIGKILL) after the test if it is still running. */
export function killAfter<C extends { exitCode: number | null; signalCode?: NodeJS.Signals | null; kill(signal?: NodeJS.Signals): boolean }>(child: C): C {
  onCleanup(() => {
    if (child.exitCode === null && !child.signalCode) child.kill("SIGKILL");
  });
  return child;
}

/** A system (or anything with `stop()`) that is stopped after the test. */
export function stopAfter<S extends { stop(): unknown }>(thing: S): S {
  onCleanup(() => thing.stop());
  return thing;
}
