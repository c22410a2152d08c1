/**
 * StatefulTransformer: a reducer over the message stream.
 *
 * @module
 */
import { Component, type Wait } from "../core/component.js";
import { ErrorInformation } from "../core/ipc.js";
import { ArgumentError, MessageError, reason } from "./errors.js";

/** What a step returns: the next state and, optionally, a message to send. */
export type Step<S, B> = readonly [state: S, output?: B];

/**
 * Threads a state through the stream, reducer-style: for each message,
 * `[state, output] = step(state, message)`, and `output` is sent unless it is
 * `undefined`. On `producerFinished`, once every waiting message is handled,
 * `flush(state)` (if given) may send one last message, e.g. a total.
 * If `step` throws, the state is left as it was, the message is reported as
 * an `ErrorInformation` on `error`, and the component carries on.
 *
 * Boxes: `inbox` A → `outbox` B (waits for room when downstream is bounded);
 * `error`: ErrorInformation for each message the step threw on;
 * `control`/`signal`: the shared shutdown convention (a stop skips `flush`).
 */
export class StatefulTransformerComponent<S, A = unknown, B = unknown> extends Component<A, B> {
  static override inboxes = {
    inbox: "messages to fold into the state",
    control: "producerFinished (handle what is waiting, flush, then stop) or shutdownMicroprocess (stop now)",
  };
  static override outboxes = {
    outbox: "the outputs of step (and of flush at the end)",
    signal: "the shutdown message received, passed on",
    error: "ErrorInformation for each message the step threw on (the message is in it)",
  };

  /** Where failures of the step on single messages are reported. */
  readonly error = this.addOutbox<ErrorInformation>("error");
  /** The current state. */
  state: S;
  private readonly reducer: (state: S, message: A) => Step<S, B>;
  private readonly flush: ((state: S) => B | undefined) | undefined;

  /** @throws ArgumentError if `step` (or a given `flush`) is not a function. */
  constructor(initial: S, step: (state: S, message: A) => Step<S, B>, flush?: (state: S) => B | undefined) {
    super();
    if (typeof step !== "function") throw new ArgumentError(this.name, "the step", "a function (state, message) => [state, output?]", step);
    if (flush !== undefined && typeof flush !== "function") throw new ArgumentError(this.name, "flush", "a function (state) => output", flush);
    this.state = initial;
    this.reducer = step;
    this.flush = flush;
  }

  *main(): Generator<unknown, void, unknown> {
    // processMessages passes shutdown on itself; flush must come before that, so the loop is written out.
    const inbox = this.inbox;
    for (;;) {
      while (inbox.length > 0) {
        if (this.dataReady("control") > 0 && this.checkShutdown() === "stop") break;
        yield* this.handle(inbox.take());
      }
      const kind = this.checkShutdown();
      if (kind === "stop") break;
      if (kind === "finish" && inbox.length === 0) {
        yield* this.finish();
        break;
      }
      this.pause();
      yield;
    }
    this.passOnShutdown();
  }

  private *finish(): Wait {
    if (this.flush === undefined) return;
    let last: B | undefined;
    try {
      last = this.flush(this.state);
    } catch (e) {
      const err = new MessageError(this.name, "control", `(producerFinished) made flush throw (${reason(e)})`, e);
      yield* this.waitSend(new ErrorInformation(this, err), this.error);
      return;
    }
    if (last !== undefined) yield* this.waitSend(last);
  }

  private *handle(message: A): Wait {
    let result: Step<S, B>;
    try {
      result = this.reducer(this.state, message);
      if (!Array.isArray(result)) throw new TypeError(`the step returned ${typeof result}, not [state, output?]`);
    } catch (e) {
      const err = new MessageError(this.name, "inbox", `made the step throw (${reason(e)})`, e);
      yield* this.waitSend(new ErrorInformation(this, err, message), this.error);
      return;
    }
    this.state = result[0];
    if (result.length > 1 && result[1] !== undefined) yield* this.waitSend(result[1]);
  }
}

/**
 * Make a {@link StatefulTransformerComponent}:
 * `StatefulTransformer(0, (sum, n: number) => [sum + n, sum + n])` sends running totals.
 */
export function StatefulTransformer<S, A, B>(
  initial: S,
  step: (state: S, message: A) => Step<S, B>,
  flush?: (state: S) => B | undefined,
): StatefulTransformerComponent<S, A, B> {
  return new StatefulTransformerComponent<S, A, B>(initial, step, flush);
}
