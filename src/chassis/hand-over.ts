/**
 * How a chassis that feeds its input to one child after another (Seq,
 * Carousel) hands it over without losing any: the input stays in the
 * chassis's own inbox until the child can take it.
 *
 * "The child can take it" means the inbox the messages reach is still open
 * and has room. That inbox may be deep inside the child (a Pipeline's or
 * Graphline's inbox passes through to a grandchild's), and it may close
 * while the child itself runs on: then the chassis keeps the input.
 *
 * @module
 */
import type { Inbox, Outbox } from "../core/box.js";

/** Hand messages waiting in `from` on through `to`, while the inbox they reach is open and has room. */
export function handOver(from: Inbox, to: Outbox): void {
  for (;;) {
    const end = to.final;
    if (from.length === 0 || end === null || end.closed || end.isFull()) return;
    to.send(from.take());
  }
}

/**
 * Hand every message waiting in `from` on through `to` at once, whatever the
 * limit: for the last child, which no later child is keeping input for. Does
 * nothing while the inbox `to` reaches is closed.
 */
export function handOverAll(from: Inbox, to: Outbox): void {
  const end = to.final;
  if (from.length === 0 || end === null || end.closed) return;
  end.accept(from.takeAll());
}
