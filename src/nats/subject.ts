/**
 * NATS subjects: what is legal, and the subject a backplane uses.
 *
 * @module
 */
import { NatsArgumentError } from "./errors.js";

/** The subject prefix of backplanes: a backplane called `CHAT` is `kamaelia.bp.CHAT`. */
export const BACKPLANE_PREFIX = "kamaelia.bp.";

/**
 * Check a subject to publish or subscribe on: dot-separated tokens, none
 * empty, no whitespace; wildcards (`*` a whole token, `>` the last token)
 * only where `wildcards` allows them (subscribing).
 * @throws NatsArgumentError naming the component and what is wrong.
 */
export function checkSubject(component: string, subject: unknown, wildcards: boolean, what = "subject"): string {
  const bad = (why: string): never => {
    throw new NatsArgumentError(`${component}: ${what} ${JSON.stringify(subject) ?? String(subject)} is not a legal NATS subject: ${why}`);
  };
  if (typeof subject !== "string" || subject === "") return bad("it must be a non-empty string");
  if (/[\s\0]/.test(subject)) bad("it contains whitespace");
  const tokens = subject.split(".");
  tokens.forEach((t, i) => {
    if (t === "") bad("it has an empty token (a leading, trailing or doubled '.')");
    if (t.includes("*") && t !== "*") bad(`'*' must be a whole token, in "${t}"`);
    if (t.includes(">") && (t !== ">" || i !== tokens.length - 1)) bad(`'>' must be the whole last token, in "${t}"`);
    if (!wildcards && (t === "*" || t === ">")) bad("wildcards are only for subscribing");
  });
  return subject;
}

/** The subject of the backplane called `name` (one token or several; no wildcards). */
export function backplaneSubject(component: string, name: unknown): string {
  return checkSubject(component, typeof name === "string" ? BACKPLANE_PREFIX + name : name, false, `backplane name ${JSON.stringify(name)} gives subject`);
}

/** Check a queue group name (no spaces or wildcards); undefined passes. */
export function checkQueue(component: string, queue: unknown): string | undefined {
  if (queue !== undefined && (typeof queue !== "string" || queue === "" || /[\s*>]/.test(queue))) {
    throw new NatsArgumentError(`${component}: queue must be a group name without spaces or wildcards, got ${JSON.stringify(queue)}`);
  }
  return queue;
}

/** A whole number ≥ 1, or `fallback` when undefined. */
export function wholeNumber(component: string, what: string, v: unknown, fallback: number): number {
  const n = v ?? fallback;
  if (typeof n !== "number" || !Number.isInteger(n) || n < 1) throw new NatsArgumentError(`${component}: ${what} must be a whole number ≥ 1, got ${String(v)}`);
  return n;
}
