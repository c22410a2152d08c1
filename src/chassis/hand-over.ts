/**
 * How a chassis that feeds its input to one child after another (Seq,
 * Carousel) hands it over without losing any: the input stays in the
 * chassis's own inbox until the child can take it, and what the child leaves
 * unread anywhere inside it comes back (through {@link Outbox.reclaimUnread}),
 * first in line for the next child.
 *
 * "The child can take it" means the inbox the messages reach is still open
 * and has room. That inbox may be deep inside the child (a Pipeline's or
 * Graphline's inbox passes through to a grandchild's), and it may close
 * while the child itself runs on: then the chassis keeps the input.
 *
 * @module
 */
import type { Inbox, Outbox } from "../core/box.js";

/**
 * Make what is left unread wherever `to` leads come back to the front of
 * `from`: from the child's own inbox, or from an inbox deep inside it (a
 * Pipeline's first component, a Graphline's child fed from `self.inbox`, a
 * nested Seq's phase) when its owner ends, even while the child runs on.
 */
export function reclaimInto(to: Outbox, from: Inbox): void {
  to.reclaimUnread((unread) => from.prepend(unread));
}

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
