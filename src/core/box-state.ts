/**
 * The rarely used state of boxes, kept aside in weak maps rather than as a
 * field on every box, so that an idle component's boxes stay small:
 * descriptions given to individual boxes (most use their owner class's),
 * dead-letter counts, feeder lists (used when a full box drains), the boxes
 * linked into a box, own limits set aside while a chain's is in force, and
 * the takers of unread messages (`Outbox.reclaimUnread`). Also the storage
 * an inbox's messages are kept in (`anyValues`, `NO_ITEMS`).
 *
 * *An Axon internal, used by box.ts only.*
 *
 * @module
 */
// Typed structurally (keys are boxes), so this module imports nothing from box.ts.
/** A box, as far as these maps need one. */
interface Linked {
  readonly sources: readonly Linked[] | null;
}
/** A box's owner, as far as the feeder lists need one. */
interface Wakeable {
  _wake(): void;
}

/** Descriptions given to individual boxes (most use their owner class's). */
export const descriptions = new WeakMap<Linked, string>();
/** Dead-letter counts, of the boxes that have any. */
export const dead = new WeakMap<Linked, number>();
/** Feeder lists (the owners to wake when a full box drains), made when first needed. */
export const feeders = new WeakMap<Linked, Wakeable[]>();
/** The boxes linked into a box (`Box.sources`). */
export const linkedInto = new WeakMap<Linked, Linked[]>();

/** Own limits of the inboxes whose limit in force is a chain's instead (rare, so no field). */
export const chainLimited = new WeakMap<Linked, number>();

/** Who takes back what is left unread at the far end of an outbox's chain; see `Outbox.reclaimUnread`. */
export const reclaimers = new WeakMap<Linked, (unread: unknown[]) => void>();

/** The taker registered on the nearest box upstream of `box`, if any. */
export function reclaimerOf(box: Linked): ((unread: unknown[]) => void) | undefined {
  if (box.sources === null) return undefined;
  for (const s of box.sources) {
    const take = reclaimers.get(s) ?? reclaimerOf(s);
    if (take !== undefined) return take;
  }
  return undefined;
}

/**
 * `n` empty slots that may hold any value from the start (an inbox's storage). V8 gives an array a
 * different map for small integers, doubles or anything, so storage made as `new Array(n)` would
 * change map with the first message and code compiled for one inbox's would deoptimise on another's.
 */
export function anyValues(n: number): unknown[] {
  const a = new Array<unknown>(n);
  a[0] = undefined;
  return a;
}

/** The storage of every empty inbox (never written to: a push grows it first). */
export const NO_ITEMS = anyValues(1);
NO_ITEMS.length = 0;
