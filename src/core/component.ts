/**
 * Component: a microprocess with named inboxes and outboxes.
 *
 * A component never names its peers. It reads its inboxes and writes its
 * outboxes, like a Unix program reads stdin and writes stdout; chassis such
 * as `Pipeline` and `Graphline` wire components together.
 *
 * ```ts
 * class Doubler extends Component<number, number> {
 *   static override inboxes = { inbox: "numbers to double", control: "shutdown messages" };
 *   static override outboxes = { outbox: "each number, doubled", signal: "shutdown, passed on" };
 *   *main() {
 *     yield* this.processMessages((n) => this.send(n * 2));
 *   }
 * }
 * ```
 *
 * Two styles share one scheduler and link freely to each other:
 * - a generator `*main()` (closest to Axon, cheapest): `yield` gives way;
 *   `this.pause(); yield;` sleeps until a delivery wakes it; `yield*
 *   this.waitRecv()` / `this.waitSend(m)` wait for a message or for room;
 *   yielding a promise sleeps until it settles and resumes with its value.
 * - an `async main()`: `await this.recvAsync()`, `await this.sendAsync(m)`,
 *   each taking an `AbortSignal`.
 *
 * Settings are inheritable defaults, as in Kamaelia: declare them as fields,
 * override them in a subclass, and per instance with `create()`:
 *
 * ```ts
 * class Producer extends Component<never, string> {
 *   message = "hello";
 *   *main() {
 *     this.send(this.message);
 *   }
 * }
 * class Shouter extends Producer { override message = "HELLO"; }
 * Producer.create({ message: "hi" });   // a misspelt option does not compile
 * ```
 *
 * Where the rest lives: identity and boxes in `component-boxes.ts`, links
 * and children in `component-graph.ts`, the wait methods in
 * `component-waits.ts` (the base classes, in that order); how a step runs, and fusion, in `runner.ts`; how a
 * component ends in `ending.ts`; the waits in `generator-waits.ts` and
 * `async-waits.ts`; the flag bits and cold state in `microprocess.ts`.
 *
 * @module
 */
import type { Box, Inbox, Outbox } from "./box.js";
import type { InboxMessage, OutboxMessage } from "./types.js";
import type { ProcessOptions, Wait } from "./component-types.js";
import { noteUnstarted } from "./component-graph.js";
import { ComponentWaits } from "./component-waits.js";
import { DrainLoop, FinishingLoop, fuse, type RunGuard } from "./drain-loop.js";
import { finished, stop } from "./ending.js";
import { AlreadyActivatedError } from "./errors.js";
import { finishing } from "./generator-waits.js";
import { type ControlMessage, Ipc, producerFinished } from "./ipc.js";
import { ACTIVE, ASYNC, BLOCKED, CONTROL, FINISHED, HELD, LATCH, NOTED, cold, type Handler, type Microprocess } from "./microprocess.js";
import { prepareMain, step } from "./runner.js";
import { PAUSE, QUEUED, WOKEN } from "./scheduler.js";
import { ShutdownState, type ShutdownKind } from "./shutdown.js";
import { observer } from "./observe.js";
import { System } from "./system.js";

export type { AsyncOptions, BoxRef, Carried, LinkTarget, LinkTypeMismatch, Main, ProcessOptions, Wait } from "./component-types.js";

/** Any component, whatever its message types. */
export type AnyComponent = Component<unknown, unknown>;

/**
 * The settings of component type `C`: its public fields other than boxes and
 * the base class's own members, all optional. Fields holding functions (a
 * protocol factory, a callback) are settings too; so, as in Kamaelia, are a
 * subclass's methods, which an instance may replace.
 */
export type Settings<C> = {
  [K in keyof C as K extends keyof AnyComponent ? never : C[K] extends Box ? never : K]?: C[K];
};

/**
 * The base class of every component. `In` is what its `inbox` accepts and
 * `Out` what its `outbox` carries; `control` and `signal` carry
 * {@link ControlMessage}s. Further boxes are declared with
 * {@link addInbox}/{@link addOutbox} as fields.
 */
export abstract class Component<In = unknown, Out = unknown> extends ComponentWaits<In, Out> implements Microprocess {
  /**
   * Make an instance with some settings changed from their defaults
   * (Kamaelia's `Foo(delay=3)`). The settings are applied after every field
   * initialiser has run, so they win over subclass defaults. A component
   * whose constructor takes arguments gets them after the settings:
   * `Follow.create({ pollInterval: 100 }, "app.log")`.
   */
  static create<C extends AnyComponent, A extends unknown[] = []>(this: new (...args: A) => C, settings?: Settings<C>, ...args: A): C {
    const c = new this(...args);
    if (settings !== undefined) Object.assign(c, settings);
    return c;
  }

  /** @internal The generator `main()` returned, while it runs. */
  _gen: Generator<unknown, unknown, unknown> | null = null;

  // ------------------------------------------------------------ messaging

  /**
   * Send a message out of an outbox (default `"outbox"`). Delivery is
   * immediate: when `send` returns the message is in the destination inbox.
   * From an unlinked outbox the message is dropped and counted as a dead letter.
   * @throws BoxFullError if the destination is full: the message is not delivered.
   */
  send(message: Out, box?: "outbox"): void;
  send(message: ControlMessage, box: "signal"): void;
  send<M>(message: NoInfer<M>, box: Outbox<M>): void;
  send(message: unknown, box?: string | Outbox): void {
    // One call site of Outbox.send (two are inlined twice: W3 ran slower).
    (box === undefined ? (this._out ?? this.outbox) : this._ownOutbox(box)).send(message);
  }

  /** Send if there is room; `false` (and the message not sent) if the destination is full. */
  trySend(message: Out, box?: "outbox"): boolean;
  trySend(message: ControlMessage, box: "signal"): boolean;
  trySend<M>(message: NoInfer<M>, box: Outbox<M>): boolean;
  trySend(message: unknown, box?: string | Outbox): boolean {
    const ob = this._ownOutbox(box);
    if (ob.isFull()) return false;
    ob.send(message);
    return true;
  }

  /**
   * Take the oldest message from an inbox (default `"inbox"`).
   * @throws BoxEmptyError if it is empty.
   */
  recv(box?: "inbox"): In;
  recv(box: "control"): ControlMessage;
  recv<M>(box: Inbox<M>): M;
  recv(box?: string | Inbox): unknown {
    return (box === undefined ? this.inbox : this._ownInbox(box)).take();
  }

  /** How many messages wait in an inbox (default `"inbox"`); truthy when any do. */
  dataReady(box?: "inbox" | "control" | Inbox): number;
  dataReady(box?: string | Inbox): number {
    if (box === undefined) return this._in === null ? 0 : this._in.length;
    return this._ownInbox(box).length;
  }

  /** Every message waiting in an inbox, oldest first, removed from it (Axon's `Inbox(box)` generator, eagerly). */
  recvAll(box?: "inbox"): In[];
  recvAll(box: "control"): ControlMessage[];
  recvAll<M>(box: Inbox<M>): M[];
  recvAll(box?: string | Inbox): unknown[] {
    return this._ownInbox(box).takeAll();
  }

  // ----------------------------------------------------------- scheduling

  /**
   * Ask to sleep at the next `yield` (generator components). Any delivery to
   * one of its inboxes, a collection from a full box it feeds, a child
   * finishing or `unpause()` wakes it; a wake in the same cycle beats the pause.
   */
  override pause(): void {
    this._flags |= PAUSE;
  }

  /** Wake this component if it sleeps (Axon's `unpause`). */
  unpause(): void {
    this._wake();
  }

  /** @internal Wake the component: a message arrived (in `box`, if given), room appeared, a child ended… */
  override _wake(box?: Inbox): void {
    // The common case, small enough to inline into a delivery: queued (running, say), not by control.
    const f = this._flags;
    if ((f & (QUEUED | ACTIVE | ASYNC | BLOCKED)) === (QUEUED | ACTIVE) && (box === undefined || box !== this._ctl)) {
      this._flags = f | WOKEN;
      return;
    }
    wakeNow(this, box);
  }

  /** @internal Run one slice of the component (see runner.ts). */
  override _step(): boolean {
    return step(this);
  }

  /** @internal Fusion of one message for this component's empty inbox (see `fuse` in drain-loop.ts). */
  _fuse(handler: (message: never) => unknown, message: unknown): boolean {
    return fuse(this, handler as Handler, message);
  }

  /** @internal Fusion of a run of messages for `box`, its inbox (see `DrainLoop.fuseRun`); returns the index of the first not taken. */
  _fuseRun(box: Inbox, run: readonly unknown[], from: number, n: number, guard: RunGuard): number {
    const loop = box === this._in ? (box.fuser as DrainLoop<unknown> | null) : null;
    return loop === null ? from : loop.fuseRun(this, box, run, from, n, guard);
  }

  /**
   * @internal The handler of the loop the runner drives, for `DrainLoop.fuseRun`: `m._handler(x)` is
   * `handle.call(m, x)` in a form V8 inlines (W4). Not used by `fuse`: W3 measured it 0.67x there.
   */
  get _handler(): (message: unknown) => Wait<unknown> | void {
    return (this._in!.fuser as DrainLoop<unknown>).handle;
  }

  /**
   * Register with a system's scheduler (the default one unless given) and
   * return this, so `new X().activate()` chains. It starts on the next cycle.
   * @throws AlreadyActivatedError if it was activated before.
   * @throws InvalidMainError if `main` is neither a generator nor async.
   */
  activate(system?: System): this {
    if ((this._flags & (ACTIVE | FINISHED)) !== 0) throw new AlreadyActivatedError(this.name, (this._flags & ACTIVE) !== 0 ? "active" : "finished");
    const sys = system ?? this.parent?.system ?? System.default;
    prepareMain(this);
    this.system = sys;
    if (this._id === 0) this._id = sys.nextId();
    this._flags |= ACTIVE;
    sys.added(this);
    sys.scheduler.wake(this);
    if (observer !== null) observer.activated(this);
    return this;
  }

  /** Activate (on the default system unless given) and resolve when the whole system has finished; see {@link System.run}. */
  run(system?: System): Promise<void> {
    const sys = system ?? System.default;
    this.activate(sys);
    return sys.run();
  }

  /** Resolves when this component has finished (its cleanup complete). */
  finished(): Promise<void> {
    return finished(this);
  }

  /** Whether the component has been activated and not yet finished. */
  isActive(): boolean {
    return (this._flags & ACTIVE) !== 0;
  }

  /** Whether the component has finished. */
  isFinished(): boolean {
    return (this._flags & FINISHED) !== 0;
  }

  /**
   * Stop now, from outside: the generator is returned (its `finally` blocks
   * run, and may still yield to finish their cleanup); an async component's
   * pending waits reject with a `StoppedError`. Its children are stopped
   * too. Stopping a component that has not started just marks it finished.
   */
  stop(): void {
    stop(this);
  }

  /** An AbortSignal that aborts when this component is stopped; hand it to I/O the component starts. */
  override get stopSignal(): AbortSignal {
    return (cold(this).aborter ??= new AbortController()).signal;
  }

  // ------------------------------------------------------------- shutdown

  /**
   * Read every message waiting on `control` and say what shutdown is asked
   * for: `"stop"` beats `"finish"`, and the request is remembered. The
   * shared shutdown helper every standard component uses.
   */
  override checkShutdown(): ShutdownKind {
    const c = this._ctl;
    const known = this._x?.shutdownState;
    this._flags &= ~CONTROL;
    if (c === null || c.length === 0) return known ? known.kind : null;
    if (!known) this._flags |= HELD; // fusion stops from now on (see HELD)
    const st = known ?? (cold(this).shutdownState = new ShutdownState());
    while (c.length > 0) st.observe(c.take());
    return st.kind;
  }

  /** The shutdown message received (remembered by {@link checkShutdown}), if any. */
  override get shutdownMessage(): Ipc | null {
    return this._x?.shutdownState?.message ?? null;
  }

  /**
   * Pass shutdown on: send the message received on `control`, or a new
   * `producerFinished` if the component is finishing by itself, out of `signal`.
   */
  override passOnShutdown(): Ipc {
    const m = this.shutdownMessage ?? producerFinished(this);
    this.send(m, "signal");
    return m;
  }

  /**
   * The standard loop of a component that handles its inbox one message at a
   * time: calls `handle` for each message (it may return a generator, run to
   * its end, to wait for room downstream with `waitSend`); on
   * `shutdownMicroprocess` stops at once, on `producerFinished` first handles
   * everything waiting; then passes the shutdown message on `signal` and
   * returns it. Use it as `yield* this.processMessages(m => ...)`.
   *
   * The scheduler runs this loop itself, calling `handle` directly (with
   * `this` the component, so a method can be passed as it is): a woken
   * component drains everything waiting without resuming a generator per
   * message. The cheapest component of all returns the loop from a plain
   * `main`, so it has no generator either:
   * `main() { return this.processMessages(this.handle); }`.
   */
  processMessages(handle: (message: In) => Wait<unknown> | void, options?: ProcessOptions): Wait<Ipc> {
    if (options?.onFinish === undefined) return new DrainLoop<In>(handle) as unknown as Wait<Ipc>;
    return finishing(this, new FinishingLoop<In>(handle) as unknown as Wait<Ipc>, options.onFinish);
  }
}

/** The rest of `_wake`: a control message, an async component, one asleep or not active. */
function wakeNow(c: Component, box: Inbox | undefined): void {
  if (box !== undefined && box === c._ctl) c._flags |= CONTROL;
  if ((c._flags & ASYNC) !== 0) {
    const x = c._x;
    const ws = x?.waiters;
    if (ws && ws.length > 0) {
      x!.waiters = null;
      const sys = c.system;
      if (sys !== null) sys.scheduler.asyncReleased = true;
      for (const w of ws) w();
    } else {
      c._flags |= LATCH;
    }
    return;
  }
  const f = c._flags;
  if ((f & (ACTIVE | BLOCKED)) !== ACTIVE) {
    // A delivery to a component never activated would wait for ever, silently: note it so the system names it.
    if ((f & (ACTIVE | FINISHED | NOTED)) === 0) noteUnstarted(c);
    return;
  }
  if ((f & QUEUED) !== 0) c._flags = f | WOKEN;
  else c.system!.scheduler.wake(c);
}

declare module "./member.js" {
  // Completes Member (see member.ts): to the system and the services registry, a member is a whole component.
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface Member extends Component<unknown, unknown> {}
}

export type { InboxMessage, OutboxMessage };
