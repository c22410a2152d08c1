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

interface TapList {
  fns: TapFn[];
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
function tappedSend(this: Outbox & Tapped, message: unknown): void {
  protoSend.call(this, message);
  const list = this[TAPS];
  if (list !== undefined) run(list, message, this);
}

function tappedDeliver(this: Inbox & Tapped, message: unknown, from: Box | string): void {
  protoDeliver.call(this, message, from);
  const list = this[TAPS];
  if (list !== undefined) run(list, message, this);
}

/**
 * Call `fn` with every message sent from `box` (an outbox) or reaching it
 * (an inbox). Returns a function that removes the tap.
 */
export function tap(box: Box, fn: TapFn): () => void {
  let list = taps.get(box);
  if (list === undefined) {
    list = { fns: [] };
    taps.set(box, list);
    (box as Tapped)[TAPS] = list;
    if (box instanceof Outbox) (box as { send: Outbox["send"] }).send = tappedSend;
    else if (box instanceof Inbox) (box as { deliver: Inbox["deliver"] }).deliver = tappedDeliver;
  }
  // A copy, so a tap removed while the list is being run does not skip its neighbour.
  list.fns = [...list.fns, fn];
  return () => untap(box, fn);
}

/** Remove one tap from a box; the box's own methods are restored when none is left. */
export function untap(box: Box, fn: TapFn): void {
  const list = taps.get(box);
  if (list === undefined) return;
  list.fns = list.fns.filter((f) => f !== fn);
  if (list.fns.length > 0) return;
  taps.delete(box);
  delete (box as Tapped)[TAPS];
  delete (box as { send?: unknown }).send;
  delete (box as { deliver?: unknown }).deliver;
}

/** Whether any tap is on `box`. */
export function isTapped(box: Box): boolean {
  return taps.has(box);
}
