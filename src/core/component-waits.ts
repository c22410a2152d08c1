/**
 * The waits a component's body uses: generator waits (`yield*
 * this.waitRecv()`, `waitSend`, `waitReady`, `waitReadyFor`, `sleep`,
 * `waitFor`, `waitService`) and async waits (`await this.recvAsync()`,
 * `sendAsync`, `readyAsync`, `sleepAsync`, `serviceAsync`, `pauseAsync`,
 * `yieldAsync`). How each waits is in generator-waits.ts and async-waits.ts.
 *
 * @module
 */
import type { Inbox, Outbox } from "./box.js";
import { ComponentGraph } from "./component-graph.js";
import type { AsyncOptions, Wait } from "./component-types.js";
import * as aw from "./async-waits.js";
import * as gw from "./generator-waits.js";
import type { ControlMessage, Ipc } from "./ipc.js";
import type { Service } from "./services.js";
import type { ShutdownKind } from "./shutdown.js";

/** The wait methods (a base of {@link Component}). */
export abstract class ComponentWaits<In = unknown, Out = unknown> extends ComponentGraph<In, Out> {
  /** Ask to sleep at the next `yield` (see Component). */
  abstract pause(): void;
  /** An AbortSignal that aborts when this component is stopped (see Component). */
  abstract get stopSignal(): AbortSignal;
  /** The shutdown message received, if any (see Component). */
  abstract get shutdownMessage(): Ipc | null;
  /** Read `control` and say what shutdown is asked for (see Component). */
  abstract checkShutdown(): ShutdownKind;
  /** Pass shutdown on out of `signal` (see Component). */
  abstract passOnShutdown(): Ipc;
  /** @internal Run one slice (see Component). */
  abstract _step(): boolean;

  /** Wait (generator) until the box holds a message, then take it: `const m = yield* this.waitRecv()`. */
  waitRecv(box?: "inbox"): Wait<In>;
  waitRecv(box: "control"): Wait<ControlMessage>;
  waitRecv<M>(box: Inbox<M>): Wait<M>;
  waitRecv(box?: string | Inbox): Wait<unknown> {
    return gw.waitRecv(this, this._ownInbox(box));
  }

  /** Wait (generator) until the destination has room, then send: `yield* this.waitSend(m)`. */
  waitSend(message: Out, box?: "outbox"): Wait;
  waitSend(message: ControlMessage, box: "signal"): Wait;
  waitSend<M>(message: NoInfer<M>, box: Outbox<M>): Wait;
  waitSend(message: unknown, box?: string | Outbox): Wait {
    return gw.waitSend(this, box === undefined ? (this._out ?? this.outbox) : this._ownOutbox(box), message);
  }

  /**
   * Wait (generator) until one of the given inboxes (default `inbox` and
   * `control`) holds a message; returns that inbox's name.
   */
  waitReady(...boxes: (string | Inbox)[]): Wait<string> {
    return gw.waitReady(this, this._inboxList(boxes));
  }

  /**
   * Wait (generator) until one of the inboxes (default `inbox` and `control`)
   * holds a message, or `ms` milliseconds pass: returns the inbox's name, or
   * `null` on time-out. A clock that must still answer shutdown promptly:
   * `if ((yield* this.waitReadyFor(1000, "control")) === null) this.send(tick)`.
   */
  waitReadyFor(ms: number, ...boxes: (string | Inbox)[]): Wait<string | null> {
    return gw.waitReadyFor(this, ms, this._inboxList(boxes));
  }

  /** Sleep (generator) for `ms` milliseconds: `yield* this.sleep(100)`. Deliveries do not cut it short (see waitReadyFor). */
  sleep(ms: number): Wait {
    return gw.sleep(this, ms);
  }

  /** Wait (generator) for a promise: `const v = yield* this.waitFor(p)`. A rejection is thrown into the generator. */
  waitFor<T>(promise: PromiseLike<T>): Wait<T> {
    return gw.waitFor(promise);
  }

  /** Wait (generator) until the service `name` is registered in this system; returns it. */
  waitService(name: string): Wait<Service> {
    return gw.waitService(this, name);
  }

  // ------------------------------------------------------ async waiting

  /** Give way to the other components before carrying on (async components that never wait should call this now and then). */
  yieldAsync(options?: AsyncOptions): Promise<void> {
    return aw.yieldAsync(this, options);
  }

  /** Resolve at the next wake of this async component (a delivery, room, a child ending, `unpause()`). */
  pauseAsync(options?: AsyncOptions): Promise<void> {
    return aw.park(this, options);
  }

  /** Wait (async) for a message and take it. Rejects with the signal's reason on abort, or StoppedError on stop. */
  recvAsync(box?: "inbox", options?: AsyncOptions): Promise<In>;
  recvAsync(box: "control", options?: AsyncOptions): Promise<ControlMessage>;
  recvAsync<M>(box: Inbox<M>, options?: AsyncOptions): Promise<M>;
  recvAsync(box?: string | Inbox, options?: AsyncOptions): Promise<unknown> {
    return aw.recvAsync(this, this._ownInbox(box), options);
  }

  /** Wait (async) for room at the destination, then send. */
  sendAsync(message: Out, box?: "outbox", options?: AsyncOptions): Promise<void>;
  sendAsync(message: ControlMessage, box: "signal", options?: AsyncOptions): Promise<void>;
  sendAsync<M>(message: NoInfer<M>, box: Outbox<M>, options?: AsyncOptions): Promise<void>;
  sendAsync(message: unknown, box?: string | Outbox, options?: AsyncOptions): Promise<void> {
    return aw.sendAsync(this, this._ownOutbox(box), message, options);
  }

  /** Wait (async) until one of the inboxes (default `inbox` and `control`) holds a message; resolves with its name. */
  readyAsync(boxes?: readonly (string | Inbox)[], options?: AsyncOptions): Promise<string>;
  /** …or until `timeout` ms pass, resolving with `null`. */
  readyAsync(boxes: readonly (string | Inbox)[] | undefined, options: AsyncOptions & { timeout: number }): Promise<string | null>;
  readyAsync(boxes?: readonly (string | Inbox)[], options?: AsyncOptions & { timeout?: number }): Promise<string | null> {
    return aw.readyAsync(this, this._inboxList(boxes ?? []), options);
  }

  /** Sleep (async) for `ms` milliseconds; rejects on abort or stop. */
  sleepAsync(ms: number, options?: AsyncOptions): Promise<void> {
    return aw.sleepAsync(this, ms, options);
  }

  /** Wait (async) until the service `name` is registered in this system. */
  serviceAsync(name: string, options?: AsyncOptions): Promise<Service> {
    return aw.serviceAsync(this, name, options);
  }
}
