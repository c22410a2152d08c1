/**
 * The actor wire protocol: calls and answers as plain data, for an actor
 * running where closures cannot reach (a worker thread, a child process).
 * An Actor answers a {@link WireCall} in its inbox with a {@link WireReply}
 * out of its `replies` outbox; a {@link RemoteActor} speaks the other side.
 *
 * @module
 */

/** A call as data: `actorCall` is the caller's id for the answer (0: a notify, no answer). */
export interface WireCall {
  /** The caller's id for the answer; 0 for a notify. */
  readonly actorCall: number;
  /** The method to run. */
  readonly method: string;
  /** Its arguments. */
  readonly args: readonly unknown[];
  /** Who called, for messages. */
  readonly from: string;
}

/** An error as data. */
export interface WireError {
  /** The error's class name. */
  readonly name: string;
  /** Its message. */
  readonly message: string;
  /** Its Kamaelia `code`, if it had one. */
  readonly code?: string | undefined;
  /** Its stack, where it was thrown. */
  readonly stack?: string | undefined;
}

/** The answer to the WireCall with the same id: a value, or an error. */
export interface WireReply {
  /** The id of the WireCall answered. */
  readonly actorReply: number;
  /** The method's result, when it succeeded. */
  readonly value?: unknown;
  /** What went wrong, when it failed. */
  readonly error?: WireError;
}

/** Whether `m` is a {@link WireCall}. */
export function isWireCall(m: unknown): m is WireCall {
  const w = m as Partial<WireCall> | null;
  return typeof w === "object" && w !== null && typeof w.actorCall === "number" && typeof w.method === "string" && Array.isArray(w.args);
}

/** Whether `m` is a {@link WireReply}. */
export function isWireReply(m: unknown): m is WireReply {
  return typeof m === "object" && m !== null && typeof (m as Partial<WireReply>).actorReply === "number";
}

/** An error (or anything thrown) as data. */
export function toWireError(e: unknown): WireError {
  if (e instanceof Error) return { name: e.name, message: e.message, code: (e as { code?: unknown }).code as string | undefined, stack: e.stack };
  return { name: "Error", message: String(e) };
}
