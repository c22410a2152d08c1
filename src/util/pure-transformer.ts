/**
 * PureTransformer: apply a function to every message.
 *
 * @module
 */
import { Component, type Wait } from "../core/component.js";
import { ErrorInformation } from "../core/ipc.js";
import { ArgumentError, MessageError, reason } from "./errors.js";

/**
 * Sends `transform(message)` for every message; a result of `undefined`
 * sends nothing (Kamaelia's `None`), so a PureTransformer can also filter.
 * If `transform` throws, the message is reported as an `ErrorInformation` on
 * `error` and the component carries on with the next one.
 *
 * Unlike Kamaelia's, it obeys `shutdownMicroprocess` as well as `producerFinished`.
 *
 * Boxes: `inbox` A → `outbox` B (waits for room when downstream is bounded);
 * `error`: ErrorInformation for each message the function threw on;
 * `control`/`signal`: the shared shutdown convention.
 */
export class PureTransformerComponent<A = unknown, B = unknown> extends Component<A, B> {
  static override inboxes = {
    inbox: "messages to transform",
    control: "producerFinished (transform what is waiting, then stop) or shutdownMicroprocess (stop now)",
  };
  static override outboxes = {
    outbox: "transform(message), unless it returned undefined",
    signal: "the shutdown message received, passed on",
    error: "ErrorInformation for each message the transform threw on (the message is in it)",
  };

  /** Where failures of the transform on single messages are reported. */
  readonly error = this.addOutbox<ErrorInformation>("error");
  /** The function applied to each message. */
  readonly transform: (message: A) => B | undefined;

  /** @throws ArgumentError if `transform` is not a function. */
  constructor(transform: (message: A) => B | undefined) {
    super();
    if (typeof transform !== "function") throw new ArgumentError(this.name, "the transform", "a function", transform);
    this.transform = transform;
  }

  *main(): Generator<unknown, void, unknown> {
    yield* this.processMessages((m) => this.handle(m));
  }

  private *handle(message: A): Wait {
    let out: B | undefined;
    try {
      out = this.transform(message);
    } catch (e) {
      const err = new MessageError(this.name, "inbox", `made the transform throw (${reason(e)})`, e);
      yield* this.waitSend(new ErrorInformation(this, err, message), this.error);
      return;
    }
    if (out !== undefined) yield* this.waitSend(out);
  }
}

/**
 * Make a {@link PureTransformerComponent}: `PureTransformer((x: number) => x * 2)`.
 * The message types are inferred from `fn`, so it type-checks inside a Pipeline.
 */
export function PureTransformer<A, B>(fn: (message: A) => B | undefined): PureTransformerComponent<A, B> {
  return new PureTransformerComponent<A, B>(fn);
}
