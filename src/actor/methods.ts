/**
 * Which methods of an actor (or of a Task's State) a caller may run.
 *
 * @module
 */

/** Prototypes whose members are never callable through a proxy (the base classes'), set by the Task module. */
const reserved: object[] = [Object.prototype];

/** @internal Mark a base class's prototype (with everything below it) as not callable. */
export function reserve(proto: object): void {
  reserved.unshift(proto);
}

function isReserved(name: string): boolean {
  if (name === "constructor" || name === "then" || name.startsWith("_")) return true;
  for (const p of reserved) if (name in p) return true;
  return false;
}

/** The method `name` of `target`, or `undefined` if it has none a caller may run. */
export function callable(target: object, name: string): ((...args: unknown[]) => unknown) | undefined {
  if (typeof name !== "string" || isReserved(name)) return undefined;
  const f: unknown = (target as Record<string, unknown>)[name];
  return typeof f === "function" ? (f as (...args: unknown[]) => unknown) : undefined;
}

/** The names of every method of `target` a caller may run, for error messages. */
export function methodNames(target: object): string[] {
  const names = new Set<string>();
  for (let o: object | null = target; o !== null && !reserved.includes(o); o = Object.getPrototypeOf(o) as object | null) {
    for (const k of Object.getOwnPropertyNames(o)) {
      const d = Object.getOwnPropertyDescriptor(o, k);
      if (d !== undefined && typeof d.value === "function" && !isReserved(k)) names.add(k);
    }
  }
  return [...names].sort();
}

/** A readable name for a State object: its class, or "a plain object". */
export function stateName(state: object): string {
  const c = (state as { constructor?: { name?: string } }).constructor;
  return c !== undefined && c !== Object && typeof c.name === "string" && c.name !== "" ? c.name : "(a plain object)";
}
