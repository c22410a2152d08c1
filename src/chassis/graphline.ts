/**
 * Graphline: named children wired in any shape.
 *
 * ```ts
 * // The slideshow's shape: buttons (here, canned presses) drive a Chooser; what it chooses is shown.
 * await Graphline(
 *   {
 *     CHOOSER: new Chooser(["a.png", "b.png", "c.png"]),
 *     NEXT: DataSource<ChooserCommand>("NEXT", "NEXT"),
 *     SHOW: new ConsoleEchoer<string>({ eol: "\n" }),
 *   },
 *   { "NEXT.outbox": "CHOOSER.inbox", "CHOOSER.outbox": "SHOW.inbox" },
 * ).run();
 * ```
 *
 * Linkages map `"source.box"` to `"sink.box"` (a box has one outgoing link,
 * so a record is the right shape). `self` (or the empty name) means the
 * Graphline itself: `"self.inbox": "A.inbox"` passes the Graphline's inbox
 * through to A, `"B.outbox": "self.outbox"` passes B's outbox out. Boxes named
 * on `self` that the Graphline lacks are created for this instance. Every
 * linkage is type-checked: a child that does not exist, a box it lacks, or a
 * sink that does not accept what the source sends is a compile error, and is
 * also reported at run time with a clear message.
 *
 * Shutdown, as in Kamaelia: if nothing is linked from `self.control`, every
 * message arriving on the Graphline's `control` is forwarded to each child
 * whose `control` is not the sink of a linkage. If nothing is linked to
 * `self.signal`, when all children have finished the Graphline sends the
 * `shutdownMicroprocess` it received, or else a new `producerFinished`, out of
 * its `signal`. It finishes when all its children have.
 *
 * @module
 */
import type { Box, Inbox } from "../core/box.js";
import { Component, type AnyComponent } from "../core/component.js";
import { LinkageError } from "../core/errors.js";
import { producerFinished } from "../core/ipc.js";
import { ShutdownState } from "../core/shutdown.js";
import type { InboxNames, InboxType, OutboxNames, OutboxType } from "../core/types.js";

/** Named children. */
export type Children = Record<string, AnyComponent>;

type Names<Ch> = keyof Ch & string;

type AllInboxes<Ch> = { [B in Names<Ch>]: `${B}.${InboxNames<Ch[B]>}` }[Names<Ch>];

type CompatibleInboxes<Ch, M> = {
  [B in Names<Ch>]: { [IB in InboxNames<Ch[B]>]: [M] extends [InboxType<Ch[B], IB>] ? `${B}.${IB}` : never }[InboxNames<Ch[B]>];
}[Names<Ch>];

/** The sinks a linkage from source `S` may name: each is `"child.inbox"` or `"self.outboxname"`. */
export type SinksFor<Ch, S> = S extends `self.${string}` | `.${string}`
  ? AllInboxes<Ch>
  : S extends `${infer A}.${infer OB}`
    ? A extends Names<Ch>
      ? OB extends OutboxNames<Ch[A]>
        ? CompatibleInboxes<Ch, OutboxType<Ch[A], OB>> | `self.${string}`
        : `error: child ${A} has no outbox named ${OB}`
      : `error: there is no child named ${A}`
    : `error: a linkage source is written "child.outbox" or "self.inbox"`;

/**
 * Shown in a compile error at a Graphline linkage whose sink does not accept
 * what its source sends: the linkage, and the two types.
 */
export interface LinkageMismatch<Linkage extends string, Sent, Accepted> {
  /** The offending linkage, `"source.box → sink.box"`. */
  readonly linkage: Linkage;
  /** What the source box carries… */
  readonly sourceSends: Sent;
  /** …and what the sink box accepts. */
  readonly sinkAccepts: Accepted;
}

/** Shown in a compile error at a Graphline linkage that names a child or box that does not exist. */
export interface LinkageProblem<Linkage extends string, Problem extends string> {
  /** The offending linkage, `"source.box → sink.box"`. */
  readonly linkage: Linkage;
  /** What is wrong with it. */
  readonly problem: Problem;
}

/** Why the sink `T` of the linkage from the child box `S` is wrong. */
type SinkError<Ch, S extends string, T> = S extends `${infer A}.${infer OB}`
  ? T extends `${infer B}.${infer IB}`
    ? B extends Names<Ch>
      ? IB extends InboxNames<Ch[B]>
        ? A extends Names<Ch>
          ? LinkageMismatch<`${S} → ${T}`, OutboxType<Ch[A], OB>, InboxType<Ch[B], IB>>
          : never
        : LinkageProblem<`${S} → ${T & string}`, `child ${B} has no inbox named ${IB}`>
      : LinkageProblem<`${S} → ${T & string}`, `there is no child named ${B}`>
    : LinkageProblem<`${S} → ${T & string}`, `a linkage sink is written "child.inbox" or "self.outbox"`>
  : never;

/**
 * The linkages `L`, each checked: a sink its source may link to stays as
 * written; otherwise the expected type says why: a {@link LinkageMismatch}
 * naming the linkage and both types, or a {@link LinkageProblem} naming the
 * child or box that does not exist.
 */
export type CheckedLinkages<Ch, L> = {
  [S in keyof L]: S extends `self.${string}` | `.${string}`
    ? SinksFor<Ch, S>
    : SinksFor<Ch, S> extends `error: ${infer P}`
      ? LinkageProblem<`${S & string} → ${L[S] & string}`, P>
      : L[S] extends SinksFor<Ch, S>
        ? L[S]
        : SinkError<Ch, S & string, L[S]>;
};

type SelfInType<Ch, L> = L extends { readonly "self.inbox": infer T }
  ? T extends `${infer B}.${infer IB}`
    ? B extends Names<Ch>
      ? InboxType<Ch[B], IB>
      : unknown
    : unknown
  : unknown;

type SelfOutType<Ch, L> = {
  [S in keyof L]: L[S] extends "self.outbox" ? (S extends `${infer A}.${infer OB}` ? (A extends Names<Ch> ? OutboxType<Ch[A], OB> : never) : never) : never;
}[keyof L];

/** One parsed linkage. */
interface Wire {
  from: string;
  fromBox: string;
  to: string;
  toBox: string;
}

/**
 * The Graphline component; build one with {@link Graphline}.
 *
 * Boxes: `inbox`, `control`, `outbox`, `signal`, plus any named on `self`
 * in the linkages, each carrying what the child box it is linked to carries.
 */
export class GraphlineComponent<In = unknown, Out = unknown> extends Component<In, Out> {
  static override inboxes = {
    inbox: "passed to whichever child the linkages name for self.inbox",
    control: "forwarded to children whose control is not linked, unless self.control is linked",
  };
  static override outboxes = {
    outbox: "what the child linked to self.outbox sends",
    signal: "producerFinished (or the shutdownMicroprocess received) when every child has finished, unless self.signal is linked",
  };

  /** The children, by name. */
  readonly children: Readonly<Children>;
  /** The linkages as given (`"source.box": "sink.box"`), for introspection and graph export before the links are made. */
  readonly wiring: Readonly<Record<string, string>>;
  #wires: Wire[];

  /** @throws LinkageError for a linkage naming a child or box that does not exist, or a malformed one. */
  constructor(children: Children, linkages: Readonly<Record<string, string>>) {
    super();
    if (linkages === undefined || linkages === null || typeof linkages !== "object") {
      throw new LinkageError(`${this.name}: a Graphline needs its linkages (an object, possibly empty)`);
    }
    this.children = children;
    this.wiring = { ...linkages };
    for (const [n, c] of Object.entries(children)) {
      if (!(c instanceof Component)) throw new LinkageError(`${this.name}: child "${n}" is not a component`);
      if (n.includes(".") || n === "self" || n === "") throw new LinkageError(`${this.name}: "${n}" cannot name a child (no dots, not "self")`);
    }
    this.#wires = Object.entries(linkages).map(([from, to]) => this.#parse(from, to));
    for (const w of this.#wires) this.#check(w);
  }

  #parse(from: string, to: string): Wire {
    const split = (end: string): [string, string] => {
      const i = typeof end === "string" ? end.lastIndexOf(".") : -1;
      if (i < 0 || i === end.length - 1) {
        throw new LinkageError(`${this.name}: linkage "${from}" → "${to}": "${end}" must be written "child.box" or "self.box"`);
      }
      const who = end.slice(0, i);
      return [who === "" ? "self" : who, end.slice(i + 1)];
    };
    const [f, fb] = split(from);
    const [t, tb] = split(to);
    return { from: f, fromBox: fb, to: t, toBox: tb };
  }

  #child(name: string, w: Wire): AnyComponent {
    const c = this.children[name];
    if (!c) {
      throw new LinkageError(
        `${this.name}: linkage "${w.from}.${w.fromBox}" → "${w.to}.${w.toBox}" names a child "${name}" that does not exist ` +
          `(children: ${Object.keys(this.children).join(", ") || "none"})`,
      );
    }
    return c;
  }

  #check(w: Wire): void {
    const where = `${this.name}: linkage "${w.from}.${w.fromBox}" → "${w.to}.${w.toBox}"`;
    if (w.from === "self" && w.to === "self") throw new LinkageError(`${where} links the Graphline to itself`);
    try {
      if (w.from !== "self") this.#child(w.from, w).outboxNamed(w.fromBox);
      if (w.to !== "self") this.#child(w.to, w).inboxNamed(w.toBox);
    } catch (e) {
      if (e instanceof LinkageError) throw e;
      throw new LinkageError(`${where}: ${(e as Error).message}`);
    }
  }

  #selfBox(name: string, inbox: boolean, like: Box): Box {
    if (inbox) {
      if (name === "inbox" || name === "control") return this.inboxNamed(name);
      try {
        return this.inboxNamed(name);
      } catch {
        return this.addInbox(name, like.description);
      }
    }
    if (name === "outbox" || name === "signal") return this.outboxNamed(name);
    try {
      return this.outboxNamed(name);
    } catch {
      return this.addOutbox(name, like.description);
    }
  }

  *main(): Generator<unknown, void, unknown> {
    const kids = Object.values(this.children);
    this.addChildren(...kids);
    const linkedControls = new Set<Inbox>();
    let controlLinked = false;
    let signalLinked = false;
    for (const w of this.#wires) {
      if (w.from === "self") {
        const sink = this.#child(w.to, w).inboxNamed(w.toBox);
        this.link(this.#selfBox(w.fromBox, true, sink), sink);
        if (w.fromBox === "control") controlLinked = true;
      } else if (w.to === "self") {
        const source = this.#child(w.from, w).outboxNamed(w.fromBox);
        this.link(source, this.#selfBox(w.toBox, false, source));
        if (w.toBox === "signal") signalLinked = true;
      } else {
        const sink = this.#child(w.to, w).inboxNamed(w.toBox);
        this.link(this.#child(w.from, w).outboxNamed(w.fromBox), sink);
      }
      if (w.to !== "self" && w.toBox === "control") linkedControls.add(this.#child(w.to, w).control);
    }
    for (const k of kids) k.activate(this.system!);

    const shutdown = new ShutdownState();
    const unlinkedControls = kids.filter((k) => !linkedControls.has(k.control));
    for (;;) {
      if (!controlLinked) {
        while (this.dataReady("control") > 0) {
          const m = this.recv("control");
          shutdown.observe(m);
          for (const k of unlinkedControls) if (!k.isFinished()) k.control.final.deliver(m, this.control);
        }
      }
      if (this.childrenDone()) break;
      this.pause();
      yield;
    }
    if (!signalLinked) this.send(shutdown.kind === "stop" ? shutdown.message! : producerFinished(this), "signal");
  }
}

/**
 * Make a Graphline of named children and linkages between their boxes (and
 * the Graphline's own, named `self`). Every linkage is type-checked.
 */
export function Graphline<const Ch extends Children, const L extends Readonly<Record<string, string>>>(
  children: Ch,
  linkages: L & CheckedLinkages<Ch, L>,
): GraphlineComponent<SelfInType<Ch, L>, SelfOutType<Ch, L>> {
  return new GraphlineComponent(children, linkages);
}
