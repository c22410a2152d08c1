/**
 * The error raised when a file component cannot do its I/O.
 *
 * @module
 */
import { KamaeliaError } from "../core/errors.js";

/**
 * A file or directory could not be opened, read or written. The message
 * names the component, what it was doing and the path; `cause` holds Node's
 * original error (with its `code`, e.g. `ENOENT`).
 */
export class FileError extends KamaeliaError {
  /** The path the component was working on. */
  readonly path: string;

  constructor(component: string, action: string, path: string, cause: unknown) {
    super("FILE_ERROR", `${component} cannot ${action} "${path}": ${explain(cause)}`, { cause });
    this.path = path;
  }
}

function explain(cause: unknown): string {
  const code = typeof cause === "object" && cause !== null ? (cause as { code?: unknown }).code : undefined;
  switch (code) {
    case "ENOENT":
      return "no such file or directory (ENOENT)";
    case "EACCES":
    case "EPERM":
      return `permission denied (${code})`;
    case "EISDIR":
      return "it is a directory (EISDIR)";
    case "ENOTDIR":
      return "it is not a directory (ENOTDIR)";
    default:
      return cause instanceof Error ? cause.message : String(cause);
  }
}
