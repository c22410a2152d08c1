/**
 * FramingComponent: the loop every framer and deframer shares.
 *
 * @module
 */
import type { Outbox } from "../core/box.js";
import { Component, type Wait } from "../core/component.js";
import { ErrorInformation } from "../core/ipc.js";
import type { FramingError } from "./errors.js";

/** What a framer does with a bad frame: `"fail"` throws (closing the connection under a ServerCore), `"skip"` reports it and carries on. */
export type BadFramePolicy = "fail" | "skip";

/**
 * Base of the framers and deframers. Subclasses say how to handle one
 * message (`frame`) and what to send when the input ends (`flush`); this
 * class runs the standard shutdown loop: on `producerFinished` every waiting
 * message is handled and `flush` runs before the message is passed on; on
 * `shutdownMicroprocess` it stops at once. Output is sent with `waitSend`,
 * so a bounded downstream is never overrun.
 *
 * Bad frames (too long, malformed, of the wrong type) are handled by
 * `onBadFrame`: `"fail"` (the default) throws the {@link FramingError}, so the
 * component fails with a ComponentFailure naming it (under a ServerCore,
 * that connection is closed with that reason and the others carry on);
 * `"skip"` sends an `ErrorInformation` carrying the error and the offending
 * message out of `errors`, drops the bad frame and carries on.
 */
export abstract class FramingComponent<In, Out> extends Component<In, Out> {
  static override outboxes = {
    outbox: "the framed or deframed messages",
    signal: "the shutdown message received, passed on after the last message",
    errors: "ErrorInformation for each bad frame skipped (onBadFrame: \"skip\")",
  };

  /** What to do with a bad frame. */
  onBadFrame: BadFramePolicy = "fail";
  /** Bad frames skipped so far. */
  badFrames = 0;
  /** ErrorInformation about each bad frame skipped. */
  readonly errors: Outbox<ErrorInformation> = this.addOutbox<ErrorInformation>("errors");

  /** Handle one message from `inbox`. */
  protected abstract frame(message: In): Wait;

  /** Send whatever is left when the input ends. */
  protected *flush(): Wait {}

  /** Report a bad frame according to `onBadFrame`. @throws the error when the policy is `"fail"`. */
  protected bad(error: FramingError, message?: unknown): void {
    if (this.onBadFrame === "fail") throw error;
    this.badFrames++;
    this.trySend(new ErrorInformation(this, error, message), this.errors);
  }

  *main(): Wait<void> {
    for (;;) {
      while (this.dataReady() > 0) {
        if (this.checkShutdown() === "stop") break;
        yield* this.frame(this.recv());
      }
      const kind = this.checkShutdown();
      if (kind === "stop") break;
      if (kind === "finish" && this.dataReady() === 0) {
        yield* this.flush();
        break;
      }
      this.pause();
      yield;
    }
    this.passOnShutdown();
  }
}

/** `m` as a Buffer, or null if it is not bytes or a string. */
export function asBuffer(m: unknown): Buffer | null {
  if (Buffer.isBuffer(m)) return m;
  if (typeof m === "string") return Buffer.from(m);
  if (m instanceof Uint8Array) return Buffer.from(m.buffer, m.byteOffset, m.byteLength);
  return null;
}

/** A few words saying what `m` is, for error messages. */
export function describe(m: unknown): string {
  if (m === null) return "null";
  if (m === undefined) return "undefined";
  if (typeof m === "object") return `an object (${(m as object).constructor?.name ?? "Object"})`;
  return `a ${typeof m}`;
}
