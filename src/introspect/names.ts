/**
 * Ids and names for components of several systems at once.
 *
 * A component's own id is unique only within its system (each system counts
 * from 1), so an Introspector watching two systems would see two
 * `Pipeline_1`s with the same id, links whose ids collide, and a graph that
 * merges them. {@link SystemNames} numbers the systems in the order it first
 * meets them (an Introspector's own system, or for `"all"` the first one
 * seen, is system 1) and names components apart:
 *
 * - a component of system 1 keeps its own id and name, so watching one
 *   system shows exactly the component's `id` and `name`;
 * - a component of any other system gets a negative id, -1, -2, … in the
 *   order first met (never one that system 1 can give), kept for as long as
 *   the component lives, and its name followed by `@N`, N being its system's
 *   number (`Keeper_3@2`).
 *
 * @module
 */
import type { AnyComponent, System } from "../core/index.js";
import type { ComponentNames } from "./describe.js";

/** Names components of several systems apart; see the module comment. */
export class SystemNames implements ComponentNames {
  readonly #numbers = new Map<System, number>();
  readonly #ids = new WeakMap<AnyComponent, number>();
  #next = -1;

  /** `first`, when given, is system 1. */
  constructor(first?: System) {
    if (first !== undefined) this.number(first);
  }

  /** The number of `system`: 1 for the first met, then 2, 3… in order. */
  number(system: System): number {
    let n = this.#numbers.get(system);
    if (n === undefined) {
      n = this.#numbers.size + 1;
      this.#numbers.set(system, n);
    }
    return n;
  }

  /** The number `system` has been given, if it has been met. */
  numbered(system: System): number | undefined {
    return this.#numbers.get(system);
  }

  /** The id reported for `c`: its own in system 1 (or before activation, when it is 0), else one given here. */
  idOf(c: AnyComponent): number {
    const s = c.system;
    if (s === null || c.id === 0 || this.number(s) === 1) return c.id;
    let id = this.#ids.get(c);
    if (id === undefined) {
      id = this.#next--;
      this.#ids.set(c, id);
    }
    return id;
  }

  /** The name reported for `c`: its own in system 1, else followed by `@` and its system's number. */
  nameOf(c: AnyComponent): string {
    const s = c.system;
    if (s === null) return c.name;
    const n = this.number(s);
    return n === 1 ? c.name : `${c.name}@${n}`;
  }
}
