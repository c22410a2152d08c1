/**
 * Diagnostics: lifecycle, failure and dead-letter events published on
 * `node:diagnostics_channel`, so APM and logging tools can subscribe without
 * touching the program, and `DEBUG=kamaelia` (or `DEBUG=kamaelia:*`,
 * `DEBUG=kamaelia:component:failed`…) to print them on stderr.
 *
 * Channels (each message is an object):
 * - `kamaelia:component:activated` `{ component, name, path, class }`
 * - `kamaelia:component:finished` `{ component, name, path, class }`
 * - `kamaelia:component:failed` `{ component, name, path, class, error }`
 * - `kamaelia:deadletter` `{ box, component, name, message, system }` (box is `Owner.box`)
 *
 * Loaded by the package's main entry. Each event checks the channel's
 * `hasSubscribers` before building its message, so with no subscriber an
 * event costs a function call; nothing is done per message.
 *
 * @module
 */
import dc from "node:diagnostics_channel";
import type { AnyComponent } from "../core/index.js";
import { observe } from "../core/observe.js";

/** The channel names. */
export const CHANNELS = {
  /** A component was activated. */
  activated: "kamaelia:component:activated",
  /** A component finished. */
  finished: "kamaelia:component:finished",
  /** A component failed. */
  failed: "kamaelia:component:failed",
  /** A message was dropped. */
  deadLetter: "kamaelia:deadletter",
} as const;

const activated = dc.channel(CHANNELS.activated);
const finished = dc.channel(CHANNELS.finished);
const failed = dc.channel(CHANNELS.failed);
const deadLetter = dc.channel(CHANNELS.deadLetter);

function about(c: AnyComponent) {
  return { component: c, name: c.name, path: c.path(), class: c.constructor.name };
}

let installed: (() => void) | null = null;

/** Start publishing (done once when the package loads; calling again does nothing). */
export function installDiagnostics(): void {
  installed ??= observe({
    activated: (c) => {
      if (activated.hasSubscribers) activated.publish(about(c));
    },
    ended: (c, didFail, error) => {
      if (didFail) {
        if (failed.hasSubscribers) failed.publish({ ...about(c), error });
      } else if (finished.hasSubscribers) finished.publish(about(c));
    },
    deadLetter: (box, message) => {
      if (deadLetter.hasSubscribers) deadLetter.publish({ box: String(box), component: box.owner, name: box.owner.name, message, system: (box.owner as Partial<AnyComponent>).system ?? null });
    },
  });
}

/** Whether a `DEBUG` value (comma- or space-separated names, `*` wildcards, `-name` to exclude) selects `name`. */
export function debugSelects(debug: string | undefined, name: string): boolean {
  if (debug === undefined || debug.trim() === "") return false;
  let on = false;
  for (const raw of debug.split(/[\s,]+/)) {
    if (raw === "") continue;
    const exclude = raw.startsWith("-");
    const pattern = new RegExp(`^${(exclude ? raw.slice(1) : raw).replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*")}$`);
    // `kamaelia` alone selects every kamaelia:… channel.
    if (pattern.test(name) || pattern.test(name.split(":")[0]!)) on = !exclude;
  }
  return on;
}

function line(channel: string, m: Record<string, unknown>): string {
  if (channel === CHANNELS.deadLetter) return `${channel} ${String(m.box)}`;
  const text = `${channel} ${String(m.path)} (${String(m.class)})`;
  if (channel !== CHANNELS.failed) return text;
  const e = m.error;
  return `${text}: ${(e instanceof Error ? `${e.name}: ${e.message}` : String(e)).split("\n")[0]}`;
}

/**
 * Print the selected channels' events on `write` (stderr by default), one
 * line each, when `debug` (default `process.env.DEBUG`) selects them.
 * Returns a function that stops printing.
 */
export function debugPrinter(debug: string | undefined = process.env.DEBUG, write: (text: string) => void = (t) => process.stderr.write(t)): () => void {
  const subs: [string, (m: unknown) => void][] = [];
  for (const name of Object.values(CHANNELS)) {
    if (!debugSelects(debug, name)) continue;
    const fn = (m: unknown) => write(`${line(name, m as Record<string, unknown>)}\n`);
    dc.subscribe(name, fn);
    subs.push([name, fn]);
  }
  return () => {
    for (const [name, fn] of subs) dc.unsubscribe(name, fn);
  };
}

installDiagnostics();
if (process.env.DEBUG !== undefined) debugPrinter();
