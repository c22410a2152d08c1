/**
 * A component's identity and boxes: its id and name, the standard four boxes
 * (made on first use), further boxes declared with `addInbox`/`addOutbox`,
 * and looking boxes up by name. The base class of every component; nothing
 * here runs.
 *
 * @module
 */
import { type Box, type BoxOwner, Inbox, Outbox } from "./box.js";
import type { Main } from "./component-types.js";
import { BadLinkError, NoSuchBoxError } from "./errors.js";
import type { ControlMessage } from "./ipc.js";
import type { Member } from "./member.js";
import { type Cold, cold } from "./microprocess.js";
import { System } from "./system.js";

/** A component's identity and boxes (the base of {@link Component}). */
export abstract class ComponentBoxes<In = unknown, Out = unknown> implements BoxOwner {
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

  /** A number unique in the component's system, given when it is activated (0 before). */
  get id(): number {
    return this._id;
  }
  /** `Class_id` unless set (`Class_0` before activation); shown in errors and by introspection. */
  get name(): string {
    // Made when asked for (errors, introspection), and a name set by hand kept with the rarely used
    // state, so an idle component carries no string and no field for one.
    return this._x?.name ?? `${this.constructor.name}_${this._id}`;
  }
  set name(value: string) {
    cold(this).name = value;
  }
  /** The system the component runs on, once activated. */
  system: System | null = null;
  /** The component whose child this is, if any. */
  parent: Member | null = null;

  /** @internal The scheduler's flags (QUEUED, WOKEN, PAUSE) and the component's own, as bits (see microprocess.ts). */
  _flags = 0;
  /** @internal Rarely used state, allocated on first use so an idle component stays small. */
  _x: Cold | null = null;
  /** @internal The id (see `id`). */
  _id = 0;
  /** @internal The standard boxes, made on first use. */
  _in: Inbox<In> | null = null;
  /** @internal */
  _ctl: Inbox<ControlMessage> | null = null;
  /** @internal */
  _out: Outbox<Out> | null = null;
  /** @internal */
  _sig: Outbox<ControlMessage> | null = null;

  /** Where the component's data arrives. */
  get inbox(): Inbox<In> {
    return (this._in ??= new Inbox<In>(this, "inbox"));
  }
  /** Where shutdown messages arrive. */
  get control(): Inbox<ControlMessage> {
    return (this._ctl ??= new Inbox<ControlMessage>(this, "control"));
  }
  /** Where the component's results go. */
  get outbox(): Outbox<Out> {
    return (this._out ??= new Outbox<Out>(this, "outbox"));
  }
  /** Where the component says it has finished. */
  get signal(): Outbox<ControlMessage> {
    return (this._sig ??= new Outbox<ControlMessage>(this, "signal"));
  }

  /** The component's body: a generator (`*main()`) or an async function (`async main()`). */
  abstract main(): Main;

  /** @internal Wake the component (see Component). */
  abstract _wake(box?: Inbox): void;

  /** @internal Fusion of one message (see Component). */
  abstract _fuse(handler: (message: never) => unknown, message: unknown): boolean;

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
    const box = this._x?.extra?.get(name);
    if (!box) throw new NoSuchBoxError(this.name, "inbox", name, this.#boxNames());
    if (box.link !== null || (box.sources !== null && box.sources.length > 0)) {
      throw new BadLinkError(`cannot delete ${box}: it is still linked; unlink it first`);
    }
    this._x!.extra!.delete(name);
  }

  #addBox<B extends Box>(box: B): B {
    const taken = ["inbox", "control", "outbox", "signal"].includes(box.name) || this._x?.extra?.has(box.name);
    if (taken) throw new BadLinkError(`${this.name} already has a box named "${box.name}"`);
    (cold(this).extra ??= new Map()).set(box.name, box);
    return box;
  }

  /** @internal A box's description, from this class's `inboxes`/`outboxes` declarations. */
  _describe(box: Box): string {
    const ctor = this.constructor as typeof ComponentBoxes;
    return (box instanceof Inbox ? ctor.inboxes : ctor.outboxes)[box.name] ?? "";
  }

  /** @internal A message to or from one of this component's boxes was dropped. */
  _deadLetter(box: Box, message: unknown): void {
    (this.system ?? System.default).dropped(box, message);
  }

  /** The inbox called `name`. @throws NoSuchBoxError naming the component and the box. */
  inboxNamed(name: string): Inbox {
    if (name === "inbox") return this.inbox;
    if (name === "control") return this.control;
    const b = this._x?.extra?.get(name);
    if (b instanceof Inbox) return b;
    throw new NoSuchBoxError(this.name, "inbox", name, this.inboxes().map((x) => x.name));
  }

  /** The outbox called `name`. @throws NoSuchBoxError naming the component and the box. */
  outboxNamed(name: string): Outbox {
    if (name === "outbox") return this.outbox;
    if (name === "signal") return this.signal;
    const b = this._x?.extra?.get(name);
    if (b instanceof Outbox) return b;
    throw new NoSuchBoxError(this.name, "outbox", name, this.outboxes().map((x) => x.name));
  }

  /** The box called `name`, inbox or outbox. */
  boxNamed(name: string): Box {
    if (name === "inbox" || name === "control") return this.inboxNamed(name);
    if (name === "outbox" || name === "signal") return this.outboxNamed(name);
    const b = this._x?.extra?.get(name);
    if (b) return b;
    throw new NoSuchBoxError(this.name, "inbox", name, this.#boxNames());
  }

  /** Every inbox, the standard two first. */
  inboxes(): Inbox[] {
    const out: Inbox[] = [this.inbox, this.control];
    const extra = this._x?.extra;
    if (extra) for (const b of extra.values()) if (b instanceof Inbox) out.push(b);
    return out;
  }

  /** Every outbox, the standard two first. */
  outboxes(): Outbox[] {
    const out: Outbox[] = [this.outbox, this.signal];
    const extra = this._x?.extra;
    if (extra) for (const b of extra.values()) if (b instanceof Outbox) out.push(b);
    return out;
  }

  /** The name of some inbox holding messages, or `null` when all are empty. */
  anyReady(): string | null {
    if (this._in !== null && this._in.length > 0) return "inbox";
    if (this._ctl !== null && this._ctl.length > 0) return "control";
    const extra = this._x?.extra;
    if (extra) for (const b of extra.values()) if (b instanceof Inbox && b.length > 0) return b.name;
    return null;
  }

  #boxNames(): string[] {
    return [...this.inboxes(), ...this.outboxes()].map((b) => b.name);
  }

  /** @internal One of this component's inboxes, by name or object (default `inbox`). */
  _ownInbox(box: string | Inbox | undefined): Inbox {
    if (box === undefined) return this.inbox;
    if (typeof box === "string") return this.inboxNamed(box);
    if (box.owner !== this) throw new BadLinkError(`${this.name} cannot read ${box}: it belongs to another component`);
    return box;
  }

  /** @internal One of this component's outboxes, by name or object (default `outbox`). */
  _ownOutbox(box: string | Outbox | undefined): Outbox {
    if (box === undefined) return this.outbox;
    if (typeof box === "string") return this.outboxNamed(box);
    if (box.owner !== this) throw new BadLinkError(`${this.name} cannot send from ${box}: it belongs to another component`);
    return box;
  }

  /** @internal The inboxes a multi-box wait watches: those given, or `inbox` and `control`. */
  _inboxList(boxes: readonly (string | Inbox)[]): Inbox[] {
    return boxes.length === 0 ? [this.inbox, this.control] : boxes.map((b) => this._ownInbox(b));
  }

  /** Set the limit on one of this component's inboxes (Axon's `setInboxSize`); `undefined` removes it. */
  setInboxSize(box: string, limit: number | undefined): void {
    this.inboxNamed(box).setSize(limit);
  }

  /** The names from the top of the system down to this component, e.g. `Pipeline_1/Consumer_7`. */
  path(): string {
    return this.parent === null ? this.name : `${this.parent.path()}/${this.name}`;
  }

  /** `Class_id`. */
  toString(): string {
    return this.name;
  }
}
