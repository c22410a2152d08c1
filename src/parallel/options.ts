/**
 * A worker or process component's options, and checking them: how a bad
 * value is shown, the module option made a URL the other side can import,
 * and the spec the far side runs.
 *
 * @module
 */
import { isAbsolute } from "node:path";
import { pathToFileURL } from "node:url";
import type { RemoteKind, Serialization } from "./channel.js";
import type { RemoteSpec } from "./wire.js";

/** Where the remote component comes from, and how it is bridged. */
export interface RemoteOptions {
  /** The module: a URL (`new URL("./x.js", import.meta.url)`) or an absolute path. */
  module: string | URL;
  /** The export: a component class or a factory function returning a component (a Pipeline, a Graphline…). */
  export: string;
  /** Arguments for the class or factory (copied across). */
  args?: unknown[];
  /** Extra inboxes of the remote component to bridge, beyond `inbox` and `control`. */
  inboxes?: string[];
  /** Extra outboxes of the remote component to bridge, beyond `outbox` and `signal`. */
  outboxes?: string[];
  /** Credit window: messages per data box in flight across the bridge, each way (default 256). */
  window?: number;
  /** Transfer (not copy) ArrayBuffers of at least this many bytes to a thread (default 1 MiB; `Infinity`: never). */
  transferAbove?: number;
}

/** Options of a process component. */
export interface ProcessOptions extends RemoteOptions {
  /** `"json"` (default) or `"advanced"` (structured clone: Map, Set, BigInt, typed arrays, cycles). */
  serialization?: Serialization;
}

const STANDARD_IN = ["inbox", "control"];
const STANDARD_OUT = ["outbox", "signal"];

/**
 * Check a worker or process component's options and make the spec its far
 * side runs; `bad` throws, naming the component, for the first bad option.
 */
export function remoteSpec(kind: RemoteKind, options: ProcessOptions, bad: (what: string) => never): { spec: RemoteSpec; serialization: Serialization } {
  const o: Partial<ProcessOptions> = options ?? {};
  const module = normaliseModule(o.module, bad);
  if (typeof o.export !== "string" || o.export === "") bad(`export must be the name of an export of ${module} (a non-empty string), got ${show(o.export)}`);
  if (o.args !== undefined && !Array.isArray(o.args)) bad(`args must be an array, got ${show(o.args)}`);
  const window = o.window ?? 256;
  if (!Number.isInteger(window) || window < 1) bad(`window must be a whole number ≥ 1, got ${show(o.window)}`);
  const transferAbove = o.transferAbove ?? 1 << 20;
  if (typeof transferAbove !== "number" || !(transferAbove >= 0)) bad(`transferAbove must be a number of bytes ≥ 0, got ${show(o.transferAbove)}`);
  const serialization = o.serialization ?? "json";
  if (serialization !== "json" && serialization !== "advanced") bad(`serialization must be "json" or "advanced", got ${show(serialization)}`);
  const extra = (list: unknown, standard: string[], what: string): string[] => {
    if (list === undefined) return [];
    if (!Array.isArray(list) || list.some((n) => typeof n !== "string" || n === "" || standard.includes(n))) {
      bad(`${what} must be an array of extra box names (non-empty strings other than ${standard.join("/")}), got ${show(list)}`);
    }
    return list as string[];
  };
  const inboxes = [...STANDARD_IN, ...extra(o.inboxes, STANDARD_IN, "inboxes")];
  const outboxes = [...STANDARD_OUT, ...extra(o.outboxes, STANDARD_OUT, "outboxes")];
  return { spec: { module, export: o.export!, args: o.args ?? [], inboxes, outboxes, window, transferAbove: kind === "worker" ? transferAbove : Infinity }, serialization };
}

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
