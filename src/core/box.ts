/**
 * Boxes: a component's named inboxes and outboxes.
 *
 * *An Axon internal: components use `send`, `recv` and `dataReady`.*
 *
 * How it works: an inbox owns a queue; an outbox owns none. A link from box
 * S to box D sets `S.link = D`. Every box caches `final`, the inbox where a
 * chain of links starting at it ends (or `null` for a chain ending at an
 * unlinked outbox), so a send along outbox → outbox → inbox → inbox is one
 * array push, whatever order the links were made in. Links are rare and
 * sends are many, so linking recomputes the caches of everything upstream.
 *
 * A limit ("pipewidth") belongs to an inbox. The limit in force is the final
 * inbox's, since that is where the messages are: its own, or while inboxes
 * with limits forward into it (a chassis wired to its child), the smallest
 * of theirs; unlinking restores each box's own.
 *
 * @module
 */
import { NO_ITEMS, anyValues, chainLimited, dead, descriptions, feeders, linkedInto, reclaimerOf, reclaimers } from "./box-state.js";
import { BoxEmptyError, BoxFullError } from "./errors.js";

declare const INBOX: unique symbol;
declare const OUTBOX: unique symbol;

/** What a box needs from the component that owns it. */
export interface BoxOwner {
  /** The owner's unique name, used in error messages. */
  readonly name: string;
  /** A message was put in one of the owner's inboxes (`box`, when it says): wake it if it sleeps. */
  _wake(box?: Inbox): void;
  /** A message was dropped (sent from an unlinked outbox, or to a finished component). */
  _deadLetter(box: Box, message: unknown): void;
  /** The owner's description of one of its boxes (from its class's declarations). */
  _describe(box: Box): string;
  /** Fusion: call `handler` with `message` now (true), or not (false: store it); see drain-loop.ts. */
  _fuse(handler: (message: never) => unknown, message: unknown): boolean;
}

/** "No limit" (2^30 - 1, a small integer for V8). */
const NO_LIMIT = 0x3fffffff;
/** The internal limit of a closed inbox. */
const CLOSED = -1;

/** A named box of a component. See {@link Inbox} and {@link Outbox}. */
export abstract class Box {
  /** The box's outgoing link, if any: the next box along the chain. */
  link: Box | null = null;
  /** Boxes linked into this one (many may feed one box). */
  get sources(): Box[] | null {
    // Only boxes are ever stored (by the setter below).
    return (linkedInto.get(this) as Box[] | undefined) ?? null;
  }
  /** Replace the list (linkage code keeps it). */
  set sources(list: Box[] | null) {
    if (list === null) linkedInto.delete(this);
    else linkedInto.set(this, list);
  }
  /** Messages dropped at this box: sent from it while unlinked, or sent to it after its owner finished. */
  get deadLetters(): number {
    return dead.get(this) ?? 0;
  }
  /** Set the count. */
  set deadLetters(n: number) {
    dead.set(this, n);
  }

  constructor(
    /** The component the box belongs to. */
    readonly owner: BoxOwner,
    /** The box's name, unique within its owner. */
    readonly name: string,
    description?: string,
  ) {
    if (description) descriptions.set(this, description);
  }

  /** A one-line description of what the box carries (shown by introspection). */
  get description(): string {
    return descriptions.get(this) ?? this.owner._describe(this);
  }
  /** Change the description. */
  set description(text: string) {
    descriptions.set(this, text);
  }

  /** `Owner.box`, for messages. */
  toString(): string {
    return `${this.owner.name}.${this.name}`;
  }

  /** Recompute this box's `final` from its link. */
  abstract resolve(): void;
}

/**
 * An inbox carrying messages of type `M`. It stores what is delivered to it
 * unless it is linked onward (a passthrough into a child), in which case
 * deliveries go straight to the end of the chain.
 */
export class Inbox<M = unknown> extends Box {
  /** @internal A phantom marking what the box accepts; bivariant so that any component is assignable to Component<unknown, unknown>. */
  declare readonly [INBOX]: { bivariance(message: M): void }["bivariance"];
  /** The inbox where messages sent to this one are stored: itself unless linked onward. */
  final: Inbox = this;
  /** @internal The owner's drain loop (a DrainLoop) while the runner drives it (`inbox` only). */
  fuser: object | null = null;
  /** @internal Its handler, for fusion (which so reads one object fewer per delivery). */
  handler: ((message: never) => unknown) | null = null;
  // The limit, with no limit stored as the largest small integer (Infinity would be a heap number
  // per box), and a closed box as CLOSED, so the full check also catches it off the hot path.
  #cap = NO_LIMIT;
  // A ring buffer (capacity a power of two) that grows but never shrinks, so a
  // steady flow allocates nothing per message.
  // Empty: a shared array of length 0, so the first push takes the same (growing) path as any
  // full one, and a push never reaches code the JIT has not seen run (a null check would).
  private items: unknown[] = NO_ITEMS;
  private head = 0;
  private count = 0;

  /** How many messages are stored here (not counting any forwarded onward). */
  get length(): number {
    return this.count;
  }

  /** True when a send to this box would throw {@link BoxFullError}. */
  isFull(): boolean {
    return this.count >= this.#cap && this.#cap !== CLOSED;
  }

  /** Set when the owner has finished: deliveries are then counted as dead letters, not stored. */
  get closed(): boolean {
    return this.#cap === CLOSED;
  }

  /**
   * Mark the box closed (its owner has finished) and drop what it holds,
   * unless a feeder takes it back ({@link Outbox.reclaimUnread}); returns how many were dropped.
   */
  close(): number {
    this.#cap = CLOSED;
    this.fuser = this.handler = null;
    const take = this.count > 0 ? reclaimerOf(this) : undefined;
    if (take !== undefined) take(this.peek() as unknown[]);
    const n = this.clear();
    // Producers waiting for room must not wait for ever: their sends are now dead letters.
    this.wakeFeeders();
    return take === undefined ? n : 0;
  }

  private push(message: unknown): void {
    let items = this.items;
    if (this.count === items.length) {
      const twice = items.length * 2;
      const bigger = anyValues(twice === 0 ? 4 : twice);
      const mask = items.length - 1;
      for (let i = 0; i < this.count; i++) bigger[i] = items[(this.head + i) & mask];
      items = this.items = bigger;
      this.head = 0;
    }
    items[(this.head + this.count) & (items.length - 1)] = message;
    this.count++;
  }

  /**
   * Store a message sent from `from`, waking the owner.
   * @throws BoxFullError when the box holds `limit` messages; nothing is stored.
   */
  deliver(message: unknown, from: Box | string): void {
    // The hot path, kept small so it inlines into the sender's send: an idle owner in a drain loop
    // handles the message now (a limit of 0 is never fused; a forwarded inbox stores nothing).
    const h = this.handler;
    if (h !== null && this.fusible() && this.owner._fuse(h, message)) return;
    this.#store(message, from);
  }

  /**
   * @internal Whether a message may be handed to the owner's handler instead of stored: the box
   * is empty, stores for itself (not forwarded), and is open with room (a limit of 0 never fuses).
   */
  fusible(): boolean {
    return this.count === 0 && this.#cap > 0 && this.final === this;
  }

  #store(message: unknown, from: Box | string): void {
    if (this.final !== this) return this.final.deliver(message, from);
    if (this.count >= this.#cap) {
      if (this.#cap !== CLOSED) throw new BoxFullError(String(this), String(from), this.count, this.limit);
      this.deadLetters++;
      this.owner._deadLetter(this, message);
      return;
    }
    this.push(message);
    this.owner._wake(this);
  }

  /** Put messages back at the front, oldest first, regardless of the limit (a chassis returning what a child left unread). */
  prepend(messages: readonly unknown[]): void {
    if (messages.length === 0) return;
    const rest = this.peek();
    this.clear();
    for (const m of messages) this.push(m);
    for (const m of rest) this.push(m);
    this.owner._wake(this);
  }

  /** Store messages regardless of the limit (used when a new link moves queued messages). */
  accept(messages: readonly unknown[]): void {
    if (messages.length === 0) return;
    for (const m of messages) this.push(m);
    this.owner._wake(this);
  }

  /**
   * Remove and return the oldest message. If the box was full, wake every
   * component feeding it, since they may be waiting for room.
   * @throws BoxEmptyError when the box is empty.
   */
  take(): M {
    if (this.count === 0) throw new BoxEmptyError(String(this));
    const items = this.items;
    const wasFull = this.count >= this.#cap;
    const message = items[this.head] as M;
    items[this.head] = undefined;
    this.head = (this.head + 1) & (items.length - 1);
    this.count--;
    if (wasFull) this.wakeFeeders();
    return message;
  }

  /** Remove and return every stored message, oldest first. */
  takeAll(): unknown[] {
    const out = this.peek() as unknown[];
    if (out.length === 0) return out;
    const wasFull = this.count >= this.#cap;
    this.clear();
    if (wasFull) this.wakeFeeders();
    return out;
  }

  /** The stored messages, oldest first, not removed. */
  peek(): readonly unknown[] {
    const items = this.items;
    if (this.count === 0) return [];
    const out = new Array<unknown>(this.count);
    const mask = items.length - 1;
    for (let i = 0; i < this.count; i++) out[i] = items[(this.head + i) & mask];
    return out;
  }

  /** Drop every stored message (used when the owner finishes); returns how many. */
  clear(): number {
    const n = this.count;
    this.items = NO_ITEMS;
    this.head = 0;
    this.count = 0;
    return n;
  }

  /**
   * Most messages this box may hold; `Infinity` for no limit. For an inbox
   * that stores for a chain (inboxes forwarding into it), this is the limit
   * in force: its own, or if it has none the smallest among the forwarding
   * inboxes' own limits. See {@link ownLimit}.
   */
  get limit(): number {
    return this.#cap === NO_LIMIT || this.#cap === CLOSED ? Infinity : this.#cap;
  }

  /** The limit set on this box itself (`setSize`, `pipewidth`), whatever a chain puts in force; `Infinity` for none. */
  get ownLimit(): number {
    const own = this.#own;
    return own === NO_LIMIT || own === CLOSED ? Infinity : own;
  }

  /** This box's own limit, as stored: kept aside only while a chain's limit is in force instead. */
  get #own(): number {
    return chainLimited.get(this) ?? this.#cap;
  }

  /** Set the limit ("pipewidth"); `undefined` or `Infinity` removes it. Wakes feeders if that made room. */
  setSize(limit: number | undefined): void {
    if (this.#cap === CLOSED) return;
    const own = limit === undefined || limit >= NO_LIMIT ? NO_LIMIT : Math.max(0, Math.floor(limit));
    const before = this.isFull();
    this.#apply(own, own);
    this.refreshLimit(before);
    if (this.final !== this) this.final.refreshLimit();
  }

  /**
   * @internal Recompute the limit in force (a link or a limit in the chain changed): its own, or
   * with none, while it stores for a chain, the smallest own limit of the inboxes forwarding into
   * it (a chassis's `pipewidth` bounds its child while wired). Wakes feeders if that made room.
   */
  refreshLimit(before = this.isFull()): void {
    if (this.#cap === CLOSED) return;
    const own = this.#own;
    let cap = own;
    if (own === NO_LIMIT && this.final === this && this.sources !== null) cap = forwardedLimit(this, NO_LIMIT);
    this.#apply(own, cap);
    if (before && !this.isFull()) this.wakeFeeders();
  }

  #apply(own: number, cap: number): void {
    this.#cap = cap;
    if (cap === own) chainLimited.delete(this);
    else chainLimited.set(this, own);
  }

  /** @internal This box's own limit as stored (NO_LIMIT for none), for a chain's computation. */
  _ownCap(): number {
    return this.#own;
  }

  override resolve(): void {
    this.final = this.link === null ? this : (this.link as Inbox).final;
  }

  /** Wake the owner of every outbox in the chains feeding this box. */
  wakeFeeders(): void {
    let f = feeders.get(this);
    if (f === undefined) {
      const found = new Set<BoxOwner>();
      collectFeeders(this, found);
      feeders.set(this, (f = [...found]));
    }
    for (const o of f) o._wake();
  }

  /** @internal A link upstream changed: the feeder list is rebuilt when next needed. */
  forgetFeeders(): void {
    feeders.delete(this);
  }
}

/** The smallest own limit among the inboxes forwarding (directly or along a chain) into `box`. */
function forwardedLimit(box: Box, min: number): number {
  if (box.sources === null) return min;
  for (const s of box.sources) {
    if (s instanceof Inbox) min = forwardedLimit(s, Math.min(min, s._ownCap()));
  }
  return min;
}

/** @internal Add the owner of every outbox in the chains feeding `box` to `into`. */
export function collectFeeders(box: Box, into: Set<BoxOwner>): void {
  if (box.sources === null) return;
  for (const s of box.sources) {
    if (s instanceof Outbox) into.add(s.owner);
    collectFeeders(s, into);
  }
}

/**
 * An outbox carrying messages of type `M`. It stores nothing: a send goes
 * straight to the inbox at the end of its chain of links, or, if the chain
 * ends at an unlinked outbox, is dropped and counted as a dead letter.
 */
export class Outbox<M = unknown> extends Box {
  /** @internal A phantom marking what the box carries. */
  declare readonly [OUTBOX]: M;
  /** The inbox that messages sent here reach, or `null` when the chain ends unlinked. */
  final: Inbox | null = null;

  /** Deliver a message along the chain (or count it dead if the chain is unlinked). */
  send(message: M): void {
    const target = this.final;
    if (target === null) {
      this.deadLetters++;
      this.owner._deadLetter(this, message);
    } else {
      target.deliver(message, this);
    }
  }

  /** True when a send would throw because the final inbox is full. */
  isFull(): boolean {
    return this.final !== null && this.final.isFull();
  }

  /**
   * Take back what is left unread where this outbox's messages end up: when an inbox they reach
   * (directly, or through inbox passthroughs such as a Pipeline's into a child's) closes because
   * its owner ended, what it still holds (all of it, whoever sent it) goes to `take`, oldest
   * first, instead of being dropped. Seq and Carousel use this to hand input left inside a child
   * to the next one.
   */
  reclaimUnread(take: (unread: unknown[]) => void): void {
    reclaimers.set(this, take);
  }

  override resolve(): void {
    const next = this.link;
    this.final = next === null ? null : next instanceof Inbox ? next.final : (next as Outbox).final;
  }
}
