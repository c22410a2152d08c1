/**
 * The Introspector: the live graph of one system (or of every system in the
 * process) as data, for watchers such as the web visualiser.
 *
 * ```ts
 * const spy = new Introspector(system);
 * const w = spy.watch((batch) => console.log(batch.events.map((e) => e.type)));
 * // … later
 * w.close(); spy.close();
 * ```
 *
 * A watcher first receives a snapshot, then batches of deltas and periodic
 * metrics (see `protocol.ts`). Each watcher has its own bounded queue: while
 * it is busy (its last call returned a promise not yet settled) events queue
 * up to `maxEvents`; beyond that they are dropped and counted, and its next
 * batch starts with a fresh snapshot instead. A watcher that throws or
 * rejects is closed. Nothing a watcher does reaches the system: events are
 * recorded synchronously (a few field reads) and handed over from a timer.
 *
 * While at least one watcher is attached, the Introspector meters every box
 * of the components it watches (see `meter.ts`): that is the cost of
 * watching, measured in bench/introspect.mjs. With no watcher (an open
 * visualiser with no page loaded), only the rare-event hooks run, and a
 * system nobody introspects pays nothing.
 *
 * @module
 */
import { System, type AnyComponent, type Box, type Linkage } from "../core/index.js";
import { observe } from "../core/observe.js";
import { componentState, describeComponent, describeLink, linkId, preview, treeOrder } from "./describe.js";
import { Meter } from "./meter.js";
import { SystemNames } from "./names.js";
import { PROTOCOL_VERSION, type Batch, type ComponentInfo, type ComponentState, type IntrospectionEvent, type Metrics, type Snapshot } from "./protocol.js";

/** Whether both ends of `l` belong to activated components (ids are given at activation). */
function hasIds(l: Linkage): boolean {
  return (l.source.owner as AnyComponent).id !== 0 && (l.sink.owner as AnyComponent).id !== 0;
}

/** Receives batches; may return a promise to say it is busy until it settles. */
export type Watcher = (batch: Batch) => void | Promise<void>;

/** Options for {@link Introspector.watch}. */
export interface WatchOptions {
  /** Most events queued for this watcher while it is busy; more are dropped and counted (default 1000). */
  maxEvents?: number;
  /** How often queued events are handed over, in ms (default 50). */
  batchMs?: number;
}

/** Options for an {@link Introspector}. */
export interface IntrospectorOptions {
  /** How often metrics are computed and sent, in ms (default 1000; 0 for none). */
  metricsMs?: number;
  /** How many recent messages to keep per box, for {@link Introspector.lastMessages} (default 5). */
  keepLast?: number;
}

/** A watcher's handle. */
export class Watch {
  /** Events dropped for this watcher in all. */
  droppedTotal = 0;
  /** Batches handed over. */
  batches = 0;
  /** Whether the watch has ended (closed, or the watcher failed). */
  closed = false;
  /** Why the watch ended by itself (the watcher threw or rejected), if it did. */
  error: unknown = undefined;
  #queue: IntrospectionEvent[] = [];
  #dropped = 0;
  #busy = false;
  readonly #timer: NodeJS.Timeout;

  /** @internal Made by {@link Introspector.watch}. */
  constructor(
    /** Called with each batch of events. */
    readonly fn: Watcher,
    private readonly spy: Introspector,
    /** Most events queued before they are dropped (and counted). */
    readonly maxEvents: number,
    batchMs: number,
  ) {
    this.#queue.push(spy.snapshot());
    this.#timer = setInterval(() => this.flush(), batchMs);
    this.#timer.unref();
    queueMicrotask(() => this.flush());
  }

  /** @internal Queue an event, or count it dropped when the queue is full. */
  push(e: IntrospectionEvent): void {
    if (this.closed) return;
    if (this.#queue.length >= this.maxEvents || this.#dropped > 0) {
      this.#dropped++;
      this.droppedTotal++;
      return;
    }
    this.#queue.push(e);
  }

  /** Hand over what is queued, unless the watcher is still busy with the last batch. */
  flush(): void {
    if (this.closed || this.#busy) return;
    if (this.#dropped > 0) this.#queue = [this.spy.snapshot()];
    if (this.#queue.length === 0) return;
    const batch: Batch = { type: "batch", version: PROTOCOL_VERSION, seq: ++this.batches, dropped: this.#dropped, droppedTotal: this.droppedTotal, events: this.#queue };
    this.#queue = [];
    this.#dropped = 0;
    let r: void | Promise<void>;
    try {
      r = this.fn(batch);
    } catch (e) {
      this.#fail(e);
      return;
    }
    if (r !== undefined && typeof (r as Promise<void>).then === "function") {
      this.#busy = true;
      (r as Promise<void>).then(
        () => {
          this.#busy = false;
        },
        (e: unknown) => this.#fail(e),
      );
    }
  }

  #fail(e: unknown): void {
    this.error = e;
    this.close();
  }

  /** Stop watching. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.#timer);
    this.#queue = [];
    this.spy.unwatch(this);
  }
}

/**
 * Watches one system (or `"all"`: every system that activates a component)
 * and reports its graph. Watching several systems, it reports components of
 * all but the first with ids and names of their own ({@link names}), so that
 * every id it reports is unique among what it watches.
 */
export class Introspector {
  /** Counts and keeps recent messages on the boxes watched. */
  readonly meter: Meter;
  /** The ids and names it reports: a component's own in the first system it watches, set apart in any other (see `names.ts`). */
  readonly names: SystemNames;
  /** How often metrics are reported, in ms. */
  readonly metricsMs: number;
  readonly #systems = new Set<System>();
  readonly #all: boolean;
  readonly #watches = new Set<Watch>();
  readonly #failed = new WeakMap<AnyComponent, string>();
  readonly #lastFlow = new Map<string, number>();
  /** Links made before one of their components was activated (its id is 0 until then): reported once it has an id. */
  readonly #pending = new Set<Linkage>();
  #lastMetrics = Date.now();
  #stopObserving: () => void;
  #metricsTimer: NodeJS.Timeout | null = null;
  #closed = false;

  constructor(target: System | "all" = System.default, options: IntrospectorOptions = {}) {
    this.#all = target === "all";
    this.#systems.add(target === "all" ? System.default : target);
    // System 1 keeps its components' own ids: the target, or for "all" the first system seen with components.
    this.names = new SystemNames(target !== "all" ? target : System.default.size > 0 ? System.default : undefined);
    this.meter = new Meter(options.keepLast ?? 5);
    this.metricsMs = options.metricsMs ?? 1000;
    this.#stopObserving = observe({
      activated: (c) => this.#activated(c),
      ended: (c, failed, error) => this.#ended(c, failed, error),
      linked: (l) => this.#linked(l),
      unlinked: (l) => {
        if (this.#pending.delete(l)) return;
        this.#emit({ type: "unlinked", time: Date.now(), id: linkId(l, this.names) }, this.#watching(l.creator as AnyComponent));
      },
    });
    if (this.metricsMs > 0) {
      this.#metricsTimer = setInterval(() => this.#metrics(), this.metricsMs);
      this.#metricsTimer.unref();
    }
  }

  #watching(c: AnyComponent | null | undefined): boolean {
    return c !== null && c !== undefined && c.system !== null && this.#systems.has(c.system);
  }

  #emit(e: IntrospectionEvent, relevant: boolean): void {
    if (!relevant) return;
    for (const w of this.#watches) w.push(e);
  }

  #activated(c: AnyComponent): void {
    if (this.#all && c.system !== null) this.#systems.add(c.system);
    if (!this.#watching(c)) return;
    this.names.number(c.system!);
    if (this.#watches.size > 0) this.meter.add(c);
    const time = Date.now();
    this.#emit({ type: "activated", time, component: this.describe(c) }, true);
    for (const l of this.#pending) {
      if (!l.active) this.#pending.delete(l);
      else if (hasIds(l)) {
        this.#pending.delete(l);
        this.#emit({ type: "linked", time, link: describeLink(l, this.names) }, true);
      }
    }
  }

  #ended(c: AnyComponent, failed: boolean, error: unknown): void {
    if (!this.#watching(c)) return;
    this.meter.remove(c);
    const time = Date.now();
    if (failed) {
      const text = (error instanceof Error ? `${error.name}: ${error.message}` : String(error)).split("\n")[0]!;
      this.#failed.set(c, text);
      this.#emit({ type: "failed", time, id: this.names.idOf(c), error: text }, true);
    } else this.#emit({ type: "finished", time, id: this.names.idOf(c) }, true);
  }

  #linked(l: Linkage): void {
    const creator = l.creator as AnyComponent;
    if (!this.#watching(creator)) return;
    // Boxes made after activation (a Graphline's own extra boxes) are metered once linked.
    if (this.#watches.size > 0) for (const b of [l.source, l.sink]) if (this.#watching(b.owner as AnyComponent)) this.meter.addBox(b);
    // A chassis links its children before activating them: report the link once both ends have ids.
    if (!hasIds(l)) {
      this.#pending.add(l);
      return;
    }
    // The flow so far is the baseline of the new link's rate.
    this.#lastFlow.set(linkId(l, this.names), this.meter.flow(l.source) ?? 0);
    this.#emit({ type: "linked", time: Date.now(), link: describeLink(l, this.names) }, true);
  }

  /** The systems being watched, in the order {@link names} numbers them (system 1 first). */
  systems(): System[] {
    const n = (s: System) => this.names.numbered(s) ?? Infinity;
    return [...this.#systems].sort((a, b) => n(a) - n(b));
  }

  /** The live components of the watched systems, parents before children. */
  components(): AnyComponent[] {
    const all: AnyComponent[] = [];
    for (const s of this.#systems) all.push(...s.components());
    return treeOrder(all);
  }

  /** One component as protocol data. */
  describe(c: AnyComponent): ComponentInfo {
    return describeComponent(c, this.meter, this.#failed.has(c), this.names);
  }

  /**
   * Find a live component by the id or name reported for it (`17`, `"17"`,
   * `"Keeper_3@2"`), or by its own name when no other watched component has it.
   */
  find(idOrName: number | string): AnyComponent | undefined {
    const names = this.names;
    const cs = this.components();
    for (const c of cs) {
      const id = names.idOf(c);
      if (id === idOrName || String(id) === idOrName || names.nameOf(c) === idOrName) return c;
    }
    const same = cs.filter((c) => c.name === idOrName);
    return same.length === 1 ? same[0] : undefined;
  }

  /** The whole graph now. */
  snapshot(): Snapshot {
    const components = this.components();
    const links = [];
    for (const c of components) for (const l of c.linkages()) if (l.active) links.push(describeLink(l, this.names));
    let deadLetters = 0;
    for (const s of this.#systems) deadLetters += s.deadLetters;
    return { type: "snapshot", version: PROTOCOL_VERSION, time: Date.now(), components: components.map((c) => this.describe(c)), links, deadLetters };
  }

  /** The recent messages through each box of `c`, as short previews, oldest first. */
  lastMessages(c: AnyComponent): {
    /** The box's name. */
    box: string;
    /** Its recent messages, as text, oldest first. */
    messages: string[];
  }[] {
    const out: { box: string; messages: string[] }[] = [];
    const boxes: Box[] = [...c.inboxes(), ...c.outboxes()];
    for (const b of boxes) {
      const m = this.meter.last(b);
      if (m.length > 0) out.push({ box: b.name, messages: m.map((x) => preview(x)) });
    }
    return out;
  }

  /** Compute metrics now (also done every `metricsMs`); returns them. */
  metrics(): Metrics {
    const now = Date.now();
    const interval = Math.max(1, now - this.#lastMetrics);
    this.#lastMetrics = now;
    const depths: { component: number; box: string; depth: number; limit: number | null }[] = [];
    const rates: { link: string; perSecond: number }[] = [];
    const seen = new Map<string, number>();
    const states: Record<number, ComponentState> = {};
    for (const c of this.components()) {
      const cid = this.names.idOf(c);
      states[cid] = componentState(c, this.#failed.has(c));
      for (const b of c.inboxes()) if (b.length > 0) depths.push({ component: cid, box: b.name, depth: b.length, limit: b.limit === Infinity ? null : b.limit });
      for (const l of c.linkages()) {
        if (!l.active) continue;
        const id = linkId(l, this.names);
        const flow = this.meter.flow(l.source);
        if (flow === null) continue;
        seen.set(id, flow);
        const before = this.#lastFlow.get(id);
        if (before !== undefined && flow > before) rates.push({ link: id, perSecond: Math.round(((flow - before) * 1000) / interval) });
      }
    }
    this.#lastFlow.clear();
    for (const [k, v] of seen) this.#lastFlow.set(k, v);
    return { type: "metrics", time: now, intervalMs: interval, depths, states, rates };
  }

  #metrics(): void {
    if (this.#watches.size === 0) return;
    const m = this.metrics();
    this.#emit(m, true);
  }

  /** Start handing batches to `fn` (the first holds a snapshot). */
  watch(fn: Watcher, options: WatchOptions = {}): Watch {
    if (this.#closed) throw new Error("this Introspector is closed");
    // The first watcher starts the meters (counts run from here), so that an unwatched system pays nothing per message.
    if (this.#watches.size === 0) for (const c of this.components()) this.meter.add(c);
    const w = new Watch(fn, this, options.maxEvents ?? 1000, options.batchMs ?? 50);
    this.#watches.add(w);
    return w;
  }

  /** @internal A watch closed: the last one stops the meters. */
  unwatch(w: Watch): void {
    if (!this.#watches.delete(w) || this.#watches.size > 0) return;
    this.meter.close();
    this.#lastFlow.clear();
  }

  /** How many watchers are attached. */
  get watchers(): number {
    return this.#watches.size;
  }

  /** Stop: close every watch, stop observing, remove every meter. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const w of [...this.#watches]) w.close();
    this.#stopObserving();
    if (this.#metricsTimer !== null) clearInterval(this.#metricsTimer);
    this.meter.close();
  }
}
