/**
 * Observer hooks: how the Introspector, diagnostics channels and the
 * console hear about the rare events of a system — a component activated or
 * ended, a link made or broken, a message dropped. Never called per message
 * (see `introspect/tap.ts` for that), and when nobody observes, the core
 * checks one variable and does nothing else.
 *
 * An observer that throws is not allowed to break the system: its error is
 * handed to {@link setObserverErrorHandler}'s handler and the event goes on
 * to the other observers.
 *
 * @module
 */
import type { Box } from "./box.js";
import type { Linkage } from "./linkage.js";
import type { Member } from "./member.js";

/** The events an observer may listen to; each is optional. */
export interface CoreObserver {
  /** `c` was activated on `c.system` (a `Member` is a full Component wherever the core is imported). */
  activated?(c: Member): void;
  /** `c` stopped running: normally, by a stop, or by throwing (`failed`, with the error). */
  ended?(c: Member, failed: boolean, error: unknown): void;
  /** A link was made (by `l.creator`). */
  linked?(l: Linkage): void;
  /** A link was removed. */
  unlinked?(l: Linkage): void;
  /** A message was dropped at `box` (sent unlinked, or to a finished component); `box.owner.system` is where. */
  deadLetter?(box: Box, message: unknown): void;
}

/** The fan-out the core calls; `null` while nobody observes. */
export let observer: Required<CoreObserver> | null = null;

let observers: CoreObserver[] = [];
let onError: (error: unknown) => void = () => {};

/** Where errors thrown by observers go (by default nowhere: an observer must not break the system). */
export function setObserverErrorHandler(fn: (error: unknown) => void): void {
  onError = fn;
}

function each<K extends keyof CoreObserver>(key: K, args: Parameters<Required<CoreObserver>[K]>): void {
  for (const o of observers) {
    const f = o[key] as ((...a: unknown[]) => void) | undefined;
    if (f === undefined) continue;
    try {
      f.apply(o, args);
    } catch (e) {
      try {
        onError(e);
      } catch {
        // An error handler that throws too has nowhere left to report to.
      }
    }
  }
}

const fanOut: Required<CoreObserver> = {
  activated: (c) => each("activated", [c]),
  ended: (c, failed, error) => each("ended", [c, failed, error]),
  linked: (l) => each("linked", [l]),
  unlinked: (l) => each("unlinked", [l]),
  deadLetter: (box, message) => each("deadLetter", [box, message]),
};

/** Start observing; returns a function that stops. */
export function observe(o: CoreObserver): () => void {
  observers = [...observers, o];
  observer = fanOut;
  return () => {
    observers = observers.filter((x) => x !== o);
    if (observers.length === 0) observer = null;
  };
}
