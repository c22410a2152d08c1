/**
 * Loading the user's FILE: check it exists, and import it, registering tsx
 * for TypeScript when the process has no loader for it yet.
 *
 * @module
 */
import { existsSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { UsageError } from "./args.js";

/** The absolute path of FILE. @throws UsageError if it does not exist or is not a file. */
export function resolveFile(file: string): string {
  const path = resolve(process.cwd(), file);
  if (!existsSync(path)) throw new UsageError(`no such file: ${file}`);
  if (!statSync(path).isFile()) throw new UsageError(`${file} is not a file`);
  return path;
}

/** Import the module at `path`. TypeScript is loaded through tsx if it is installed. */
export async function importFile(path: string, shown: string): Promise<Record<string, unknown>> {
  const url = pathToFileURL(path).href;
  try {
    return (await import(url)) as Record<string, unknown>;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ERR_UNKNOWN_FILE_EXTENSION") throw e;
  }
  let register: ((...a: unknown[]) => unknown) | undefined;
  try {
    ({ register } = (await import("tsx/esm/api" as string)) as { register: (...a: unknown[]) => unknown });
  } catch {
    throw new UsageError(`${shown} is TypeScript and tsx is not installed: npm install --save-dev tsx (or compile it to .js)`);
  }
  register();
  return (await import(url)) as Record<string, unknown>;
}
