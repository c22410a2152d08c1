/**
 * Where actors are found: by name, in their system's services registry
 * (Axon's CAT), and who observes whom, per system.
 *
 * @module
 */
import type { AnyComponent, System } from "../core/index.js";
import { ActorArgumentError, describe } from "./errors.js";

/** @internal Marks a component as an actor, without importing the Actor class (which imports this module). */
export const ACTOR: unique symbol = Symbol("kamaelia.actor");

/** @internal What the registry needs of an actor. */
export interface ActorLike extends AnyComponent {
  readonly [ACTOR]: true;
  /** The default timeout of calls to it. */
  readonly callTimeout: number;
}

function isActor(c: AnyComponent): c is ActorLike {
  return (c as unknown as Partial<ActorLike>)[ACTOR] === true;
}

/** Check an actor name: a non-empty string. */
export function checkName(where: string, name: unknown): string {
  if (typeof name !== "string" || name === "") throw new ActorArgumentError(`${where}: an actor name must be a non-empty string, got ${describe(name)}`);
  return name;
}

/**
 * The live actor registered as `name`, or `null`. A registration left by an
 * actor that has finished is removed, so a successor can take the name.
 * @throws ActorArgumentError if `name` is a service that is not an actor.
 */
export function lookupActor(system: System, name: string): ActorLike | null {
  if (!system.services.has(name)) return null;
  const c = system.services.lookup(name).component;
  if (c.isFinished()) {
    system.services.deregister(name);
    return null;
  }
  if (!isActor(c)) throw new ActorArgumentError(`"${name}" is registered as a service of ${c.name}, which is not an actor`);
  return c;
}

/** The names of the live actors in `system`, for error messages. */
export function actorNames(system: System): string[] {
  return system.services.names().filter((n) => {
    const c = system.services.lookup(n).component;
    return isActor(c) && !c.isFinished();
  });
}

/** @internal Register `actor` as `name` (replacing a registration left by a finished actor). */
export function registerActor(system: System, name: string, actor: ActorLike): void {
  lookupActor(system, name); // clears a stale registration
  system.services.register(name, actor, "inbox");
}

/** @internal Remove `actor`'s registration, if it still holds it. */
export function deregisterActor(system: System, name: string, actor: ActorLike): void {
  if (system.services.has(name) && system.services.lookup(name).component === actor) system.services.deregister(name);
}

const observing = new WeakMap<System, Map<string, Set<string>>>();

/** The names of the actors observing `name`. */
export function observersOf(system: System, name: string): ReadonlySet<string> {
  return observing.get(system)?.get(name) ?? new Set();
}

/** @internal `observer` hears `observed`'s outputs from now on (by name, so either may be restarted). */
export function addObserver(system: System, observed: string, observer: string): void {
  let table = observing.get(system);
  if (table === undefined) observing.set(system, (table = new Map()));
  let set = table.get(observed);
  if (set === undefined) table.set(observed, (set = new Set()));
  set.add(observer);
}

/** @internal `observer` stops hearing `observed` (or everyone, when `observed` is not given). */
export function removeObserver(system: System, observer: string, observed?: string): void {
  const table = observing.get(system);
  if (table === undefined) return;
  for (const [name, set] of table) if (observed === undefined || name === observed) set.delete(observer);
}
