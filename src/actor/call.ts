/**
 * ActorCall: the message a proxy puts in an actor's inbox.
 *
 * @module
 */

/** How a call's future is settled (proxies and RemoteActor make these). */
export interface Reply {
  /** Settle the future with the method's result. */
  resolve(value: unknown): void;
  /** Reject the future. */
  reject(error: unknown): void;
}

/**
 * A method call travelling to an actor: the method's name, its arguments,
 * who sent it, and (for a call, not a notify) how to settle the caller's
 * future. Proxies make these; a plain component linked to an actor's inbox
 * can send `new ActorCall("greet", ["Ann"])` itself (a notify: no answer).
 */
export class ActorCall {
  #reply: Reply | null;
  #expired = false;

  constructor(
    /** The method to run. */
    readonly method: string,
    /** Its arguments. */
    readonly args: readonly unknown[] = [],
    /** Who sent it (an actor's name, or a description), for messages. */
    readonly from = "",
    reply: Reply | null = null,
  ) {
    this.#reply = reply;
  }

  /** Whether the caller waits for an answer (a call) or not (a notify, an output). */
  get wantsAnswer(): boolean {
    return this.#reply !== null;
  }

  /** True once the caller stopped waiting (its timeout passed): the actor skips the call if it has not started it. */
  get expired(): boolean {
    return this.#expired;
  }

  /** @internal The caller's timeout passed. */
  expire(): void {
    this.#expired = true;
    this.#reply = null;
  }

  /** @internal Settle the caller's future with the result. */
  answer(value: unknown): void {
    const r = this.#reply;
    this.#reply = null;
    r?.resolve(value);
  }

  /** @internal Reject the caller's future; false if there is no caller waiting (a notify), so the actor reports it instead. */
  fail(error: unknown): boolean {
    const r = this.#reply;
    if (r === null) return false;
    this.#reply = null;
    r.reject(error);
    return true;
  }
}
