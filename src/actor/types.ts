/**
 * The types of the actor layer: what a proxy, a notifier, an emitter and a
 * listener look like for an interface `T`. Read these to learn the API.
 *
 * @module
 */

/**
 * Names no actor method may have: the members of Component, Actor and Task
 * themselves (`send`, `stop`, `activate`, `onStart`, `become`, …). A proxy
 * never offers them and an actor never runs them for a caller.
 */
export type ReservedName =
  | keyof import("../core/index.js").AnyComponent
  | ActorMemberName
  | "constructor"
  | "then";

/**
 * The members Actor and Task add to Component (listed, because deriving them
 * from the classes would make these types circular; test/actor/types.test.ts
 * checks the list is complete).
 */
export type ActorMemberName =
  | "named" | "actor" | "notify" | "observe" | "unobserve" | "output" | "error" | "callTimeout" | "failOnCallError"
  | "failedCalls" | "expiredCalls" | "serve" | "handler" | "report" | "replies" | "dispatch" | "accept" | "remote"
  | "config" | "state" | "phase" | "become" | "onConfigure" | "onStart" | "onRunning" | "onStop";

/** The callable method names of `T`: function-valued keys that are not reserved and do not start with `_`. */
export type MethodNames<T> = {
  [K in keyof T]-?: K extends string ? (K extends ReservedName | `_${string}` ? never : T[K] extends (...args: never[]) => unknown ? K : never) : never;
}[keyof T];

/**
 * `actor<Greeter>("greeter")`: every method of `T`, called with the same
 * arguments, returning a promise (the future) of its result — settled with
 * what the method returned (awaited, if it returned a promise) or rejected
 * with an {@link ActorCallError}, {@link ActorTimeoutError}, … .
 */
export type ActorProxy<T> = {
  readonly [K in MethodNames<T>]: T[K] extends (...args: infer A) => infer R ? (...args: A) => Promise<Awaited<R>> : never;
};

/** `notify(proxy)`: every method of `T`, sent without waiting for (or getting) an answer. */
export type Notifier<T> = {
  readonly [K in MethodNames<T>]: T[K] extends (...args: infer A) => unknown ? (...args: A) => void : never;
};

/** What a listener of outputs `O` must implement: every output method, with compatible parameters. */
export type Listener<O> = {
  [K in MethodNames<O>]: O[K] extends (...args: infer A) => unknown ? (...args: A) => unknown : never;
};

/** The key of the phantom field that carries an actor class's outputs type (it holds nothing at run time). */
export const outputsType: unique symbol = Symbol("outputs");

/** The outputs of an actor class (`OutputsOf<Sensor>`), or `T` itself when it is an outputs interface. */
export type OutputsOf<T> = T extends {
  /** The phantom outputs type. */
  readonly [outputsType]?: infer O;
}
  ? O
  : T;

/** No outputs (the default of an Actor). */
export type NoOutputs = Record<never, never>;

/**
 * What an actor sends out of its `outbox` for each output (besides calling
 * its observers), so a plain component linked to it can follow it:
 * `{ from: "sensor", method: "reading", args: [21.5] }`.
 */
export type ActorOutput<O> = {
  [K in MethodNames<O>]: {
    /** The emitting actor's name. */
    readonly from: string;
    /** The output method. */
    readonly method: K;
    /** Its arguments. */
    readonly args: O[K] extends (...args: infer A) => unknown ? Readonly<A> : never;
  };
}[MethodNames<O>];

/** Options for a proxy. */
export interface ProxyOptions {
  /**
   * Milliseconds a call may take, from the call to the answer, including
   * waiting for the actor to be registered. Default: the target actor's
   * `callTimeout` if it is registered at the time of the call, else
   * {@link DEFAULT_CALL_TIMEOUT}. `Infinity`: no limit.
   */
  timeout?: number;
  /** The system whose actors to reach (default: the calling actor's, or `System.default`). */
  system?: import("../core/index.js").System;
}

/** How long a call waits by default, in milliseconds (30 s). */
export const DEFAULT_CALL_TIMEOUT = 30_000;
