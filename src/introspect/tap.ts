/**
 * Taps: see every message passing a box, at no cost to boxes nobody taps.
 *
 * Every message in the core moves through one of two methods: an outbox's
 * `send` (a component sending) or an inbox's `deliver` (a message reaching
 * an inbox, whether from an outbox, a forwarding inbox, or a direct delivery
 * such as the test harness's). Tapping a box gives that one box instance its
 * own `send`/`deliver` that calls the taps and then the class's method;
 * untapping the last tap deletes it again. Untapped boxes, and so every
 * system nobody watches, run the class's methods untouched: no flag is
 * checked per message.
 *
 * A tap that throws is removed (and the error handed to `onError`): a
 * misbehaving watcher must never break a send.
 *
 * @module
 */
import { Inbox, Outbox, type Box } from "../core/index.js";

/** Called with each message passing a tapped box, once it has been delivered (a send that throws BoxFullError is not seen). */
export type TapFn = (message: unknown, box: Box) => void;

/** Message counts kept on a box by {@link count}. */
export interface BoxCounter {
  /** Messages counted since counting began on this box. */
  readonly n: number;
  /** The last `keep` messages, as a ring written at `n % keep`. */
  readonly last: readonly unknown[] | null;
}

interface TapList {
  fns: TapFn[];
  /** How many users count on this box (see {@link count}); counting is built into the wrappers, with no call per message. */
  counting: number;
  n: number;
  keep: number;
  last: unknown[] | null;
}

/** Where a tapped box keeps its taps (a symbol-keyed own field, so the one shared wrapper below finds them without a lookup table). */
const TAPS = Symbol("taps");
type Tapped = Box & { [TAPS]?: TapList };

const taps = new WeakMap<Box, TapList>();
const protoSend = Outbox.prototype.send;
const protoDeliver = Inbox.prototype.deliver;

/** Where errors thrown by taps go (they are removed, never rethrown into the sender). */
export let onTapError: (error: unknown, box: Box) => void = () => {};

/** Replace the handler for errors thrown by taps. */
export function setTapErrorHandler(fn: (error: unknown, box: Box) => void): void {
  onTapError = fn;
}

function run(list: TapList, message: unknown, box: Box): void {
  const fns = list.fns;
  for (let i = 0; i < fns.length; i++) {
    try {
      fns[i]!(message, box);
    } catch (e) {
      untap(box, fns[i]!);
      onTapError(e, box);
    }
  }
}

// One wrapper per kind, shared by every tapped box: the call sites in the core then see a single
// target, which V8 can inline, instead of a closure per box.
/** After a tapped box's message went through: count it, keep it, call the taps. Small enough for V8 to inline. */
function passed(box: Tapped, message: unknown): void {
  const l = box[TAPS];
  if (l === undefined) return;
  if (l.counting > 0) {
    if (l.keep > 0) (l.last ??= new Array<unknown>(l.keep))[l.n % l.keep] = message;
    l.n++;
  }
  if (l.fns.length !== 0) run(l, message, box);
}

function tappedSend(this: Outbox & Tapped, message: unknown): void {
  protoSend.call(this, message);
  passed(this, message);
}

function tappedDeliver(this: Inbox & Tapped, message: unknown, from: Box | string): void {
  protoDeliver.call(this, message, from);
  passed(this, message);
}

function listFor(box: Box): TapList {
  let list = taps.get(box);
  if (list === undefined) {
    list = { fns: [], counting: 0, n: 0, keep: 0, last: null };
    taps.set(box, list);
    (box as Tapped)[TAPS] = list;
    if (box instanceof Outbox) (box as { send: Outbox["send"] }).send = tappedSend;
    else if (box instanceof Inbox) (box as { deliver: Inbox["deliver"] }).deliver = tappedDeliver;
  }
  return list;
}

function release(box: Box, list: TapList): void {
  if (list.fns.length > 0 || list.counting > 0) return;
  taps.delete(box);
  delete (box as Tapped)[TAPS];
  delete (box as { send?: unknown }).send;
  delete (box as { deliver?: unknown }).deliver;
}

/**
 * Count the messages passing `box`, keeping the last `keep` of them (the
 * meters use this: it is built into the wrapper, so it costs an increment
 * per message rather than a call). Returns a function that stops counting;
 * the counts go when the last user stops.
 */
export function count(box: Box, keep = 0): () => void {
  const list = listFor(box);
  list.counting++;
  if (keep > list.keep) {
    list.keep = keep;
    list.last = null;
  }
  let done = false;
  return () => {
    if (done) return;
    done = true;
    list.counting--;
    if (list.counting === 0) {
      list.n = 0;
      list.keep = 0;
      list.last = null;
    }
    release(box, list);
  };
}

/** The counts on `box`, if anything counts on it. */
export function counterOf(box: Box): BoxCounter | undefined {
  const list = taps.get(box);
  return list !== undefined && list.counting > 0 ? list : undefined;
}

/**
 * Call `fn` with every message sent from `box` (an outbox) or reaching it
 * (an inbox). Returns a function that removes the tap.
 */
export function tap(box: Box, fn: TapFn): () => void {
  const list = listFor(box);
  // A copy, so a tap removed while the list is being run does not skip its neighbour.
  list.fns = [...list.fns, fn];
  return () => untap(box, fn);
}

/** Remove one tap from a box; the box's own methods are restored when none is left. */
export function untap(box: Box, fn: TapFn): void {
  const list = taps.get(box);
  if (list === undefined) return;
  list.fns = list.fns.filter((f) => f !== fn);
  release(box, list);
}

/** Whether any tap is on `box`. */
export function isTapped(box: Box): boolean {
  return taps.has(box);
}
