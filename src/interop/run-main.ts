/**
 * runMain: a command-line program's errors as one clear line, not a stack.
 *
 * @module
 */
import { ComponentFailure, KamaeliaError } from "../core/errors.js";

/** Bad command-line usage: {@link runMain} prints the message and exits with status 2. */
export class UsageError extends KamaeliaError {
  constructor(message: string) {
    super("USAGE", message);
  }
}

/**
 * The one line that says what went wrong: the message of the error that
 * caused it (through {@link ComponentFailure}s, which only say where it
 * happened), which in this library names the component, the file or the
 * address, and the reason.
 */
export function describeFailure(e: unknown): string {
  let err = e;
  while (err instanceof ComponentFailure && err.cause !== undefined) err = err.cause;
  if (err instanceof Error) return err.message === "" ? err.name : err.message;
  return String(err);
}

/**
 * Run `main` as a program. If it throws (or rejects), print
 * `program: what went wrong` on stderr, as one line, and set the exit status:
 * 2 for a {@link UsageError}, 1 otherwise. The stack is printed too only when
 * the `DEBUG` environment variable is set, so a user sees "port 1501 is in
 * use", not a trace. Resolves when `main` has; never rejects.
 *
 * ```ts
 * await runMain("tail-grep", async () => {
 *   if (process.argv.length < 4) throw new UsageError("usage: tail-grep FILE REGEX");
 *   await Pipeline(new Follow(process.argv[2]!), new Grep(new RegExp(process.argv[3]!)), new ConsoleEchoer({ eol: "\n" })).run();
 * });
 * ```
 */
export async function runMain(program: string, main: () => unknown): Promise<void> {
  try {
    await main();
  } catch (e) {
    const debug = (process.env.DEBUG ?? "") !== "";
    process.stderr.write(`${program}: ${describeFailure(e)}\n`);
    if (debug && e instanceof Error && e.stack) process.stderr.write(`${e.stack}\n`);
    process.exitCode = e instanceof UsageError ? 2 : 1;
    // Ends a process still held open by what main had started (a listener, a watcher) before it failed.
    setTimeout(() => process.exit(), 500).unref();
  }
}
