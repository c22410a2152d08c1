/**
 * Type-level helpers for wiring components together.
 *
 * @module
 */
import type { Inbox, Outbox } from "./box.js";

/** What component type `C`'s `inbox` accepts. */
export type InOf<C> = C extends {
  /** The component's inbox. */
  readonly inbox: Inbox<infer M>;
}
  ? M
  : never;

/** What component type `C`'s `outbox` carries. */
export type OutOf<C> = C extends {
  /** The component's outbox. */
  readonly outbox: Outbox<infer M>;
}
  ? M
  : never;

/** The names of component type `C`'s inboxes that the type system can see (the standard two and fields made with addInbox). */
export type InboxNames<C> = { [K in keyof C]-?: C[K] extends Inbox<infer _M> ? K : never }[keyof C] & string;

/** The names of component type `C`'s outboxes that the type system can see. */
export type OutboxNames<C> = { [K in keyof C]-?: C[K] extends Outbox<infer _M> ? K : never }[keyof C] & string;

/** What inbox `K` of component type `C` accepts. */
export type InboxType<C, K> = K extends keyof C ? (C[K] extends Inbox<infer M> ? M : never) : never;

/** What outbox `K` of component type `C` carries. */
export type OutboxType<C, K> = K extends keyof C ? (C[K] extends Outbox<infer M> ? M : never) : never;

/** The message type an inbox accepts. */
export type InboxMessage<B> = B extends Inbox<infer M> ? M : never;
/** The message type an outbox carries. */
export type OutboxMessage<B> = B extends Outbox<infer M> ? M : never;
