/**
 * Actor (PyWorks' Actor): a component whose methods other code calls through
 * a proxy; each call travels as a message and runs in the actor's own step,
 * one at a time, so an actor's state needs no locks.
 *
 * ```ts
 * class Greeter extends Actor {
 *   greeted = 0;
 *   greet(name: string): string { return `Hello, ${name} (#${++this.greeted})`; }
 * }
 * new Greeter().named("greeter").activate();
 * console.log(await actor<Greeter>("greeter").greet("Ann"));   // Hello, Ann (#1)
 * ```
 *
 * @module
 */
import { Component, ErrorInformation, System, type Wait } from "../core/index.js";
import { ActorCall } from "./call.js";
import { ActorArgumentError, ActorCallError, ActorStoppedError, NoSuchMethodError, UnhandledCallError, checkTimeout, describe } from "./errors.js";
import { callable, methodNames, reserve, stateName } from "./methods.js";
import { notify, proxyFrom } from "./proxy.js";
import { ACTOR, addObserver, checkName, deregisterActor, lookupActor, observersOf, registerActor, removeObserver, type ActorLike } from "./registry.js";
import { isWireCall, toWireError, type WireCall, type WireReply } from "./wire.js";
import { DEFAULT_CALL_TIMEOUT, outputsType, type ActorOutput, type ActorProxy, type Listener, type NoOutputs, type Notifier, type OutputsOf, type ProxyOptions } from "./types.js";

/**
 * An actor: register it under a name (`named("greeter")`, else its component
 * name) and activate it; callers reach it with `actor<Greeter>("greeter")`.
 * Calls are handled one at a time in arrival order; a method may return a
 * promise, and the actor answers no other call until it settles (so state
 * never interleaves — and an actor awaiting a call back to itself, directly
 * or round a cycle, waits until a timeout breaks the cycle; use `notify`
 * there). A method that throws rejects that caller's future with an
 * {@link ActorCallError} and the actor carries on (or, with
 * `failOnCallError`, fails so a Supervisor can restart it).
 *
 * `O` is the actor's outputs interface: `this.output.reading(21.5)` calls
 * `reading(21.5)` on every actor observing this one (see {@link observe}),
 * and sends `{ from, method: "reading", args: [21.5] }` out of `outbox`.
 *
 * It is a component: it can be linked, put under a Supervisor, and is listed
 * by `system.components()`; its registration is in `system.services`.
 *
 * Boxes: `inbox` {@link ActorCall}s (from proxies and observed actors);
 * `outbox` each output as an {@link ActorOutput}; `error`
 * `ErrorInformation` for failures nobody waits for (a notify or an output
 * whose method threw or is missing; without a link, a process warning);
 * `control`/`signal`: `producerFinished` answers the calls waiting, then
 * stops; `shutdownMicroprocess` stops now (calls left unanswered are
 * rejected with {@link ActorStoppedError}); passed on at the end.
 */
export class Actor<O extends object = NoOutputs> extends Component<ActorCall | WireCall, ActorOutput<O>> implements ActorLike {
  static override inboxes = {
    inbox: "ActorCall: method calls from proxies, and the outputs of the actors it observes; WireCall: calls as data (from a RemoteActor)",
    control: "producerFinished (answer the calls waiting, then stop) or shutdownMicroprocess (stop now)",
  };
  static override outboxes = {
    outbox: "ActorOutput: each output it emits ({ from, method, args }), besides calling its observers",
    signal: "the shutdown message received, passed on",
    error: "ErrorInformation for a notify or observed output whose method failed (nobody waits for an answer)",
    replies: "WireReply: the answer to each WireCall (for a RemoteActor on the other side of a thread or process)",
  };

  /** @internal Marks actors for the registry. */
  readonly [ACTOR] = true as const;
  /** Type-level only: this actor's outputs. */
  declare readonly [outputsType]?: O;
  /** Failures nobody waits for: a notify or an observed output whose method threw or is missing. */
  readonly error = this.addOutbox<ErrorInformation>("error");
  /** Answers to calls that came as data ({@link WireCall}), for the RemoteActor that sent them. */
  readonly replies = this.addOutbox<WireReply>("replies");
  /** Milliseconds a call to this actor may take by default (callers can set their own). */
  callTimeout = DEFAULT_CALL_TIMEOUT;
  /** Fail (and be restarted by a Supervisor) when a method throws, after rejecting the caller's future. */
  failOnCallError = false;
  /** Calls answered with a failure (no such method, unhandled, threw). */
  failedCalls = 0;
  /** Calls skipped because their caller had stopped waiting before they started. */
  expiredCalls = 0;
  #output: Notifier<O> | null = null;

  /** Register under `name` when activated (default: the component's own name). @throws ActorArgumentError once active. */
  named(name: string): this {
    checkName(`${this.name}.named()`, name);
    if (this.isActive() || this.isFinished()) throw new ActorArgumentError(`${this.name}.named("${name}"): name an actor before activating it`);
    this.name = name;
    return this;
  }

  /**
   * Activate, and register under the actor's name in the system's services.
   * @throws ActorArgumentError if a live actor (or another service) already has the name, or `callTimeout` is not a number of ms ≥ 0.
   */
  override activate(system?: System): this {
    const sys = system ?? this.parent?.system ?? System.default;
    checkTimeout(`${this.name}.callTimeout`, this.callTimeout);
    if (lookupActor(sys, this.name) !== null) throw new ActorArgumentError(`cannot activate ${this.name}: another actor named "${this.name}" is running`);
    super.activate(sys);
    registerActor(sys, this.name, this);
    return this;
  }

  /** A proxy for the actor `name` in this actor's system: `this.actor<Greeter>("greeter").greet("Ann")`. */
  actor<T>(name: string, options?: ProxyOptions): ActorProxy<T> {
    return proxyFrom<T>(this.name, () => this.system ?? System.default, name, options);
  }

  /** Calls to `name` that want no answer: `this.notify<Logger>("log").line("hi")`. */
  notify<T>(name: string): Notifier<T> {
    return notify(this.actor<T>(name));
  }

  /**
   * Hear the outputs of the actor `name` from now on (PyWorks' `observe`):
   * each output arrives as a call to the method of the same name, handled
   * like any call. Typed: `this.observe<Sensor>("sensor")` does not compile
   * unless this class implements every output method of `Sensor`. By name,
   * so it lasts across restarts of either side; idempotent.
   */
  observe<T>(this: ActorLike & Listener<OutputsOf<T>>, name: string): void {
    const self = this as unknown as Actor;
    checkName(`${self.name}.observe()`, name);
    addObserver(self.#sys("observe"), name, self.name);
  }

  /** Stop hearing the outputs of `name`. */
  unobserve(name: string): void {
    removeObserver(this.#sys("unobserve"), this.name, name);
  }

  /** Emit outputs to the observers and `outbox`: `this.output.reading(21.5)`. */
  get output(): Notifier<O> {
    return (this.#output ??= new Proxy(Object.create(null) as object, {
      get: (_, key) => (typeof key === "string" && key !== "then" ? (...args: unknown[]) => this.#emit(key, args) : undefined),
    }) as Notifier<O>);
  }

  #emit(method: string, args: unknown[]): void {
    const sys = this.#sys(`output.${method}`);
    for (const name of observersOf(sys, this.name)) {
      try {
        const a = lookupActor(sys, name);
        a?.inbox.deliver(new ActorCall(method, args, this.name), this.outbox);
      } catch (e) {
        this.report(new ActorStoppedError(name, method, `the output from ${this.name} was not delivered: ${e instanceof Error ? e.message : String(e)}`), args);
      }
    }
    if (this.outbox.final !== null) this.send({ from: this.name, method, args } as unknown as ActorOutput<O>);
  }

  #sys(what: string): System {
    if (!this.system) throw new ActorArgumentError(`${this.name}.${what}: activate the actor first`);
    return this.system;
  }

  main(): Wait<unknown> {
    return this.serve();
  }

  /**
   * Run `startUp` (a Task's hooks), then answer calls until shutdown; at the
   * end (whatever ended it) leave the registry and refuse the calls left.
   */
  protected *serve(startUp?: () => Wait): Wait<unknown> {
    try {
      if (startUp !== undefined) yield* startUp();
      return yield* this.processMessages(this.#handle);
    } finally {
      this.#close();
    }
  }

  /** The object whose methods handle calls: the actor itself (a Task: its current State). */
  protected handler(): object {
    return this;
  }

  #handle(message: ActorCall | WireCall): Wait | void {
    let m: ActorCall;
    if (message instanceof ActorCall) m = message;
    else if (isWireCall(message)) m = this.#fromWire(message);
    else if (this.accept(message)) return;
    else {
      this.failedCalls++;
      this.report(new ActorArgumentError(`${this.name}: its inbox takes ActorCall messages (from proxies), got ${describe(message)}`), message);
      return;
    }
    if (m.expired) {
      this.expiredCalls++;
      return;
    }
    return this.dispatch(m);
  }

  /** Run a call: by default, the handler's method of that name (a RemoteActor forwards it instead). */
  protected dispatch(m: ActorCall): Wait | void {
    const target = this.handler();
    const fn = callable(target, m.method);
    if (fn === undefined) {
      const err = target === this ? new NoSuchMethodError(this.name, m.method, methodNames(this)) : new UnhandledCallError(this.name, m.method, stateName(target), methodNames(target));
      return this.#failed(m, err, false);
    }
    let r: unknown;
    try {
      r = fn.apply(target, m.args as unknown[]);
    } catch (e) {
      return this.#failed(m, new ActorCallError(this.name, m.method, this.#where(target), e), true);
    }
    if (typeof r === "object" && r !== null && typeof (r as PromiseLike<unknown>).then === "function") return this.#settle(m, r as PromiseLike<unknown>, target);
    m.answer(r);
  }

  /** Take a message that is neither a call nor a WireCall (a RemoteActor takes its answers); false: refuse it. */
  protected accept(message: unknown): boolean {
    void message;
    return false;
  }

  /** A call that came as data: its answer goes back as data, out of `replies`. */
  #fromWire(w: WireCall): ActorCall {
    const id = w.actorCall;
    const reply = (r: WireReply): void => {
      if (!this.trySend(r, this.replies)) this.report(new ActorStoppedError(w.from, w.method, `${this.name}'s answer was lost: its replies outbox is full`), r);
    };
    return new ActorCall(w.method, w.args, w.from, id === 0 ? null : { resolve: (value) => reply({ actorReply: id, value }), reject: (e) => reply({ actorReply: id, error: toWireError(e) }) });
  }

  *#settle(m: ActorCall, p: PromiseLike<unknown>, target: object): Wait {
    let v: unknown;
    try {
      v = yield* this.waitFor(p);
    } catch (e) {
      this.#failed(m, new ActorCallError(this.name, m.method, this.#where(target), e), true);
      return;
    }
    m.answer(v);
  }

  #where(target: object): string {
    return target === this ? "" : ` in state ${stateName(target)}`;
  }

  #failed(m: ActorCall, err: Error, thrown: boolean): void {
    this.failedCalls++;
    if (!m.fail(err)) this.report(err, m);
    if (thrown && this.failOnCallError) {
      // The end skips the generator's finally: give up the name now, so a replacement can take it.
      deregisterActor(this.system!, this.name, this);
      throw err;
    }
  }

  /**
   * Report a failure nobody waits for: `ErrorInformation` on `error` when it
   * is linked, else a process warning (never silence).
   */
  protected report(err: Error, message: unknown): void {
    if (this.error.final !== null) this.send(new ErrorInformation(this, err, message), this.error);
    else process.emitWarning(err);
  }

  /** Leave the registry and refuse the calls left in the inbox. */
  #close(): void {
    const sys = this.system!;
    deregisterActor(sys, this.name, this);
    removeObserver(sys, this.name);
    for (const m of this.inbox.takeAll()) {
      if (m instanceof ActorCall && !m.expired) m.fail(new ActorStoppedError(this.name, m.method, `${this.name} stopped before answering`));
    }
  }
}

reserve(Actor.prototype);
