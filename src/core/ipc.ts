/**
 * Control messages (Axon's `Ipc`). They travel `signal` → `control` between
 * components; a component recognises them with `instanceof`, which respects
 * subclasses (a `socketShutdown` is a `ProducerFinished`).
 *
 * @module
 */

/** Base class of every control message. */
export class Ipc {}

/**
 * "My input is done: finish your work and pass it on." A receiver usually
 * drains what is waiting, forwards this message on `signal`, and ends.
 */
export class ProducerFinished extends Ipc {
  constructor(
    /** The component that finished producing, when known. */
    readonly caller?: object,
    /** An optional payload. */
    readonly message?: unknown,
  ) {
    super();
  }
}

/** "Stop now, and pass it on." A receiver forwards this message on `signal` and ends at once. */
export class ShutdownMicroprocess extends Ipc {
  constructor(
    /** The component that asked for the stop, when known. */
    readonly caller?: object,
  ) {
    super();
  }
}

/** A non-fatal error report, sent on `signal` or an error outbox. */
export class ErrorInformation extends Ipc {
  constructor(
    /** The component reporting. */
    readonly caller: object | undefined,
    /** What went wrong. */
    readonly error: Error,
    /** The message being handled when it went wrong, if any. */
    readonly message?: unknown,
  ) {
    super();
  }
}

/** What a `control` inbox and a `signal` outbox carry. */
export type ControlMessage = Ipc;

/** Make a {@link ProducerFinished} (Axon's `producerFinished(caller)`). */
export function producerFinished(caller?: object, message?: unknown): ProducerFinished {
  return new ProducerFinished(caller, message);
}

/** Make a {@link ShutdownMicroprocess} (Axon's `shutdownMicroprocess()`). */
export function shutdownMicroprocess(caller?: object): ShutdownMicroprocess {
  return new ShutdownMicroprocess(caller);
}
