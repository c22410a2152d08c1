/**
 * Meters: counts of messages per box, and the last few messages, for boxes
 * being watched. Built on {@link tap}, so boxes nobody meters cost nothing.
 *
 * Each metered box counts the calls of its own `send` (outbox) or `deliver`
 * (inbox). A send reaches its final inbox directly, skipping the boxes in
 * between, so the flow through a box is its own count plus the flow of every
 * box linked into it — except for an inbox that stores what it receives,
 * whose count already includes everything that reached it.
 *
 * @module
 */
import { Inbox, type AnyComponent, type Box } from "../core/index.js";
import { tap } from "./tap.js";

class BoxCount {
  n = 0;
  /** The last messages, as a ring written at `n % keep` (no shifting per message). */
  last: unknown[] | null = null;
  untap: () => void = () => {};
}

/** Message counts and recent messages for the boxes of watched components. */
export class Meter {
  readonly #counts = new Map<Box, BoxCount>();

  /** How many recent messages to keep per box (0 keeps none). */
  constructor(readonly keepLast = 5) {}

  /** Start metering every box of `c` (boxes already metered are left as they are). */
  add(c: AnyComponent): void {
    for (const b of c.inboxes()) this.addBox(b);
    for (const b of c.outboxes()) this.addBox(b);
  }

  /** Start metering one box. */
  addBox(box: Box): void {
    if (this.#counts.has(box)) return;
    const count = new BoxCount();
    const keep = this.keepLast;
    count.untap = tap(box, (message) => {
      if (keep > 0) (count.last ??= new Array<unknown>(keep))[count.n % keep] = message;
      count.n++;
    });
    this.#counts.set(box, count);
  }

  /** Stop metering the boxes of `c`. */
  remove(c: AnyComponent): void {
    for (const b of [...c.inboxes(), ...c.outboxes()]) {
      const count = this.#counts.get(b);
      if (count === undefined) continue;
      count.untap();
      this.#counts.delete(b);
    }
  }

  /** Whether `box` is metered. */
  has(box: Box): boolean {
    return this.#counts.has(box);
  }

  /** Messages that passed through `box` while metered (see the module notes); `null` if it is not metered. */
  flow(box: Box): number | null {
    const own = this.#counts.get(box);
    if (own === undefined) return null;
    return this.#flow(box, 0);
  }

  #flow(box: Box, depth: number): number {
    const own = this.#counts.get(box)?.n ?? 0;
    if ((box instanceof Inbox && box.final === box) || box.sources === null || depth > 64) return own;
    let total = own;
    for (const s of box.sources) total += this.#flow(s, depth + 1);
    return total;
  }

  /** The most recent messages that passed `box`, oldest first. */
  last(box: Box): readonly unknown[] {
    const count = this.#counts.get(box);
    if (count === undefined || count.last === null) return [];
    const keep = count.last.length;
    const out: unknown[] = [];
    for (let i = Math.max(0, count.n - keep); i < count.n; i++) out.push(count.last[i % keep]);
    return out;
  }

  /** How many boxes are metered. */
  get size(): number {
    return this.#counts.size;
  }

  /** Stop metering everything (the meter can be used again). */
  close(): void {
    for (const c of this.#counts.values()) c.untap();
    this.#counts.clear();
  }
}
