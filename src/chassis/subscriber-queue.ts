/**
 * A backplane subscriber's queue and what happens when it is full: the
 * messages and types shared by {@link BackplaneComponent} and
 * {@link SubscribeTo}, and the {@link WaitBudget} by which the `disconnect`
 * policy tells a slow consumer from a fast one caught in a burst.
 *
 * @module
 */
import type { Inbox, Outbox } from "../core/box.js";
import type { AnyComponent, Wait } from "../core/component.js";
import { ShutdownMicroprocess, type ControlMessage } from "../core/ipc.js";
import type { Linkage } from "../core/linkage.js";
import { ChassisArgumentError, describeArgument } from "./argument-error.js";
import type { Relay } from "./fan-out.js";

/**
 * What a backplane does when a subscriber's queue is full:
 * - `"block"`: wait for room (nothing lost; everyone is held to the pace of
 *   the slowest subscriber),
 * - `"dropOldest"`: drop the oldest message in that subscriber's queue to
 *   make room (counted),
 * - `"disconnect"`: wait for room, but drop the subscriber (send it a
 *   {@link SlowConsumer} on its `control`, count what was queued for it as
 *   dropped) when it takes nothing for `maxWaitMs` (500 ms), or when the
 *   waiting it caused while holding the others back (another subscriber had
 *   nothing left to send) adds up to `maxWaitMs` within the last `windowMs`
 *   (10 s), see {@link WaitBudget}. NATS's "slow consumer", IRC's "SendQ
 *   exceeded". So a client reading at a fraction of the chat's rate goes
 *   within about a second of stalls, while a burst that fills every queue
 *   (everyone busy, no one held back) costs no fast reader its place.
 */
export type SlowConsumerPolicy = "block" | "dropOldest" | "disconnect";

/** What a backplane counts for one subscriber (shared with the subscriber, which exposes it). */
export interface SubscriberCounts {
  /** Messages this subscriber will never receive: dropped by `dropOldest`, or queued when it was disconnected. */
  dropped: number;
  /** True once the backplane disconnected it as a slow consumer. */
  disconnected: boolean;
}

/** How a subscriber wants to be treated when it falls behind; unset fields take the backplane's settings. */
export interface SubscribeOptions {
  /** The policy when its queue is full. */
  policy?: SlowConsumerPolicy;
  /** Its queue's size (the limit put on its inbox if it has none). */
  queueSize?: number;
}

/** Sent to a backplane's inbox (by {@link SubscribeTo}): from now on, send what is published to `inbox`, and shutdown to `control`. */
export class BackplaneSubscribe {
  constructor(
    /** Where the published messages go. */
    readonly inbox: Inbox,
    /** Where the backplane's shutdown message goes. */
    readonly control: Inbox,
    /** Policy and queue size for this subscriber. */
    readonly options: SubscribeOptions = {},
    /** Updated by the backplane as it drops messages for this subscriber. */
    readonly counts: SubscriberCounts = { dropped: 0, disconnected: false },
    /** The subscriber's way past its queue while that is empty (SubscribeTo's), if it has one. */
    readonly relay: Relay | null = null,
  ) {}
}

/**
 * Sent to a subscriber's `control` when a backplane with the `disconnect`
 * policy drops it: stop now (it is a `shutdownMicroprocess`); `reason` says
 * why, in words, for the subscriber to pass on to its client.
 */
export class SlowConsumer extends ShutdownMicroprocess {
  constructor(
    caller: object,
    /** Why, e.g. `slow consumer: 256 messages were waiting for SubscribeTo_12 on backplane "CHAT"`. */
    readonly reason: string,
    /** How many queued messages it will not receive. */
    readonly dropped: number,
  ) {
    super(caller);
  }
}

/** Sent to a backplane's inbox (by {@link SubscribeTo} as it ends): stop sending to `inbox`. */
export class BackplaneUnsubscribe {
  constructor(
    /** The inbox given when subscribing. */
    readonly inbox: Inbox,
  ) {}
}

/** One subscriber as its backplane sees it: its boxes, policy, counts and wait budget. */
export interface Sink<T> {
  readonly inbox: Inbox;
  /** Its way past its queue, if it has one (see {@link Relay}). */
  readonly relay: Relay | null;
  /** How many of the run of messages being published it has been given (see BackplaneComponent's fan-out). */
  given: number;
  readonly policy: SlowConsumerPolicy;
  readonly counts: SubscriberCounts;
  readonly data: Outbox<T>;
  readonly control: Outbox<ControlMessage>;
  readonly links: readonly Linkage[];
  /** Under `disconnect`: how long publishing waited on it lately. */
  readonly budget: WaitBudget;
}


const POLICIES: readonly SlowConsumerPolicy[] = ["block", "dropOldest", "disconnect"];

/** `policy` if it is one. @throws ChassisArgumentError naming the component otherwise. */
export function checkPolicy(who: string, policy: unknown): SlowConsumerPolicy {
  if (POLICIES.includes(policy as SlowConsumerPolicy)) return policy as SlowConsumerPolicy;
  throw new ChassisArgumentError(`${who}: policy must be "block", "dropOldest" or "disconnect", got ${describeArgument(policy)}`);
}

/** `n` if it is a whole number >= 0. @throws ChassisArgumentError naming the component and setting otherwise. */
export function checkSize(who: string, setting: string, n: unknown): number {
  if (typeof n === "number" && Number.isInteger(n) && n >= 0) return n;
  throw new ChassisArgumentError(`${who}: ${setting} must be a whole number >= 0 (0 for no limit), got ${describeArgument(n)}`);
}


/**
 * How long publishing has waited on one subscriber within a sliding window
 * (the last `windowMs`). A fast reader caught in a burst is waited on now
 * and then, briefly; a reader that keeps taking messages, but at a fraction
 * of the rate they are published, is waited on again and again, each wait
 * short of `maxWaitMs`, and so uses its budget up. Waits are kept as
 * `[start, end]` pairs (performance.now() ms), oldest first, and forgotten
 * once they leave the window, so it holds at most a window's worth.
 */
export class WaitBudget {
  private readonly waits: number[] = [];

  constructor(
    /** Most waiting allowed within the window, in ms. */
    readonly budgetMs: number,
    /** The window's length, in ms. */
    readonly windowMs: number,
  ) {}

  /** Note a wait from `start` to `end`. */
  record(start: number, end: number): void {
    if (end > start) this.waits.push(start, end);
  }

  /** Waiting within the window ending at `now`, in ms (forgetting older waits). */
  spent(now: number): number {
    const from = now - this.windowMs;
    const w = this.waits;
    let drop = 0;
    while (drop < w.length && w[drop + 1]! <= from) drop += 2;
    if (drop > 0) w.splice(0, drop);
    let total = 0;
    for (let i = 0; i < w.length; i += 2) total += w[i + 1]! - Math.max(w[i]!, from);
    return total;
  }

  /** How much more may be waited at `now` before the budget is spent, in ms (0 when spent). */
  remaining(now: number): number {
    return Math.max(0, this.budgetMs - this.spent(now));
  }
}

/** Per-backplane settings (see {@link BackplaneComponent}; the last three are about subscriber queues). */
export interface BackplaneOptions {
  /** Most messages waiting in the backplane's inbox; 0 for no limit (default 64). */
  pipewidth?: number;
  /** What to do when a subscriber's queue is full (default `"block"`). */
  policy?: SlowConsumerPolicy;
  /** Each subscriber's queue size; 0 for no limit (default 64). */
  queueSize?: number;
  /** Under `disconnect`, longest to wait for a full subscriber to take something, in ms; 0 drops it at once (default 500). */
  maxWaitMs?: number;
  /** Under `disconnect`, the window within which a subscriber may keep publishers waiting `maxWaitMs` in total, in ms (default 10,000). */
  windowMs?: number;
}

/**
 * Send a subscription request to the backplane at the end of `out`'s chain.
 * Never refused for want of room (a request is bounded by the number of
 * subscribers); dropped if the backplane has ended.
 */
export function sendRequest(out: Outbox<BackplaneSubscribe | BackplaneUnsubscribe>, req: BackplaneSubscribe | BackplaneUnsubscribe): void {
  const box = out.final;
  if (box !== null && !box.closed) box.accept([req]);
}

/**
 * Wait (in `waiter`, a backplane) for `s` to have room (or to go) at most
 * `maxWaitMs`, and, while it holds the others back (one of `sinks` has
 * nothing left to send), at most what is left of its budget: `maxWaitMs` of
 * such waiting within the budget's window.
 */
export function* waitForRoom<T>(waiter: AnyComponent, s: Sink<T>, sinks: readonly Sink<T>[], maxWaitMs: number): Wait<"room" | "timeout" | "stop"> {
  if (maxWaitMs === 0) return "timeout";
  const start = performance.now();
  let woken = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const wakeIn = (ms: number) => {
    timer = setTimeout(() => {
      woken = true;
      waiter.unpause();
    }, ms);
  };
  wakeIn(Math.min(maxWaitMs, s.budget.remaining(start)));
  try {
    while (s.data.isFull() && !s.inbox.closed) {
      if (waiter.checkShutdown() === "stop") return "stop";
      if (woken) {
        woken = false;
        const now = performance.now();
        const waited = now - start;
        if (waited >= maxWaitMs) return "timeout";
        if (othersStarved(s, sinks) && s.budget.remaining(now) <= waited) return "timeout";
        // Over budget but the others still have work: look again shortly.
        wakeIn(Math.min(maxWaitMs - waited, 50));
      }
      waiter.pause();
      yield;
    }
    return "room";
  } finally {
    clearTimeout(timer);
    // Charged only while it held the others back: a burst that fills everyone's queue costs no one.
    if (othersStarved(s, sinks)) s.budget.record(start, performance.now());
  }
}

/** True if a subscriber other than `s` has nothing queued, i.e. waiting on `s` is holding it back. */
function othersStarved<T>(s: Sink<T>, sinks: readonly Sink<T>[]): boolean {
  return sinks.some((o) => o !== s && !o.inbox.closed && (o.data.final?.length ?? 0) === 0);
}
