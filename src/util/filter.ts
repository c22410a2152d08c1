/**
 * Filter: pass on only the messages a predicate accepts.
 *
 * @module
 */
import { Component, type Wait } from "../core/component.js";
import { ErrorInformation } from "../core/ipc.js";
import { ArgumentError, MessageError, reason } from "./errors.js";

/**
 * Sends on each message for which `predicate(message)` is true, in order,
 * and drops the rest. If the predicate throws, the message is reported as an
 * `ErrorInformation` on `error` and the component carries on.
 *
 * Boxes: `inbox` T → `outbox` the accepted messages (waits for room when
 * downstream is bounded); `error`: ErrorInformation for each message the
 * predicate threw on; `control`/`signal`: the shared shutdown convention.
 */
export class FilterComponent<T = unknown, Out extends T = T> extends Component<T, Out> {
  static override inboxes = {
    inbox: "messages to test",
    control: "producerFinished (test what is waiting, then stop) or shutdownMicroprocess (stop now)",
  };
  static override outboxes = {
    outbox: "the messages the predicate accepted, unchanged",
    signal: "the shutdown message received, passed on",
    error: "ErrorInformation for each message the predicate threw on (the message is in it)",
  };

  /** Where failures of the predicate on single messages are reported. */
  readonly error = this.addOutbox<ErrorInformation>("error");
  /** The test each message must pass. */
  readonly predicate: (message: T) => boolean;

  /** @throws ArgumentError if `predicate` is not a function. */
  constructor(predicate: (message: T) => boolean) {
    super();
    if (typeof predicate !== "function") throw new ArgumentError(this.name, "the condition", "a function (message) => boolean", predicate);
    this.predicate = predicate;
  }

  *main(): Generator<unknown, void, unknown> {
    yield* this.processMessages((m) => this.handle(m));
  }

  private *handle(message: T): Wait {
    let pass: boolean;
    try {
      pass = this.predicate(message);
    } catch (e) {
      const err = new MessageError(this.name, "inbox", `made the condition throw (${reason(e)})`, e);
      yield* this.waitSend(new ErrorInformation(this, err, message), this.error);
      return;
    }
    if (pass) yield* this.waitSend(message as Out);
  }
}

/**
 * Make a {@link FilterComponent}: `Filter((n: number) => n % 2 === 0)`. A
 * type guard narrows the output type: `Filter((x: unknown): x is string => typeof x === "string")`.
 */
export function Filter<T, Out extends T>(predicate: (message: T) => message is Out): FilterComponent<T, Out>;
export function Filter<T>(predicate: (message: T) => boolean): FilterComponent<T, T>;
export function Filter<T>(predicate: (message: T) => boolean): FilterComponent<T, T> {
  return new FilterComponent<T, T>(predicate);
}
