/**
 * Checking and making the extra outboxes that Router and Fanout are given by name.
 *
 * @module
 */
import type { Outbox } from "../core/box.js";
import type { Component } from "../core/component.js";
import { ArgumentError } from "./errors.js";

/** A component with an outbox field of type `Outbox<T>` for each name in `N`. */
export type WithOutboxes<C, N extends string, T> = C & { readonly [K in N]: Outbox<T> };

const NAME = /^[A-Za-z_$][\w$]*$/;

/**
 * Make an outbox called `name` on `c` (once per name, in order), also as a
 * field so Graphline linkages can name it; `outbox` is allowed and reused.
 * @throws ArgumentError for a name that is not an identifier, names an
 * inbox or `signal`, or would hide a property of the component.
 */
export function namedOutbox<I, O>(c: Component<I, O>, name: unknown, what: string): Outbox<unknown> {
  if (typeof name !== "string" || !NAME.test(name)) throw new ArgumentError(c.name, what, "an outbox name (an identifier)", name);
  if (name === "outbox") return c.outbox;
  if (name === "inbox" || name === "control") throw new ArgumentError(c.name, what, `the name of an outbox ("${name}" is an inbox)`, name);
  if (name === "signal") throw new ArgumentError(c.name, what, `an outbox name other than "signal" (it carries shutdown)`, name);
  const fields = c as unknown as Record<string, unknown>;
  if (name in fields) throw new ArgumentError(c.name, what, "an outbox name that is not already a property of the component", name);
  const box = c.addOutbox<unknown>(name);
  Object.defineProperty(c, name, { value: box, enumerable: true });
  return box;
}
