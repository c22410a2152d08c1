/**
 * EventSource and EventSink: between EventEmitters and boxes.
 *
 * ```ts
 * Pipeline(new EventSource(socket, "message", { end: "close" }), new Printer()).activate();
 * ```
 *
 * @module
 */
import type { EventEmitter } from "node:events";
import { Component } from "../core/component.js";
import { KamaeliaError } from "../core/errors.js";
import { ErrorInformation } from "../core/ipc.js";
import { StreamError } from "./errors.js";
import { Wakeup } from "../support/wakeup.js";

/** Settings of an {@link EventSource}. */
export interface EventSourceOptions {
  /** An event that means "no more events": the source then sends what it holds and finishes. */
  end?: string;
  /** An event that means failure (default `"error"`): the source fails with a StreamError. Set to null to not listen. */
  error?: string | null;
  /** Send every argument of each event as an array, instead of the first argument alone. */
  allArgs?: boolean;
}

/**
 * Sends the payload of each `event` an EventEmitter emits out of `outbox`,
 * in order (the first argument, or all of them as an array with `allArgs`).
 *
 * An emitter cannot be paused, so events that arrive while downstream is
 * full are held in order in the component (`held` says how many) and sent
 * as room appears; none is dropped. The listeners are removed when it ends.
 *
 * Shutdown: the `end` event or `producerFinished` sends what is held, then
 * finishes; `shutdownMicroprocess` stops at once (what is held is dropped).
 * The message (or a new `producerFinished` on the `end` event) is passed on
 * out of `signal`. The `error` event makes it fail with a
 * {@link StreamError} naming the component.
 */
export class EventSource<M = unknown> extends Component<never, M> {
  static override inboxes = {
    inbox: "unused",
    control: "producerFinished (send what is held, then stop) or shutdownMicroprocess (stop now)",
  };
  static override outboxes = {
    outbox: "the payload of each event, in order",
    signal: "producerFinished after the end event, or the shutdown message received",
  };

  /** Events received and not yet sent. */
  get held(): number {
    return this.#queue.length;
  }

  readonly #queue: unknown[] = [];
  readonly #options: EventSourceOptions;

  constructor(
    /** The emitter to listen to. */
    readonly emitter: EventEmitter,
    /** The event whose payloads are sent. */
    readonly event: string,
    options: EventSourceOptions = {},
  ) {
    super();
    if (typeof emitter?.on !== "function") {
      throw new KamaeliaError("BAD_ARGUMENT", `${this.name}: the emitter must be an EventEmitter (something with on/off), got ${emitter === null ? "null" : typeof emitter}`);
    }
    this.#options = options;
    // Listen for errors from the start: an 'error' emitted before main runs would otherwise be thrown by the emitter.
    const errorEvent = options.error === undefined ? "error" : options.error;
    if (errorEvent !== null) {
      this.#early = (e: unknown) => {
        this.#earlyError ??= { error: e };
      };
      emitter.on(errorEvent, this.#early);
    }
  }

  #early: ((e: unknown) => void) | null = null;
  #earlyError: { error: unknown } | null = null;

  async main(): Promise<void> {
    const { emitter, event } = this;
    const wake = new Wakeup(this);
    const q = this.#queue;
    let ended = false;
    let failure: unknown = null;
    const onEvent = (...args: unknown[]): void => {
      q.push(this.#options.allArgs ? args : args[0]);
      wake.poke();
    };
    const onEnd = (): void => {
      ended = true;
      wake.poke();
    };
    const onError = (e: unknown): void => {
      failure = e;
      wake.poke();
    };
    const errorEvent = this.#options.error === undefined ? "error" : this.#options.error;
    emitter.on(event, onEvent);
    if (this.#options.end) emitter.on(this.#options.end, onEnd);
    if (errorEvent !== null) emitter.on(errorEvent, onError);
    if (errorEvent !== null && this.#early !== null) emitter.off(errorEvent, this.#early);
    if (this.#earlyError !== null) failure = this.#earlyError.error;
    try {
      for (;;) {
        const kind = this.checkShutdown();
        if (kind === "stop") break;
        if (failure !== null) throw new StreamError(this.name, `EventEmitter ("${errorEvent}" event)`, failure);
        if (q.length > 0) {
          await this.sendAsync(q.shift() as M);
          continue;
        }
        if (kind === "finish" || ended) break;
        await wake.wait([this.control]);
      }
    } finally {
      emitter.off(event, onEvent);
      if (this.#options.end) emitter.off(this.#options.end, onEnd);
      if (errorEvent !== null) emitter.off(errorEvent, onError);
    }
    this.passOnShutdown();
  }
}

/**
 * Emits each message from `inbox` as `event` on an EventEmitter, in order.
 *
 * A listener that throws does not kill the sink: the error goes out of
 * `error` as {@link ErrorInformation} (with the message attached) and the
 * next message is emitted as usual.
 *
 * Shutdown: `producerFinished` emits everything waiting, then stops;
 * `shutdownMicroprocess` stops at once. Either is passed on out of `signal`.
 */
export class EventSink<M = unknown> extends Component<M, never> {
  static override inboxes = {
    inbox: "payloads to emit, one event each",
    control: "producerFinished (emit what is waiting, then stop) or shutdownMicroprocess (stop now)",
  };
  static override outboxes = {
    outbox: "unused",
    signal: "the shutdown message received",
    error: "ErrorInformation for each emit whose listener threw (the message attached)",
  };

  /** Listener failures, as {@link ErrorInformation}. */
  readonly error = this.addOutbox<ErrorInformation>("error");

  constructor(
    /** The emitter to emit on. */
    readonly emitter: EventEmitter,
    /** The event to emit. */
    readonly event: string,
  ) {
    super();
  }

  *main(): Generator<unknown, void, unknown> {
    yield* this.processMessages((m) => {
      try {
        this.emitter.emit(this.event, m);
      } catch (e) {
        const err = new KamaeliaError(
          "LISTENER_FAILED",
          `${this.name}: a listener for "${this.event}" threw: ${e instanceof Error ? e.message : String(e)}`,
          { cause: e },
        );
        return this.waitSend(new ErrorInformation(this, err, m), this.error);
      }
    });
  }
}
