/**
 * The errors of worker and process components. Each message names the
 * component (its proxy, here) and what was wrong.
 *
 * @module
 */
import { KamaeliaError } from "../core/errors.js";

/** A worker/process component or WorkerPool was given an argument it cannot use. */
export class ParallelArgumentError extends KamaeliaError {
  constructor(message: string) {
    super("BAD_ARGUMENT", message);
  }
}

/** The module or export named for a worker or process component could not be loaded or built there. */
export class RemoteLoadError extends KamaeliaError {
  constructor(message: string, remoteStack?: string) {
    super("REMOTE_LOAD_FAILED", message);
    if (remoteStack) this.stack = `${this.name}: ${message}\n  remote: ${remoteStack}`;
  }
}

/**
 * The component running in a worker or process threw. The message names the
 * proxy and the remote component's path; `stack` is the remote stack.
 */
export class RemoteError extends KamaeliaError {
  /** The remote error's class name, e.g. `TypeError`. */
  readonly remoteName: string;
  /** The remote error's `code`, when it had one. */
  readonly remoteCode: string | undefined;

  constructor(message: string, remote: SerializedError) {
    super("REMOTE_FAILURE", message);
    this.remoteName = remote.name;
    this.remoteCode = remote.code;
    this.stack = `${this.name}: ${message}\n  remote stack: ${remote.stack ?? `${remote.name}: ${remote.message}`}`;
  }
}

/** The worker thread or child process died (exit code, signal or uncaught error) before its component finished. */
export class WorkerCrashedError extends KamaeliaError {
  constructor(message: string) {
    super("WORKER_CRASHED", message);
  }
}

/** A message could not be copied to the other side (structured clone or JSON). Names the box and the message's position. */
export class UncloneableMessageError extends KamaeliaError {
  constructor(message: string, cause: unknown) {
    super("UNCLONEABLE_MESSAGE", message, { cause });
  }
}

/** An error as it crosses a thread or process boundary. */
export interface SerializedError {
  /** The error's class name. */
  name: string;
  /** Its message. */
  message: string;
  /** Its stack, from the other side. */
  stack?: string | undefined;
  /** Its `code`, if it had one. */
  code?: string | undefined;
}

/** Flatten an error (or anything thrown) so it survives structured clone and JSON. */
export function serializeError(e: unknown): SerializedError {
  if (e instanceof Error) {
    const code = (e as { code?: unknown }).code;
    const cause = e.cause instanceof Error && e.cause.stack ? `\n  caused by ${e.cause.stack}` : "";
    return { name: e.name, message: e.message, stack: (e.stack ?? "") + cause, code: typeof code === "string" ? code : undefined };
  }
  return { name: "Error", message: String(e) };
}

/** The first line of a reason, for one-line messages. */
export function firstLine(e: unknown): string {
  const s = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  return s.split("\n")[0]!;
}
