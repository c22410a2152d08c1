/**
 * The Introspector's protocol: what a watcher receives, as plain JSON-safe
 * data, versioned so a visualiser or a log can tell what it reads.
 *
 * A watcher first gets a {@link Snapshot} (every live component, its boxes
 * and every linkage), then {@link Batch}es of {@link Delta}s (component
 * activated / finished / failed, link made / broken) and periodic
 * {@link Metrics} (depth per box, messages per second per link). When a
 * watcher falls behind, events beyond its bound are dropped and counted; the
 * next batch says how many, and starts with a fresh snapshot so the watcher's
 * picture is whole again (the model is XState v5's inspection events: typed,
 * versioned, a snapshot then changes).
 *
 * @module
 */

/** The protocol version; bumped when a field changes meaning or goes away (new fields do not bump it). */
export const PROTOCOL_VERSION = 1;

/**
 * What a component is doing: `running` (runnable, queued on the scheduler),
 * `paused` (asleep until a delivery or a wake), `waiting for room` (asleep
 * with a full outbox), `finished`, `failed`.
 */
export type ComponentState = "running" | "paused" | "waiting for room" | "finished" | "failed";

/** One box of a component. */
export interface BoxInfo {
  /** The box's name, unique within its component. */
  readonly name: string;
  /** Inbox or outbox. */
  readonly kind: "inbox" | "outbox";
  /** What the box carries (its class's declaration). */
  readonly description: string;
  /** Messages stored in it now (always 0 for an outbox, or for an inbox that forwards to a child). */
  readonly depth: number;
  /** Most messages it may hold, or `null` for no limit. */
  readonly limit: number | null;
  /** Messages dropped at this box (sent from it unlinked, or to it after its owner finished). */
  readonly deadLetters: number;
  /** Messages that reached this box while it was watched (inboxes), or `null` when not metered. */
  readonly messagesIn: number | null;
  /** Messages that left through this box while it was watched (outboxes), or `null` when not metered. */
  readonly messagesOut: number | null;
}

/** One component. */
export interface ComponentInfo {
  /**
   * The component's id: unique among everything the Introspector watches,
   * and the same for as long as the component lives. Components of the
   * first system watched have their own `id` (unique only within their
   * system: each system counts from 1); those of any other system get
   * negative ids (-1, -2, … in the order the Introspector first meets them).
   */
  readonly id: number;
  /** Its name (`Class_id` unless set), followed by `@N` for a component of the Nth system watched, N > 1 (`Keeper_3@2`). */
  readonly name: string;
  /** Its class's name. */
  readonly class: string;
  /** The id of its parent, or `null` at the top of the system. */
  readonly parent: number | null;
  /** What it is doing. */
  readonly state: ComponentState;
  /** Its boxes, inboxes first. */
  readonly boxes: readonly BoxInfo[];
  /** Its settings: own fields holding a string, number or boolean (e.g. `port`, `stallMs`). */
  readonly settings: Readonly<Record<string, string | number | boolean | null>>;
}

/** One end of a linkage. */
export interface BoxAddress {
  /** The component's id. */
  readonly component: number;
  /** The box's name. */
  readonly box: string;
}

/** One linkage. */
export interface LinkInfo {
  /** `fromComponent.box->toComponent.box` with ids: stable while the link lives. */
  readonly id: string;
  /** Where messages come from. */
  readonly from: BoxAddress;
  /** Where they go. */
  readonly to: BoxAddress;
  /** 0: outbox → inbox; 1: inbox → inbox (passthrough in); 2: outbox → outbox (passthrough out). */
  readonly passthrough: 0 | 1 | 2;
  /** The id of the component that made the link. */
  readonly creator: number | null;
}

/** The whole live graph at one moment. */
export interface Snapshot {
  /** What this message is: "snapshot". */
  readonly type: "snapshot";
  /** {@link PROTOCOL_VERSION}. */
  readonly version: number;
  /** Milliseconds since the epoch. */
  readonly time: number;
  /** Every live component, parents before their children. */
  readonly components: readonly ComponentInfo[];
  /** Every linkage made by a live component. */
  readonly links: readonly LinkInfo[];
  /** Messages dropped anywhere in the watched systems since they started. */
  readonly deadLetters: number;
}

/** A change to the graph. */
export type Delta =
  | {
      /** A component was activated. */
      readonly type: "activated";
      /** When, in ms (performance.now). */
      readonly time: number;
      /** The component. */
      readonly component: ComponentInfo;
    }
  | {
      /** A component finished. */
      readonly type: "finished";
      /** When, in ms. */
      readonly time: number;
      /** The component's id. */
      readonly id: number;
    }
  | {
      /** A component failed. */
      readonly type: "failed";
      /** When, in ms. */
      readonly time: number;
      /** The component's id. */
      readonly id: number;
      /** The error, in words. */
      readonly error: string;
    }
  | {
      /** A link was made. */
      readonly type: "linked";
      /** When, in ms. */
      readonly time: number;
      /** The link. */
      readonly link: LinkInfo;
    }
  | {
      /** A link was removed. */
      readonly type: "unlinked";
      /** When, in ms. */
      readonly time: number;
      /** The link's id. */
      readonly id: string;
    };

/** Depths and rates, sent periodically. */
export interface Metrics {
  /** What this message is: "metrics". */
  readonly type: "metrics";
  /** When the metrics were taken, in ms (performance.now). */
  readonly time: number;
  /** The period the rates are measured over, in milliseconds. */
  readonly intervalMs: number;
  /** Depth of every inbox holding messages (an inbox not listed is empty), and its limit. */
  readonly depths: readonly {
    /** The component's id. */
    readonly component: number;
    /** The inbox's name. */
    readonly box: string;
    /** Messages waiting in it. */
    readonly depth: number;
    /** Its limit, or null for none. */
    readonly limit: number | null;
  }[];
  /** What each live component is doing now, by id. */
  readonly states: Readonly<Record<number, ComponentState>>;
  /** Messages per second through every link that carried any in the period. */
  readonly rates: readonly {
    /** The link's id. */
    readonly link: string;
    /** Messages per second over the period. */
    readonly perSecond: number;
  }[];
}

/** Anything a watcher receives inside a batch. */
export type IntrospectionEvent = Snapshot | Delta | Metrics;

/** What a watcher is handed: events in order, and how many were dropped before them. */
export interface Batch {
  /** What this message is: "batch". */
  readonly type: "batch";
  /** The protocol version. */
  readonly version: number;
  /** Counts batches for this watcher, from 1. */
  readonly seq: number;
  /** Events dropped for this watcher since its previous batch (when non-zero, `events` starts with a fresh snapshot). */
  readonly dropped: number;
  /** Events dropped for this watcher in all. */
  readonly droppedTotal: number;
  /** The events, oldest first. */
  readonly events: readonly IntrospectionEvent[];
}
