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
import { count, counterOf } from "./tap.js";

/** Message counts and recent messages for the boxes of watched components. */
export class Meter {
  readonly #stops = new Map<Box, () => void>();

  /** How many recent messages to keep per box (0 keeps none). */
  constructor(
    /** How many recent samples to keep. */
    readonly keepLast = 5,
  ) {}

  /** Start metering every box of `c` (boxes already metered are left as they are). */
  add(c: AnyComponent): void {
    for (const b of c.inboxes()) this.addBox(b);
    for (const b of c.outboxes()) this.addBox(b);
  }

  /** Start metering one box. */
  addBox(box: Box): void {
    if (!this.#stops.has(box)) this.#stops.set(box, count(box, this.keepLast));
  }

  /** Stop metering the boxes of `c`. */
  remove(c: AnyComponent): void {
    for (const b of [...c.inboxes(), ...c.outboxes()]) {
      this.#stops.get(b)?.();
      this.#stops.delete(b);
    }
  }

  /** Whether `box` is metered. */
  has(box: Box): boolean {
    return this.#stops.has(box);
  }

  /** Messages that passed through `box` while metered (see the module notes); `null` if it is not metered. */
  flow(box: Box): number | null {
    if (!this.#stops.has(box)) return null;
    return this.#flow(box, 0);
  }

  #flow(box: Box, depth: number): number {
    const own = this.#stops.has(box) ? (counterOf(box)?.n ?? 0) : 0;
    if ((box instanceof Inbox && box.final === box) || box.sources === null || depth > 64) return own;
    let total = own;
    for (const s of box.sources) total += this.#flow(s, depth + 1);
    return total;
  }

  /** The most recent messages that passed `box`, oldest first. */
  last(box: Box): readonly unknown[] {
    const count = this.#stops.has(box) ? counterOf(box) : undefined;
    if (count === undefined || count.last === null) return [];
    const keep = count.last.length;
    const out: unknown[] = [];
    for (let i = Math.max(0, count.n - keep); i < count.n; i++) out.push(count.last[i % keep]);
    return out;
  }

  /** How many boxes are metered. */
  get size(): number {
    return this.#stops.size;
  }

  /** Stop metering everything (the meter can be used again). */
  close(): void {
    for (const stop of this.#stops.values()) stop();
    this.#stops.clear();
  }
}
