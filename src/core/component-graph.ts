/**
 * A component's place in the graph: the links it made (its postoffice) and
 * its children, and what it is told when a child fails or ends.
 *
 * @module
 */
import { Box } from "./box.js";
import { ComponentBoxes } from "./component-boxes.js";
import type { BoxRef, LinkTarget } from "./component-types.js";
import { BadLinkError, type ComponentFailure } from "./errors.js";
import { breakLink, type LinkOptions, type Linkage, makeLink } from "./linkage.js";
import type { Member } from "./member.js";
import { NOTED, cold } from "./microprocess.js";
import { observer } from "./observe.js";
import { describeValue } from "./runner.js";
import { System } from "./system.js";

// Components are named here as `Member`, which component.ts completes to the whole Component (see member.ts).
type AnyComponent = Member;

/** Links and children (a base of {@link Component}). */
export abstract class ComponentGraph<In = unknown, Out = unknown> extends ComponentBoxes<In, Out> {
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
    if (this.parent !== null) this.parent.childFailed(this as unknown as AnyComponent, failure);
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
      if (c.parent !== null && c.parent !== (this as unknown)) throw new BadLinkError(`${c.name} is already a child of ${c.parent.name}`);
      if (c.parent === (this as unknown)) continue;
      c.parent = this as unknown as AnyComponent;
      (cold(this).kids ??= []).push(c);
    }
  }

  /** Stop treating `child` as a child, and remove every link this component made to or from it. */
  removeChild(child: AnyComponent): void {
    const kids = this._x?.kids;
    if (!kids) return;
    const i = kids.indexOf(child);
    if (i < 0) return;
    kids.splice(i, 1);
    child.parent = null;
    this.unlink(child);
  }

  /** A copy of the list of children. */
  childComponents(): AnyComponent[] {
    return this._x?.kids ? [...this._x.kids] : [];
  }

  /** Remove children that have finished; true when none are left (Kamaelia's chassis idiom). */
  childrenDone(): boolean {
    const kids = this._x?.kids;
    if (!kids) return true;
    for (const c of [...kids]) if (c.isFinished()) this.removeChild(c);
    return kids.length === 0;
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
    (cold(this).postoffice ??= []).push(l);
    if (observer !== null) observer.linked(l);
    return l;
  }

  /** Remove one link this component made, or every link it made to or from a component. */
  unlink(what: Linkage | AnyComponent): void {
    const po = this._x?.postoffice;
    if (!po) return;
    if (what instanceof ComponentGraph) {
      const keep: Linkage[] = [];
      for (const l of po) {
        if (l.source.owner === what || l.sink.owner === what) unlinked(l);
        else keep.push(l);
      }
      this._x!.postoffice = keep;
    } else {
      const i = po.indexOf(what as Linkage);
      if (i < 0) return;
      po.splice(i, 1);
      unlinked(what as Linkage);
    }
  }

  /** Remove every link this component made. */
  unlinkAll(): void {
    const po = this._x?.postoffice;
    if (!po) return;
    this._x!.postoffice = null;
    for (const l of po) unlinked(l);
  }

  /** The links this component made (its postoffice), for introspection. */
  linkages(): readonly Linkage[] {
    return this._x?.postoffice ?? [];
  }
}

function resolveRef(ref: BoxRef, role: "source" | "sink"): Box {
  if (ref instanceof Box) return ref;
  if (Array.isArray(ref) && ref.length === 2 && ref[0] instanceof ComponentGraph && typeof ref[1] === "string") {
    return ref[0].boxNamed(ref[1]);
  }
  throw new BadLinkError(`link ${role} must be a box or [component, "boxname"], got ${describeValue(ref)}`);
}

/** Break a link this component made, and tell the observers (if any). */
function unlinked(l: Linkage): void {
  if (!l.active) return;
  breakLink(l);
  if (observer !== null) observer.unlinked(l);
}

/**
 * Tell the system a component never activated was sent something: its
 * parent's system, else that of a component feeding it, else the default.
 * (Only on this rare path; a delivery to an active component costs nothing more.)
 */
export function noteUnstarted(c: ComponentGraph): void {
  c._flags |= NOTED;
  let sys: System | null = null;
  for (let p = c.parent; p !== null && sys === null; p = p.parent) sys = p.system;
  if (sys === null) sys = upstreamSystem(c);
  sys ??= System.default;
  if (c._id === 0) c._id = sys.nextId();
  sys.unstarted(c as AnyComponent);
}

function upstreamSystem(c: ComponentGraph): System | null {
  const seen = new Set<Box>();
  const todo: Box[] = [...c.inboxes()];
  while (todo.length > 0) {
    const b = todo.pop()!;
    if (seen.has(b)) continue;
    seen.add(b);
    const owner = b.owner as { system?: System | null };
    if (owner.system) return owner.system;
    if (b.sources !== null) todo.push(...b.sources);
  }
  return null;
}
