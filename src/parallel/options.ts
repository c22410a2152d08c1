/**
 * Checking a worker or process component's options: how a bad value is
 * shown, and the module option made a URL the other side can import.
 *
 * @module
 */
import { isAbsolute } from "node:path";
import { pathToFileURL } from "node:url";

/** A bad option value, shown in an error message. */
export function show(x: unknown): string {
  if (x === undefined) return "undefined";
  if (x === null) return "null";
  if (typeof x === "string") return JSON.stringify(x);
  if (typeof x === "object") return Array.isArray(x) ? `an array (${JSON.stringify(x).slice(0, 40)})` : `an object (${x.constructor?.name ?? "Object"})`;
  return `a ${typeof x} (${String(x).slice(0, 40)})`;
}

/** The module option as a URL string (a URL, or an absolute path made a file: URL); `bad` throws for anything else. */
export function normaliseModule(m: unknown, bad: (what: string) => never): string {
  if (m instanceof URL) return m.href;
  if (typeof m === "string" && m !== "") {
    if (isAbsolute(m)) return pathToFileURL(m).href;
    if (/^[a-z][a-z0-9+.-]+:/i.test(m)) return m;
    bad(`module must be a URL or an absolute path (the other side cannot resolve a path relative to your file), got ${show(m)}`);
  }
  return bad(`module must be a URL or an absolute path, got ${show(m)}`);
}
