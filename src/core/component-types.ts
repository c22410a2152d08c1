/**
 * The types a component's API is written in: what `main()` returns, waits,
 * options, and the link types that make a wrong link fail to compile.
 *
 * Kept apart from the Component class so that the modules below it (the
 * runner, the waits, the drain loop) can name them without importing it.
 *
 * @module
 */
import type { Box, Inbox, Outbox } from "./box.js";

/** What `main()` returns: a generator (generator components) or a promise (async components). */
export type Main = Generator<unknown, unknown, unknown> | Promise<unknown>;

/** A generator usable with `yield*` inside a generator component's `main`. */
export type Wait<T = void> = Generator<unknown, T, unknown>;

/** Anything that names its boxes: a component, for the `[component, "boxname"]` form of a box. */
export interface BoxNamer {
  /** The box called `name`, inbox or outbox. */
  boxNamed(name: string): Box;
}

/** A box given by object, or Kamaelia-style as `[component, "boxname"]`. */
export type BoxRef = Box | readonly [BoxNamer, string];

/** The message type a box carries (inbox or outbox). */
export type Carried<B> = B extends Inbox<infer M> ? M : B extends Outbox<infer M> ? M : never;

/** Why a link between two boxes does not type-check. */
export interface LinkTypeMismatch<Sent, Accepted> {
  /** The source box carries this type… */
  readonly sends: Sent;
  /** …which the sink box does not accept. */
  readonly accepts: Accepted;
}

/**
 * `To` when a link from `From` to `To` type-checks, else a {@link LinkTypeMismatch}
 * naming both types. Boxes named as `[component, "name"]`, or typed only as
 * `Box`, are checked when the link is made instead.
 */
export type LinkTarget<From, To> = From extends readonly [BoxNamer, string]
  ? To
  : To extends readonly [BoxNamer, string]
    ? To
    : Box extends From
      ? To
      : Box extends To
        ? To
        : [Carried<From>] extends [Carried<To>]
          ? To
          : LinkTypeMismatch<Carried<From>, Carried<To>>;

/** Options for {@link Component.processMessages}. */
export interface ProcessOptions {
  /**
   * Run when the loop ends by `producerFinished` (not by a stop), after every
   * waiting message was handled and before the shutdown is passed on: flush a
   * buffer, send a last partial chunk. It may return a generator (to wait for room).
   */
  onFinish?: () => Wait<unknown> | void;
}

/** Options for the async waits. */
export interface AsyncOptions {
  /** Abandon the wait when this signal aborts; the promise rejects with its reason. */
  signal?: AbortSignal | undefined;
}
