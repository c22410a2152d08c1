/**
 * The errors of the actor layer. Each names the actor and, for a call, the
 * method, so a rejected future read in a log says what failed and where.
 *
 * @module
 */
import { KamaeliaError } from "../core/index.js";

/** `greeter.greet()`: how calls are named in messages. */
export function callName(actor: string, method: string): string {
  return `${actor}.${method}()`;
}

/** No actor of that name was registered in time (a call waits up to its timeout; a notify does not wait). */
export class NoSuchActorError extends KamaeliaError {
  /** The name asked for. */
  readonly actor: string;

  constructor(actor: string, method: string, why: string, registered: readonly string[]) {
    super("NO_SUCH_ACTOR", `${callName(actor, method)}: ${why} (actors registered: ${registered.join(", ") || "none"})`);
    this.actor = actor;
  }
}

/** A call got no answer within its timeout. If the actor had not started it, it never will. */
export class ActorTimeoutError extends KamaeliaError {
  /** The actor called. */
  readonly actor: string;
  /** The method called. */
  readonly method: string;

  constructor(actor: string, method: string, ms: number) {
    super(
      "ACTOR_TIMEOUT",
      `${callName(actor, method)} got no answer within ${ms} ms (${actor} is busy, blocked, or waiting for a call back to its caller; ` +
        `if it had not started the call, it will not run it)`,
    );
    this.actor = actor;
    this.method = method;
  }
}

/** The actor has no such method (or it is one of the reserved Component/Actor/Task members). */
export class NoSuchMethodError extends KamaeliaError {
  constructor(actor: string, method: string, methods: readonly string[]) {
    super("NO_SUCH_METHOD", `${actor} has no method "${method}" (its methods: ${methods.join(", ") || "none"})`);
  }
}

/** A Task's current State does not handle the method called. */
export class UnhandledCallError extends KamaeliaError {
  constructor(actor: string, method: string, state: string, handles: readonly string[]) {
    super("UNHANDLED_CALL", `${actor}: its state ${state} does not handle "${method}" (${state} handles: ${handles.join(", ") || "nothing"})`);
  }
}

/** The method threw (or its promise rejected); `cause` is the original error. The actor carries on. */
export class ActorCallError extends KamaeliaError {
  constructor(actor: string, method: string, where: string, cause: unknown) {
    const why = cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
    super("CALL_FAILED", `${callName(actor, method)} threw${where}: ${why}`, { cause });
  }
}

/** The actor stopped before answering the call, or its inbox refused it. */
export class ActorStoppedError extends KamaeliaError {
  constructor(actor: string, method: string, why: string) {
    super("ACTOR_STOPPED", `${callName(actor, method)}: ${why}`);
  }
}

/** A Task's start-up or stop hook failed; `cause` is the original error. The task fails (a supervisor may restart it). */
export class TaskLifecycleError extends KamaeliaError {
  constructor(task: string, hook: string, cause: unknown) {
    const why = cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
    super("TASK_FAILED", `${task} failed in ${hook}: ${why}`, { cause });
  }
}

/** A bad argument to the actor API (a name that is not a string, a bad timeout, a State that is not an object). */
export class ActorArgumentError extends KamaeliaError {
  constructor(message: string) {
    super("BAD_ARGUMENT", message);
  }
}

/** A short description of a value, for error messages. */
export function describe(x: unknown): string {
  if (x === undefined || x === null) return String(x);
  if (typeof x === "function") return `a function (${x.name || "anonymous"})`;
  if (typeof x === "object") return `an object (${(x as object).constructor?.name ?? "Object"})`;
  if (typeof x === "string") return `a string (${JSON.stringify(x.slice(0, 40))})`;
  return `a ${typeof x} (${String(x).slice(0, 40)})`;
}

/** Check a timeout option: a number of milliseconds ≥ 0, or Infinity. */
export function checkTimeout(where: string, ms: unknown): number {
  if (typeof ms !== "number" || Number.isNaN(ms) || ms < 0) throw new ActorArgumentError(`${where}: timeout must be a number of milliseconds ≥ 0 (or Infinity), got ${describe(ms)}`);
  return ms;
}

/**
 * A call to a RemoteActor failed on the other side (of a thread or process):
 * `code` and `message` are the remote error's (an `ActorCallError`'s
 * `CALL_FAILED`, a `NoSuchMethodError`'s `NO_SUCH_METHOD`, …), and `stack`
 * carries the remote stack.
 */
export class RemoteActorError extends KamaeliaError {
  constructor(error: { name: string; message: string; code?: string | undefined; stack?: string | undefined }) {
    super(error.code ?? "CALL_FAILED", error.message);
    if (error.stack !== undefined) this.stack = `${this.name}: ${this.message}\n  on the remote side: ${error.stack}`;
  }
}
