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
 * class Producer extends Component<never, string> { message = "hello"; ... }
 * class Shouter extends Producer { override message = "HELLO"; }
 * Producer.create({ message: "hi" });   // a misspelt option does not compile
 * ```
 *
 * @module
 */
import { setTimeout as delay } from "node:timers/promises";
import { Box, type BoxOwner, Inbox, type InboxMessage, Outbox, type OutboxMessage } from "./box.js";
import {
  AlreadyActivatedError,
  BadLinkError,
  ComponentFailure,
  InvalidMainError,
  NoSuchBoxError,
  StoppedError,
} from "./errors.js";
import { type ControlMessage, Ipc, producerFinished } from "./ipc.js";
import { breakLink, type LinkOptions, type Linkage, makeLink } from "./linkage.js";
import { PAUSE, QUEUED, WOKEN, type Runnable } from "./scheduler.js";
import { DONE, DrainLoop, rethrow } from "./drain-loop.js";
import { ShutdownState, type ShutdownKind } from "./shutdown.js";
import { System } from "./system.js";

/** What `main()` returns: a generator (generator components) or a promise (async components). */
export type Main = Generator<unknown, unknown, unknown> | Promise<unknown>;

/** A generator usable with `yield*` inside a generator component's `main`. */
export type Wait<T = void> = Generator<unknown, T, unknown>;

/** Any component, whatever its message types. */
export type AnyComponent = Component<unknown, unknown>;

/** A box given by object, or Kamaelia-style as `[component, "boxname"]`. */
export type BoxRef = Box | readonly [AnyComponent, string];

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
export type LinkTarget<From, To> = From extends readonly [AnyComponent, string]
  ? To
  : To extends readonly [AnyComponent, string]
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

/**
 * The settings of component type `C`: its public fields other than boxes and
 * the base class's own members, all optional. Fields holding functions (a
 * protocol factory, a callback) are settings too; so, as in Kamaelia, are a
 * subclass's methods, which an instance may replace.
 */
export type Settings<C> = {
  [K in keyof C as K extends keyof AnyComponent ? never : C[K] extends Box ? never : K]?: C[K];
};

let nextId = 1;

// Component flag bits, kept with the scheduler's in one number (`_flags`) so an idle component stays small.
const ASYNC = 8;
const STOP = 16;
const RETURNING = 32;
const ACTIVE = 64;
const FINISHED = 128;
/** An async component was woken while not waiting: its next wait returns at once, so the wake is not lost. */
const LATCH = 256;
/** Finished, but its end is not reported until its children have finished too. */
const AWAITING_KIDS = 512;
/** A generator waiting for a promise it yielded: wakes do not resume it. */
const BLOCKED = 1024;
/** Running right now (a scheduler step, or a fused call): a delivery to it is queued, never fused. */
const RUNNING = 2048;

/** How deep fused calls (a handler run inside the sender's send) may nest before deliveries queue instead. */
const MAX_FUSE_DEPTH = 12;
let fuseDepth = 0;

/** How many async waits may complete without giving way before one is sent round the scheduler. */
const ASYNC_BUDGET = 64;

/** State most components never use, kept off the component itself so that an idle component stays small. */
class Cold {
  asyncMain: (() => Promise<unknown>) | null = null;
  resumeValue: unknown = undefined;
  resumeError: { error: unknown } | null = null;
  waiters: (() => void)[] | null = null;
  budget = ASYNC_BUDGET;
  aborter: AbortController | null = null;
  ended: { promise: Promise<void>; resolve: () => void } | null = null;
  kids: AnyComponent[] | null = null;
  postoffice: Linkage[] | null = null;
  extra: Map<string, Box> | null = null;
  shutdownState: ShutdownState | null = null;
  /** The promise (its token) a generator is blocked on. */
  blockedOn: object | null = null;
  /** A generator returned by a processMessages handler, run until it finishes. */
  sub: Generator<unknown, unknown, unknown> | null = null;
}


/** Read-only stand-in while a component has no Cold state; never written to. */
const NO_COLD: Readonly<Cold> = Object.freeze(new Cold());



/**
 * The base class of every component. `In` is what its `inbox` accepts and
 * `Out` what its `outbox` carries; `control` and `signal` carry
 * {@link ControlMessage}s. Further boxes are declared with
 * {@link addInbox}/{@link addOutbox} as fields.
 */
export abstract class Component<In = unknown, Out = unknown> implements BoxOwner, Runnable {
  /** Descriptions of the inboxes (Kamaelia's `Inboxes`); subclasses override to document theirs. */
  static inboxes: Readonly<Record<string, string>> = {
    inbox: "the data to work on",
    control: "shutdown messages: producerFinished (finish, then stop) or shutdownMicroprocess (stop now)",
  };
  /** Descriptions of the outboxes (Kamaelia's `Outboxes`); subclasses override to document theirs. */
  static outboxes: Readonly<Record<string, string>> = {
    outbox: "the results",
    signal: "the shutdown message this component received (or producerFinished when it finishes by itself)",
  };

  /**
   * Make an instance with some settings changed from their defaults
   * (Kamaelia's `Foo(delay=3)`). The settings are applied after every field
   * initialiser has run, so they win over subclass defaults.
   */
  static create<C extends AnyComponent>(this: new () => C, settings?: Settings<C>): C {
    const c = new this();
    if (settings !== undefined) Object.assign(c, settings);
    return c;
  }

  /** A number unique in this process. */
  readonly id: number;
  /** `Class_id` unless set, unique in this process; shown in errors and by introspection. */
  get name(): string {
    return (this.#name ??= `${this.constructor.name}_${this.id}`);
  }
  set name(value: string) {
    this.#name = value;
  }
  /** The system the component runs on, once activated. */
  system: System | null = null;
  /** The component whose child this is, if any. */
  parent: AnyComponent | null = null;

  /** @internal The scheduler's flags (QUEUED, WOKEN, PAUSE) and the component's own, as bits. */
  _flags = 0;

  #gen: Generator<unknown, unknown, unknown> | null = null;
  /** The handler of a `processMessages` loop the scheduler is running directly (see #stepDrain). */
  #drain: DrainLoop<unknown> | null = null;
  /** Rarely used state, allocated on first use so an idle component stays small. */
  #x: Cold | null = null;
  #name: string | null = null;

  get #c(): Readonly<Cold> {
    return this.#x ?? NO_COLD;
  }

  #w(): Cold {
    return (this.#x ??= new Cold());
  }
  #inbox: Inbox<In> | null = null;
  #control: Inbox<ControlMessage> | null = null;
  #outbox: Outbox<Out> | null = null;
  #signal: Outbox<ControlMessage> | null = null;

  constructor() {
    this.id = nextId++;
  }

  /** Where the component's data arrives. */
  get inbox(): Inbox<In> {
    return (this.#inbox ??= new Inbox<In>(this, "inbox"));
  }
  /** Where shutdown messages arrive. */
  get control(): Inbox<ControlMessage> {
    return (this.#control ??= new Inbox<ControlMessage>(this, "control"));
  }
  /** Where the component's results go. */
  get outbox(): Outbox<Out> {
    return (this.#outbox ??= new Outbox<Out>(this, "outbox"));
  }
  /** Where the component says it has finished. */
  get signal(): Outbox<ControlMessage> {
    return (this.#signal ??= new Outbox<ControlMessage>(this, "signal"));
  }

  /** The component's body: a generator (`*main()`) or an async function (`async main()`). */
  abstract main(): Main;

  // ---------------------------------------------------------------- boxes

  /**
   * Declare a further inbox, usually as a field:
   * `readonly data2 = this.addInbox<Buffer>("data2", "a second stream of bytes")`.
   * @throws BadLinkError if the component already has a box of that name.
   */
  addInbox<M>(name: string, description?: string): Inbox<M> {
    return this.#addBox(new Inbox<M>(this, name, description));
  }

  /** Declare a further outbox; see {@link addInbox}. */
  addOutbox<M>(name: string, description?: string): Outbox<M> {
    return this.#addBox(new Outbox<M>(this, name, description));
  }

  /** Remove a box added with addInbox/addOutbox; messages still in it are dropped. */
  deleteBox(name: string): void {
    const box = this.#c.extra?.get(name);
    if (!box) throw new NoSuchBoxError(this.name, "inbox", name, this.#boxNames());
    if (box.link !== null || (box.sources !== null && box.sources.length > 0)) {
      throw new BadLinkError(`cannot delete ${box}: it is still linked; unlink it first`);
    }
    this.#c.extra!.delete(name);
  }

  #addBox<B extends Box>(box: B): B {
    const taken = ["inbox", "control", "outbox", "signal"].includes(box.name) || this.#c.extra?.has(box.name);
    if (taken) throw new BadLinkError(`${this.name} already has a box named "${box.name}"`);
    (this.#w().extra ??= new Map()).set(box.name, box);
    return box;
  }

  /** @internal A box's description, from this class's `inboxes`/`outboxes` declarations. */
  _describe(box: Box): string {
    const ctor = this.constructor as typeof Component;
    return (box instanceof Inbox ? ctor.inboxes : ctor.outboxes)[box.name] ?? "";
  }

  /** The inbox called `name`. @throws NoSuchBoxError naming the component and the box. */
  inboxNamed(name: string): Inbox {
    if (name === "inbox") return this.inbox;
    if (name === "control") return this.control;
    const b = this.#c.extra?.get(name);
    if (b instanceof Inbox) return b;
    throw new NoSuchBoxError(this.name, "inbox", name, this.inboxes().map((x) => x.name));
  }

  /** The outbox called `name`. @throws NoSuchBoxError naming the component and the box. */
  outboxNamed(name: string): Outbox {
    if (name === "outbox") return this.outbox;
    if (name === "signal") return this.signal;
    const b = this.#c.extra?.get(name);
    if (b instanceof Outbox) return b;
    throw new NoSuchBoxError(this.name, "outbox", name, this.outboxes().map((x) => x.name));
  }

  /** The box called `name`, inbox or outbox. */
  boxNamed(name: string): Box {
    if (name === "inbox" || name === "control") return this.inboxNamed(name);
    if (name === "outbox" || name === "signal") return this.outboxNamed(name);
    const b = this.#c.extra?.get(name);
    if (b) return b;
    throw new NoSuchBoxError(this.name, "inbox", name, this.#boxNames());
  }

  /** Every inbox, the standard two first. */
  inboxes(): Inbox[] {
    const out: Inbox[] = [this.inbox, this.control];
    if (this.#c.extra) for (const b of this.#c.extra.values()) if (b instanceof Inbox) out.push(b);
    return out;
  }

  /** Every outbox, the standard two first. */
  outboxes(): Outbox[] {
    const out: Outbox[] = [this.outbox, this.signal];
    if (this.#c.extra) for (const b of this.#c.extra.values()) if (b instanceof Outbox) out.push(b);
    return out;
  }

  #boxNames(): string[] {
    return [...this.inboxes(), ...this.outboxes()].map((b) => b.name);
  }

  #ownInbox(box: string | Inbox | undefined): Inbox {
    if (box === undefined) return this.inbox;
    if (typeof box === "string") return this.inboxNamed(box);
    if (box.owner !== this) throw new BadLinkError(`${this.name} cannot read ${box}: it belongs to another component`);
    return box;
  }

  #ownOutbox(box: string | Outbox | undefined): Outbox {
    if (box === undefined) return this.outbox;
    if (typeof box === "string") return this.outboxNamed(box);
    if (box.owner !== this) throw new BadLinkError(`${this.name} cannot send from ${box}: it belongs to another component`);
    return box;
  }

  /** Set the limit on one of this component's inboxes (Axon's `setInboxSize`); `undefined` removes it. */
  setInboxSize(box: string, limit: number | undefined): void {
    this.inboxNamed(box).setSize(limit);
  }

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
    (box === undefined ? (this.#outbox ?? this.outbox) : this.#ownOutbox(box)).send(message);
  }

  /** Send if there is room; `false` (and the message not sent) if the destination is full. */
  trySend(message: Out, box?: "outbox"): boolean;
  trySend(message: ControlMessage, box: "signal"): boolean;
  trySend<M>(message: NoInfer<M>, box: Outbox<M>): boolean;
  trySend(message: unknown, box?: string | Outbox): boolean {
    const ob = this.#ownOutbox(box);
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
    return (box === undefined ? this.inbox : this.#ownInbox(box)).take();
  }

  /** How many messages wait in an inbox (default `"inbox"`); truthy when any do. */
  dataReady(box?: "inbox" | "control" | Inbox): number;
  dataReady(box?: string | Inbox): number {
    if (box === undefined) return this.#inbox === null ? 0 : this.#inbox.length;
    return this.#ownInbox(box).length;
  }

  /** The name of some inbox holding messages, or `null` when all are empty. */
  anyReady(): string | null {
    if (this.#inbox !== null && this.#inbox.length > 0) return "inbox";
    if (this.#control !== null && this.#control.length > 0) return "control";
    if (this.#c.extra) for (const b of this.#c.extra.values()) if (b instanceof Inbox && b.length > 0) return b.name;
    return null;
  }

  /** Every message waiting in an inbox, oldest first, removed from it (Axon's `Inbox(box)` generator, eagerly). */
  recvAll(box?: "inbox"): In[];
  recvAll(box: "control"): ControlMessage[];
  recvAll<M>(box: Inbox<M>): M[];
  recvAll(box?: string | Inbox): unknown[] {
    return this.#ownInbox(box).takeAll();
  }

  // ----------------------------------------------------------- scheduling

  /**
   * Ask to sleep at the next `yield` (generator components). Any delivery to
   * one of its inboxes, a collection from a full box it feeds, a child
   * finishing or `unpause()` wakes it; a wake in the same cycle beats the pause.
   */
  pause(): void {
    this._flags |= PAUSE;
  }

  /** Wake this component if it sleeps (Axon's `unpause`). */
  unpause(): void {
    this._wake();
  }

  /** @internal Wake the component: a message arrived, room appeared, a child ended… */
  _wake(): void {
    if ((this._flags & ASYNC) !== 0) {
      const ws = this.#c.waiters;
      if (ws !== null && ws.length > 0) {
        this.#w().waiters = null;
        for (const w of ws) w();
      } else {
        this._flags |= LATCH;
      }
      return;
    }
    const f = this._flags;
    if ((f & (ACTIVE | BLOCKED)) !== ACTIVE) return;
    if ((f & QUEUED) !== 0) this._flags = f | WOKEN;
    else this.system!.scheduler.wake(this);
  }

  /** @internal A message to or from one of this component's boxes was dropped. */
  _deadLetter(box: Box, message: unknown): void {
    (this.system ?? System.default).dropped(box, message);
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
    const kind = this.main.constructor.name;
    if (kind === "AsyncFunction") {
      this._flags |= ASYNC;
      this.#w().asyncMain = () => this.main() as Promise<unknown>;
    } else if (kind === "GeneratorFunction") {
      this.#gen = this.main() as Generator<unknown, unknown, unknown>;
    } else {
      const m: unknown = this.main();
      if (isGenerator(m)) this.#gen = m;
      else if (isThenable(m)) {
        this._flags |= ASYNC;
        const first = m;
        this.#w().asyncMain = () => Promise.resolve(first);
      } else {
        throw new InvalidMainError(this.name, describeValue(m));
      }
    }
    this.system = sys;
    this._flags |= ACTIVE;
    sys.added(this);
    sys.scheduler.wake(this);
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
    if ((this._flags & FINISHED) !== 0 && (this._flags & AWAITING_KIDS) === 0) return Promise.resolve();
    if (this.#c.ended === null) {
      let resolve!: () => void;
      const promise = new Promise<void>((r) => (resolve = r));
      this.#w().ended = { promise, resolve };
    }
    return this.#c.ended!.promise;
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
   * pending waits reject with a {@link StoppedError}. Its children are stopped
   * too. Stopping a component that has not started just marks it finished.
   */
  stop(): void {
    if ((this._flags & FINISHED) !== 0) return;
    if (this.#c.kids) for (const k of this.#c.kids) k.stop();
    if ((this._flags & ACTIVE) === 0) {
      this._flags |= FINISHED;
      this.#c.ended?.resolve();
      return;
    }
    if ((this._flags & STOP) !== 0) return;
    this._flags |= STOP;
    if ((this._flags & ASYNC) !== 0) {
      this.#c.aborter?.abort(new StoppedError(this.name));
      this._wake();
      return;
    }
    this.#unblock();
    this.system!.scheduler.wake(this);
  }

  /** An AbortSignal that aborts when this component is stopped; hand it to I/O the component starts. */
  get stopSignal(): AbortSignal {
    return (this.#w().aborter ??= new AbortController()).signal;
  }

  /** @internal Run one slice of the component. */
  _step(): boolean {
    if ((this._flags & ASYNC) !== 0) return this.#stepAsync();
    if (this.#drain !== null) {
      this._flags |= RUNNING;
      const again = this.#stepDrain();
      this._flags &= ~RUNNING;
      return again;
    }
    const gen = this.#gen;
    if (gen === null) return false;
    let r: IteratorResult<unknown, unknown>;
    try {
      if ((this._flags & (STOP | RETURNING)) === STOP) {
        this._flags |= RETURNING;
        r = gen.return(undefined);
      } else if (this.#x !== null && this.#x.resumeError !== null) {
        const e = this.#x.resumeError.error;
        this.#x.resumeError = null;
        r = gen.throw(e);
      } else if (this.#x !== null && this.#x.resumeValue !== undefined) {
        const v = this.#x.resumeValue;
        this.#x.resumeValue = undefined;
        r = gen.next(v);
      } else {
        r = gen.next();
      }
    } catch (e) {
      this.#end(e, true);
      return false;
    }
    if (r.done === true) {
      this.#end(undefined, false);
      return false;
    }
    return this.#yielded(r.value);
  }

  /** Act on what the generator (or a processMessages handler's generator) yielded. */
  #yielded(v: unknown): boolean {
    if (v === undefined || v === null || typeof v !== "object") return true;
    if (v instanceof DrainLoop) {
      this.#drain = v as DrainLoop<unknown>;
      return this.#stepDrain();
    }
    if (typeof (v as PromiseLike<unknown>).then === "function") {
      this.#blockOn(v as PromiseLike<unknown>);
      return false;
    }
    return true;
  }

  /**
   * The `processMessages` loop, run by the scheduler directly: take each
   * waiting message and call the handler (running any generator it returns
   * until it finishes), stop on `shutdownMicroprocess`, finish on
   * `producerFinished` once the inbox is empty, and otherwise sleep until a
   * delivery. When the loop ends, the shutdown message is passed on and the
   * component's generator resumes after its `yield* this.processMessages(...)`.
   */
  #stepDrain(): boolean {
    if ((this._flags & STOP) !== 0) {
      // A forced stop: abandon the loop and let the generator's finally blocks run.
      this.#drain = null;
      const sub = this.#x?.sub;
      if (sub) {
        this.#x!.sub = null;
        try {
          sub.return(undefined);
        } catch (e) {
          this.#end(e, true);
          return false;
        }
      }
      return this._step();
    }
    const x = this.#x;
    if (x !== null && x.sub !== null) {
      const sub = x.sub;
      let r: IteratorResult<unknown, unknown>;
      try {
        if (x.resumeError !== null) {
          const e = x.resumeError.error;
          x.resumeError = null;
          r = sub.throw(e);
        } else {
          const v = x.resumeValue;
          x.resumeValue = undefined;
          r = sub.next(v);
        }
      } catch (e) {
        this.#end(e, true);
        return false;
      }
      if (r.done !== true) return this.#subYielded(r.value);
      x.sub = null;
    }
    const inbox = this.inbox;
    const loop = this.#drain!;
    const handle = loop.handle;
    const known = this.#x?.shutdownState?.kind;
    while (inbox.length > 0 && known !== "stop") {
      const control = this.#control;
      if (control !== null && control.length > 0 && this.checkShutdown() === "stop") break;
      let sub: Wait<unknown> | void;
      try {
        sub = handle.call(this, inbox.take());
        if (typeof sub === "object" && sub !== null && typeof sub.next === "function") {
          const r = sub.next();
          if (r.done !== true) {
            this.#w().sub = sub;
            return this.#subYielded(r.value);
          }
        }
      } catch (e) {
        this.#end(e, true);
        return false;
      }
    }
    const kind = this.checkShutdown();
    if (kind === "stop" || (kind === "finish" && inbox.length === 0)) {
      this.#drain = null;
      // The generator resumes after its yield* with the shutdown message (an onFinish wrapper passes it on itself).
      this.#w().resumeValue = loop.passOn ? this.passOnShutdown() : this.shutdownMessage;
      return true;
    }
    this._flags |= PAUSE;
    return true;
  }

  /**
   * @internal Fusion: a message for an idle component in a processMessages
   * loop is handed straight to its handler, inside the sender's `send`, as a
   * function call — the receiver would have done exactly that as its next
   * step, with nothing else in its inbox to come first, so per-link order is
   * kept. Returns false (and the message is queued as usual) unless the
   * receiver is active, in drain mode, not running, has no handler wait or
   * shutdown pending, and the nesting is shallow; or when the system turns
   * fusion off.
   */
  _fuse(box: Inbox, message: unknown): boolean {
    const f = this._flags;
    if ((f & (ACTIVE | ASYNC | BLOCKED | RUNNING | STOP)) !== ACTIVE || fuseDepth >= MAX_FUSE_DEPTH) return false;
    const loop = this.#drain;
    if (loop === null || box !== this.#inbox || !this.system!.scheduler.fusion) return false;
    const x = this.#x;
    if (x !== null && (x.sub !== null || x.shutdownState !== null)) return false;
    const c = this.#control;
    if (c !== null && c.length > 0) return false;
    fuseDepth++;
    this._flags = f | RUNNING;
    try {
      const sub = loop.handle.call(this, message);
      if (typeof sub === "object" && sub !== null && typeof sub.next === "function") {
        const r = sub.next();
        if (r.done !== true) {
          // The handler waits (for room, or a promise): carry on as a scheduled step would.
          this.#w().sub = sub;
          if (this.#subYielded(r.value)) {
            if ((this._flags & PAUSE) !== 0) this._flags &= ~PAUSE;
            else this.system!.scheduler.wake(this);
          }
        }
      }
    } catch (e) {
      // Not ended here, inside the sender's send: the failure is raised in the receiver's own next
      // step, as it would have been without fusion (and until then, deliveries to it queue).
      this.#w().sub = rethrow(e);
      this.system!.scheduler.wake(this);
    }
    this._flags &= ~RUNNING;
    fuseDepth--;
    return true;
  }

  #subYielded(v: unknown): boolean {
    if (v !== undefined && v !== null && typeof (v as PromiseLike<unknown>).then === "function") {
      this.#blockOn(v as PromiseLike<unknown>);
      return false;
    }
    return true;
  }

  #unblock(): void {
    this._flags &= ~BLOCKED;
    if (this.#x !== null) this.#x.blockedOn = null;
  }

  #blockOn(p: PromiseLike<unknown>): void {
    const token = {};
    this.#w().blockedOn = token;
    this._flags |= BLOCKED;
    p.then(
      (value) => {
        if (this.#c.blockedOn !== token) return;
        this.#unblock();
        this.#w().resumeValue = value;
        this.system!.scheduler.wake(this);
      },
      (error: unknown) => {
        if (this.#c.blockedOn !== token) return;
        this.#unblock();
        this.#w().resumeError = { error };
        this.system!.scheduler.wake(this);
      },
    );
  }

  #stepAsync(): boolean {
    this.#w().budget = ASYNC_BUDGET;
    const start = this.#c.asyncMain;
    if (start !== null) {
      this.#w().asyncMain = null;
      if ((this._flags & STOP) !== 0) {
        this.#end(undefined, false);
        return false;
      }
      let p: Promise<unknown>;
      try {
        p = start();
      } catch (e) {
        this.#end(e, true);
        return false;
      }
      p.then(
        () => this.#end(undefined, false),
        (e: unknown) => this.#end(e, !((this._flags & STOP) !== 0 && e instanceof StoppedError)),
      );
      return false;
    }
    const ws = this.#c.waiters;
    if (ws !== null) {
      this.#w().waiters = null;
      for (const w of ws) w();
    }
    return false;
  }

  #end(error: unknown, failed: boolean): void {
    if ((this._flags & FINISHED) !== 0) return;
    this._flags = (this._flags & ~ACTIVE) | FINISHED;
    this.#gen = null;
    this.#unblock();
    const sys = this.system!;
    const p = this.parent;
    if (failed) {
      // Reported before the inboxes close, so a supervisor can salvage messages not yet received.
      const failure = error instanceof ComponentFailure ? error : new ComponentFailure(this.name, this.path(), error);
      if (p !== null) p.childFailed(this, failure);
      else sys.onFailure(failure);
    }
    if (p !== null) p.childEnding(this);
    for (const b of this.inboxes()) {
      const n = b.close();
      if (n > 0) {
        b.deadLetters += n;
        for (let i = 0; i < n; i++) sys.dropped(b, undefined);
      }
    }
    this.unlinkAll();
    const ws = this.#c.waiters;
    if (ws) {
      this.#w().waiters = null;
      for (const w of ws) w();
    }
    this.#complete();
  }

  /**
   * Report the end: leave the system, wake the parent, resolve `finished()`.
   * Deferred while children are still running (a stopped chassis returns at
   * once, but its async children may still be cleaning up), so a component's
   * end always comes after its children's.
   */
  #complete(): void {
    const kids = this.#c.kids;
    if (kids !== null && kids.some((k) => k.isActive())) {
      this._flags |= AWAITING_KIDS;
      return;
    }
    this._flags &= ~AWAITING_KIDS;
    this.system!.removed(this);
    const p = this.parent;
    if (p !== null) {
      if ((p._flags & AWAITING_KIDS) !== 0) p.#complete();
      else p._wake();
    }
    this.#c.ended?.resolve();
  }

  /** The names from the top of the system down to this component, e.g. `Pipeline_1/Consumer_7`. */
  path(): string {
    return this.parent === null ? this.name : `${this.parent.path()}/${this.name}`;
  }

  /** `Class_id`. */
  toString(): string {
    return this.name;
  }

  // ------------------------------------------------------------- children

  /**
   * A child ended by throwing. The default passes the failure to this
   * component's parent, and at the top to the system (making `run()`
   * reject); the child has ended alone and this component keeps running.
   * Supervisors override this to restart children. It is called before the
   * child's inboxes close, so messages it had not yet received can be taken
   * from them (`child.inbox.takeAll()`) and handed to a replacement.
   */
  protected childFailed(child: AnyComponent, failure: ComponentFailure): void {
    void child;
    if (this.parent !== null) this.parent.childFailed(this, failure);
    else (this.system ?? System.default).onFailure(failure);
  }

  /**
   * A child is ending (normally, by a stop, or by a failure, after
   * `childFailed`), and its inboxes are about to close: what it left unread
   * can still be taken (`child.inbox.takeAll()`) and handed on. The default
   * does nothing, as in Axon: unread messages are dropped with the child
   * (and counted as dead letters).
   */
  protected childEnding(child: AnyComponent): void {
    void child;
  }

  /** Make components children of this one. They are not activated: call `activate()` on each (chassis do). */
  addChildren(...children: AnyComponent[]): void {
    for (const c of children) {
      if (c.parent !== null && c.parent !== this) throw new BadLinkError(`${c.name} is already a child of ${c.parent.name}`);
      if (c.parent === this) continue;
      c.parent = this;
      (this.#w().kids ??= []).push(c);
    }
  }

  /** Stop treating `child` as a child, and remove every link this component made to or from it. */
  removeChild(child: AnyComponent): void {
    if (this.#c.kids === null) return;
    const i = this.#c.kids.indexOf(child);
    if (i < 0) return;
    this.#c.kids.splice(i, 1);
    child.parent = null;
    this.unlink(child);
  }

  /** A copy of the list of children. */
  childComponents(): AnyComponent[] {
    return this.#c.kids === null ? [] : [...this.#c.kids];
  }

  /** Remove children that have finished; true when none are left (Kamaelia's chassis idiom). */
  childrenDone(): boolean {
    if (this.#c.kids === null) return true;
    for (const c of [...this.#c.kids]) if (c.isFinished()) this.removeChild(c);
    return this.#c.kids.length === 0;
  }

  // ---------------------------------------------------------------- links

  /**
   * Link a source box to a sink box: outbox → inbox, inbox → inbox
   * (passthrough into a child) or outbox → outbox (passthrough out of a
   * child). Boxes are given as objects (`child.outbox`), which type-checks the
   * message types, or Kamaelia-style as `[component, "boxname"]`, checked when
   * the link is made. The link belongs to this component: it is removed when
   * this component finishes or removes the child involved.
   * @throws BoxAlreadyLinkedError if the source already has its outgoing link.
   * @throws NoSuchBoxError for an unknown box name; BadLinkError for a wrong kind of link.
   */
  link<F extends BoxRef, T extends BoxRef>(from: F, to: T & LinkTarget<F, T>, options?: LinkOptions): Linkage {
    const l = makeLink(resolveRef(from, "source"), resolveRef(to as BoxRef, "sink"), this, options);
    (this.#w().postoffice ??= []).push(l);
    return l;
  }

  /** Remove one link this component made, or every link it made to or from a component. */
  unlink(what: Linkage | AnyComponent): void {
    const po = this.#c.postoffice;
    if (po === null) return;
    if (what instanceof Component) {
      const keep: Linkage[] = [];
      for (const l of po) {
        if (l.source.owner === what || l.sink.owner === what) breakLink(l);
        else keep.push(l);
      }
      this.#w().postoffice = keep;
    } else {
      const i = po.indexOf(what);
      if (i < 0) return;
      po.splice(i, 1);
      breakLink(what);
    }
  }

  /** Remove every link this component made. */
  unlinkAll(): void {
    const po = this.#c.postoffice;
    if (po === null) return;
    this.#w().postoffice = null;
    for (const l of po) breakLink(l);
  }

  /** The links this component made (its postoffice), for introspection. */
  linkages(): readonly Linkage[] {
    return this.#c.postoffice ?? [];
  }

  // -------------------------------------------------- generator waiting

  /** Wait (generator) until the box holds a message, then take it: `const m = yield* this.waitRecv()`. */
  waitRecv(box?: "inbox"): Wait<In>;
  waitRecv(box: "control"): Wait<ControlMessage>;
  waitRecv<M>(box: Inbox<M>): Wait<M>;
  *waitRecv(box?: string | Inbox): Wait<unknown> {
    const b = this.#ownInbox(box);
    while (b.length === 0) {
      this.pause();
      yield;
    }
    return b.take();
  }

  /** Wait (generator) until the destination has room, then send: `yield* this.waitSend(m)`. */
  waitSend(message: Out, box?: "outbox"): Wait;
  waitSend(message: ControlMessage, box: "signal"): Wait;
  waitSend<M>(message: NoInfer<M>, box: Outbox<M>): Wait;
  waitSend(message: unknown, box?: string | Outbox): Wait {
    const b = box === undefined ? (this.#outbox ?? this.outbox) : this.#ownOutbox(box);
    // With room, send now and hand back a finished iterator: no generator per message.
    if (!b.isFull()) {
      b.send(message);
      return DONE;
    }
    return this.#sendWhenRoom(message, b);
  }

  *#sendWhenRoom(message: unknown, b: Outbox): Wait {
    while (b.isFull()) {
      this.pause();
      yield;
    }
    b.send(message);
  }

  /**
   * Wait (generator) until one of the given inboxes (default `inbox` and
   * `control`) holds a message; returns that inbox's name.
   */
  *waitReady(...boxes: (string | Inbox)[]): Wait<string> {
    const list = boxes.length === 0 ? [this.inbox, this.control] : boxes.map((b) => this.#ownInbox(b));
    for (;;) {
      for (const b of list) if (b.length > 0) return b.name;
      this.pause();
      yield;
    }
  }

  /**
   * Wait (generator) until one of the inboxes (default `inbox` and `control`)
   * holds a message, or `ms` milliseconds pass: returns the inbox's name, or
   * `null` on time-out. A clock that must still answer shutdown promptly:
   * `if ((yield* this.waitReadyFor(1000, "control")) === null) this.send(tick)`.
   */
  *waitReadyFor(ms: number, ...boxes: (string | Inbox)[]): Wait<string | null> {
    const list = boxes.length === 0 ? [this.inbox, this.control] : boxes.map((b) => this.#ownInbox(b));
    let fired = false;
    const timer = setTimeout(() => {
      fired = true;
      this._wake();
    }, ms);
    try {
      for (;;) {
        for (const b of list) if (b.length > 0) return b.name;
        if (fired) return null;
        this.pause();
        yield;
      }
    } finally {
      clearTimeout(timer);
    }
  }

  /** Sleep (generator) for `ms` milliseconds: `yield* this.sleep(100)`. Deliveries do not cut it short (see waitReadyFor). */
  *sleep(ms: number): Wait {
    yield delay(ms, undefined, { signal: this.stopSignal }).catch(() => undefined);
  }

  /** Wait (generator) for a promise: `const v = yield* this.waitFor(p)`. A rejection is thrown into the generator. */
  *waitFor<T>(promise: PromiseLike<T>): Wait<T> {
    return (yield promise) as T;
  }

  /** Wait (generator) until the service `name` is registered in this system; returns it. */
  *waitService(name: string): Wait<import("./services.js").Service> {
    const services = (this.system ?? System.default).services;
    if (services.has(name)) return services.lookup(name);
    return yield* this.waitFor(services.waitFor(name, { signal: this.stopSignal }));
  }

  // ------------------------------------------------------ async waiting

  #park(options?: AsyncOptions): Promise<void> {
    if ((this._flags & STOP) !== 0) return Promise.reject(new StoppedError(this.name));
    if ((this._flags & FINISHED) !== 0) return Promise.reject(new StoppedError(this.name));
    const signal = options?.signal;
    if (signal?.aborted) return Promise.reject(signal.reason);
    if ((this._flags & LATCH) !== 0) {
      this._flags &= ~LATCH;
      return Promise.resolve();
    }
    const stop = this.stopSignal;
    return new Promise<void>((resolve, reject) => {
      const onAbort = (): void => {
        if (this.#c.waiters) {
          const i = this.#c.waiters.indexOf(done);
          if (i >= 0) this.#c.waiters.splice(i, 1);
        }
        cleanup();
        reject(stop.aborted ? stop.reason : signal!.reason);
      };
      const cleanup = (): void => {
        signal?.removeEventListener("abort", onAbort);
        stop.removeEventListener("abort", onAbort);
      };
      const done = (): void => {
        cleanup();
        resolve();
      };
      (this.#w().waiters ??= []).push(done);
      signal?.addEventListener("abort", onAbort, { once: true });
      stop.addEventListener("abort", onAbort, { once: true });
    });
  }

  /** Give way to the other components before carrying on (async components that never wait should call this now and then). */
  yieldAsync(options?: AsyncOptions): Promise<void> {
    const p = this.#park(options);
    this.system!.scheduler.wake(this);
    return p;
  }

  async #fair(options?: AsyncOptions): Promise<void> {
    if (--this.#w().budget <= 0) await this.yieldAsync(options);
  }

  /** Resolve at the next wake of this async component (a delivery, room, a child ending, `unpause()`). */
  pauseAsync(options?: AsyncOptions): Promise<void> {
    return this.#park(options);
  }

  /** Wait (async) for a message and take it. Rejects with the signal's reason on abort, or StoppedError on stop. */
  recvAsync(box?: "inbox", options?: AsyncOptions): Promise<In>;
  recvAsync(box: "control", options?: AsyncOptions): Promise<ControlMessage>;
  recvAsync<M>(box: Inbox<M>, options?: AsyncOptions): Promise<M>;
  async recvAsync(box?: string | Inbox, options?: AsyncOptions): Promise<unknown> {
    const b = this.#ownInbox(box);
    await this.#fair(options);
    while (b.length === 0) await this.#park(options);
    return b.take();
  }

  /** Wait (async) for room at the destination, then send. */
  sendAsync(message: Out, box?: "outbox", options?: AsyncOptions): Promise<void>;
  sendAsync(message: ControlMessage, box: "signal", options?: AsyncOptions): Promise<void>;
  sendAsync<M>(message: NoInfer<M>, box: Outbox<M>, options?: AsyncOptions): Promise<void>;
  async sendAsync(message: unknown, box?: string | Outbox, options?: AsyncOptions): Promise<void> {
    const b = this.#ownOutbox(box);
    await this.#fair(options);
    while (b.isFull()) await this.#park(options);
    b.send(message);
  }

  /** Wait (async) until one of the inboxes (default `inbox` and `control`) holds a message; resolves with its name. */
  readyAsync(boxes?: readonly (string | Inbox)[], options?: AsyncOptions): Promise<string>;
  /** …or until `timeout` ms pass, resolving with `null`. */
  readyAsync(boxes: readonly (string | Inbox)[] | undefined, options: AsyncOptions & { timeout: number }): Promise<string | null>;
  async readyAsync(boxes?: readonly (string | Inbox)[], options?: AsyncOptions & { timeout?: number }): Promise<string | null> {
    const list = boxes === undefined || boxes.length === 0 ? [this.inbox, this.control] : boxes.map((b) => this.#ownInbox(b));
    await this.#fair(options);
    let fired = false;
    const timer = options?.timeout === undefined ? null : setTimeout(() => {
      fired = true;
      this._wake();
    }, options.timeout);
    try {
      for (;;) {
        for (const b of list) if (b.length > 0) return b.name;
        if (fired) return null;
        await this.#park(options);
      }
    } finally {
      if (timer !== null) clearTimeout(timer);
    }
  }

  /** Sleep (async) for `ms` milliseconds; rejects on abort or stop. */
  sleepAsync(ms: number, options?: AsyncOptions): Promise<void> {
    const signals = [this.stopSignal];
    if (options?.signal) signals.push(options.signal);
    return delay(ms, undefined, { signal: signals.length === 1 ? signals[0] : AbortSignal.any(signals) });
  }

  /** Wait (async) until the service `name` is registered in this system. */
  serviceAsync(name: string, options?: AsyncOptions): Promise<import("./services.js").Service> {
    const sys = this.system ?? System.default;
    const signals = [this.stopSignal];
    if (options?.signal) signals.push(options.signal);
    return sys.services.waitFor(name, { signal: AbortSignal.any(signals) });
  }

  // ------------------------------------------------------------- shutdown

  /**
   * Read every message waiting on `control` and say what shutdown is asked
   * for: `"stop"` beats `"finish"`, and the request is remembered. The
   * shared shutdown helper every standard component uses.
   */
  checkShutdown(): ShutdownKind {
    const c = this.#control;
    const known = this.#x?.shutdownState;
    if (c === null || c.length === 0) return known ? known.kind : null;
    const st = known ?? (this.#w().shutdownState = new ShutdownState());
    while (c.length > 0) st.observe(c.take());
    return st.kind;
  }

  /** The shutdown message received (remembered by {@link checkShutdown}), if any. */
  get shutdownMessage(): Ipc | null {
    return this.#c.shutdownState?.message ?? null;
  }

  /**
   * Pass shutdown on: send the message received on `control`, or a new
   * `producerFinished` if the component is finishing by itself, out of `signal`.
   */
  passOnShutdown(): Ipc {
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
    if (options?.onFinish === undefined) return new DrainLoop<In>(handle, true) as unknown as Wait<Ipc>;
    return this.#finishing(new DrainLoop<In>(handle, false) as unknown as Wait<Ipc>, options.onFinish);
  }

  *#finishing(loop: Wait<Ipc>, onFinish: () => Wait<unknown> | void): Wait<Ipc> {
    yield* loop;
    if (this.checkShutdown() === "finish") {
      const r = onFinish.call(this);
      if (typeof r === "object" && r !== null && typeof r.next === "function") yield* r;
    }
    return this.passOnShutdown();
  }
}


function resolveRef(ref: BoxRef, role: "source" | "sink"): Box {
  if (ref instanceof Box) return ref;
  if (Array.isArray(ref) && ref.length === 2 && ref[0] instanceof Component && typeof ref[1] === "string") {
    return ref[0].boxNamed(ref[1]);
  }
  throw new BadLinkError(`link ${role} must be a box or [component, "boxname"], got ${describeValue(ref)}`);
}

function isGenerator(x: unknown): x is Generator<unknown, unknown, unknown> {
  return (
    typeof x === "object" &&
    x !== null &&
    typeof (x as Generator).next === "function" &&
    typeof (x as Generator).throw === "function" &&
    typeof (x as Generator).return === "function"
  );
}

function isThenable(x: unknown): x is PromiseLike<unknown> {
  return typeof x === "object" && x !== null && typeof (x as PromiseLike<unknown>).then === "function";
}

function describeValue(x: unknown): string {
  if (x === undefined) return "undefined";
  if (x === null) return "null";
  if (typeof x === "object") return `an object (${(x as object).constructor?.name ?? "Object"})`;
  return `a ${typeof x} (${String(x).slice(0, 40)})`;
}

export type { InboxMessage, OutboxMessage };
