/**
 * BoardStage: what the bulletin board's Seq stages have in common.
 *
 * @module
 */
import { Component, ErrorInformation, type Wait } from "../../src/index.js";
import { plainText } from "./plain-text.js";
import type { BoardState } from "./state.js";
import { STORE_SERVICE, type StoreOp, type StoreOps, type StoreReply, type StoreRequest } from "./store.js";

/** What a stage reads: lines the user typed, and reports of lines the LineDeFramer skipped. */
export type StageInput = string | ErrorInformation;

/** Thrown inside a stage when it is told to stop; ends the stage quietly. */
export class StageStopped extends Error {}

/**
 * A phase of one connection's protocol, run by a Seq. It talks to the user
 * in lines and to the BoardStore (found in the services registry) by
 * request and reply, and shares a {@link BoardState} with the other phases.
 *
 * Boxes: `inbox` takes the user's lines (and ErrorInformation for lines too
 * long to read, answered with a notice); `outbox` carries the lines to send
 * the user; `replies` takes the store's answers. Shutdown: when input ends
 * (`producerFinished`) the stage stops waiting for more and finishes its
 * phase as if the user had left; `shutdownMicroprocess` ends it at once.
 * Either is passed on from `signal` (the Seq keeps it from going further).
 */
export abstract class BoardStage extends Component<StageInput, string> {
  static override inboxes = {
    inbox: "the user's lines; ErrorInformation for a line that was too long and was skipped",
    control: "producerFinished: the user has gone, finish this phase; shutdownMicroprocess: stop now",
  };
  static override outboxes = { outbox: "lines for the user", signal: "the shutdown message, or producerFinished when the phase is done" };

  /** The store's answers to this stage's requests. */
  readonly replies = this.addInbox<StoreReply>("replies", "the BoardStore's answers to this stage's requests");

  constructor(
    /** Shared with the connection's other stages. */
    readonly state: BoardState,
  ) {
    super();
  }

  *main(): Wait {
    try {
      yield* this.phase();
    } catch (e) {
      if (!(e instanceof StageStopped)) throw e;
    }
    // Finishing in this same step, so nothing more can be handed over after this.
    while (this.dataReady() > 0) this.state.pending.push(this.recv());
    this.passOnShutdown();
  }

  /** This stage's part of the conversation. */
  protected abstract phase(): Wait;

  /** Send lines to the user, waiting for room. */
  protected *say(...lines: string[]): Wait {
    for (const line of lines) yield* this.waitSend(line);
  }

  /**
   * The next line the user types, or null once input has ended, without
   * control characters or terminal escape sequences (see {@link plainText}),
   * so nothing one user sends can act on another's terminal. A line the
   * LineDeFramer skipped for being too long is answered here, and the wait goes on.
   * @throws StageStopped on shutdownMicroprocess.
   */
  protected *nextLine(): Wait<string | null> {
    for (;;) {
      const pending = this.state.pending;
      if (pending.length > 0 || this.dataReady() > 0) {
        const m = pending.length > 0 ? pending.shift()! : this.recv();
        if (typeof m === "string") return plainText(m);
        yield* this.say(`Line ignored: ${m.error.message}.`);
        continue;
      }
      const kind = this.checkShutdown();
      if (kind === "stop") throw new StageStopped();
      if (kind === "finish") return null;
      this.pause();
      yield;
    }
  }

  /**
   * Ask the store and wait for its answer.
   * @throws StageStopped on shutdownMicroprocess; the store's error if it could not do it.
   */
  protected *ask<K extends StoreOp>(op: K, args: StoreOps[K]["args"]): Wait<StoreOps[K]["result"]> {
    const store = yield* this.waitService(STORE_SERVICE);
    const request: StoreRequest<K> = { op, args, reply: this.replies };
    store.inbox.deliver(request, this.name);
    for (;;) {
      if (this.replies.length > 0) {
        const reply = this.replies.take();
        if (!reply.ok) throw reply.error;
        return reply.value as StoreOps[K]["result"];
      }
      if (this.checkShutdown() === "stop") throw new StageStopped();
      this.pause();
      yield;
    }
  }
}
