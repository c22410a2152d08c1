/**
 * Handle: use a running component from plain async code (Axon's Handle and
 * LikeFile, with promises and async iterators).
 *
 * ```ts
 * const h = new Handle(new Upper());
 * await h.put("hello");
 * console.log(await h.get());        // "HELLO"
 * await h.dispose();
 *
 * for await (const line of new Handle(Pipeline(new Follow(log), new Grep(/pants/)))) console.log(line);
 * ```
 *
 * @module
 */
import type { Inbox, Outbox } from "../core/box.js";
import { Component, type AnyComponent, type AsyncOptions } from "../core/component.js";
import { ComponentFailure, KamaeliaError } from "../core/errors.js";
import { type ControlMessage, producerFinished } from "../core/ipc.js";
import type { System } from "../core/system.js";
import type { InOf, OutOf } from "../core/types.js";

/** Settings of a {@link Handle}. */
export interface HandleOptions {
  /** The system to run the component on (default `System.default`). */
  system?: System;
  /** Most messages kept for `get` from `outbox` before the component is made to wait (default: no limit). */
  limit?: number;
}

/** The Handle's parent component: it owns the links and the boxes the Handle reads. Not used directly. */
class HandleComponent extends Component<unknown, unknown> {
  static override inboxes = {
    inbox: "unused",
    control: "unused",
    fromOutbox: "what the wrapped component sends from its outbox, kept for get()",
    fromSignal: "what the wrapped component sends from its signal, kept for get('signal')",
  };
  static override outboxes = {
    outbox: "unused",
    signal: "unused",
    toInbox: "what put() sends to the wrapped component's inbox",
    toControl: "what put(m, 'control') sends to the wrapped component's control",
  };
  readonly toInbox = this.addOutbox<unknown>("toInbox");
  readonly toControl = this.addOutbox<ControlMessage>("toControl");
  readonly fromOutbox = this.addInbox<unknown>("fromOutbox");
  readonly fromSignal = this.addInbox<ControlMessage>("fromSignal");
  disposed = false;
  failure: ComponentFailure | null = null;

  async main(): Promise<void> {
    // Alive until disposed, so the wrapped component's links and unread output stay usable after it ends.
    while (!this.disposed) await this.pauseAsync();
  }

  protected override childFailed(_child: AnyComponent, failure: ComponentFailure): void {
    // The failure belongs to the code using the Handle: get() rejects with it.
    this.failure = failure;
  }
}

/**
 * Runs a component and lets ordinary async code talk to it: {@link put}
 * into its inboxes, {@link get} (or `for await`) from its outboxes, and
 * {@link dispose} of it when done.
 *
 * The Handle keeps the component and its system running until disposed, even
 * after the component has finished, so what it sent can still be read (the
 * fix for Axon's background scheduler, which quit when its components did).
 * A failure of the component does not crash the system: `get()` rejects with
 * the {@link ComponentFailure} once the messages sent before it are read.
 */
export class Handle<C extends AnyComponent> implements AsyncIterable<OutOf<C>> {
  /** The component being driven. */
  readonly component: C;
  readonly #host = new HandleComponent();

  /** Activate `component` (on `options.system`, else the default system) and wire it to this Handle. */
  constructor(component: C, options: HandleOptions = {}) {
    this.component = component;
    const host = this.#host;
    host.name = `Handle(${component.name})`;
    host.addChildren(component);
    host.link(host.toInbox, component.inbox as Inbox<unknown>);
    host.link(host.toControl, component.control);
    host.link(component.outbox as Outbox<unknown>, host.fromOutbox);
    host.link(component.signal, host.fromSignal);
    if (options.limit !== undefined) host.fromOutbox.setSize(options.limit);
    host.activate(options.system);
    component.activate(host.system!);
  }

  /**
   * Send a message to the component's `inbox` (or `control`), waiting for
   * room if that inbox is bounded and full.
   * @throws KamaeliaError (code `HANDLE_CLOSED`) after dispose, or once the component has finished.
   */
  put(message: InOf<C>, box?: "inbox", options?: AsyncOptions): Promise<void>;
  put(message: ControlMessage, box: "control", options?: AsyncOptions): Promise<void>;
  async put(message: unknown, box: "inbox" | "control" = "inbox", options?: AsyncOptions): Promise<void> {
    const host = this.#host;
    if (box !== "inbox" && box !== "control") throw this.#error("BAD_ARGUMENT", `put: no such inbox "${String(box)}" (use "inbox" or "control")`);
    if (host.disposed) throw this.#error("HANDLE_CLOSED", `cannot put to "${box}": the Handle is disposed`);
    if (this.component.isFinished()) throw this.#error("HANDLE_CLOSED", `cannot put to "${box}": ${this.component.name} has finished`);
    if (box === "control") await host.sendAsync(message as ControlMessage, host.toControl, options);
    else await host.sendAsync(message, host.toInbox, options);
  }

  /**
   * The next message from the component's `outbox` (or `signal`), waiting
   * for one if need be.
   * @throws ComponentFailure if the component failed and nothing sent before that is left.
   * @throws KamaeliaError (code `HANDLE_ENDED`) if it has finished and nothing is left, or the Handle is disposed.
   */
  get(box?: "outbox", options?: AsyncOptions): Promise<OutOf<C>>;
  get(box: "signal", options?: AsyncOptions): Promise<ControlMessage>;
  async get(box: "outbox" | "signal" = "outbox", options?: AsyncOptions): Promise<unknown> {
    const r = await this.#next(box, options);
    if (r.done) throw this.#error("HANDLE_ENDED", `get from "${box}": ${this.component.name} has finished and sent nothing more`);
    return r.value;
  }

  /** Take a message from `outbox` (or `signal`) if one is waiting; `undefined` otherwise. */
  poll(box: "outbox" | "signal" = "outbox"):
    | {
        /** The message taken. */
        message: unknown;
      }
    | undefined {
    const inbox = box === "signal" ? this.#host.fromSignal : this.#host.fromOutbox;
    return inbox.length > 0 ? { message: inbox.take() } : undefined;
  }

  /** How many messages wait to be got from `outbox` (or `signal`). */
  dataReady(box: "outbox" | "signal" = "outbox"): number {
    return (box === "signal" ? this.#host.fromSignal : this.#host.fromOutbox).length;
  }

  /** Iterate over what the component sends from `outbox` until it has finished and all of it is read. */
  [Symbol.asyncIterator](): AsyncIterator<OutOf<C>> {
    return this.messages("outbox")[Symbol.asyncIterator]();
  }

  /** Iterate over what the component sends from `outbox` or `signal` until it has finished and all of it is read. */
  messages(box?: "outbox", options?: AsyncOptions): AsyncIterable<OutOf<C>>;
  messages(box: "signal", options?: AsyncOptions): AsyncIterable<ControlMessage>;
  async *messages(box: "outbox" | "signal" = "outbox", options?: AsyncOptions): AsyncIterable<unknown> {
    for (;;) {
      const r = await this.#next(box, options);
      if (r.done) return;
      yield r.value;
    }
  }

  /** Whether the wrapped component has finished. */
  get finished(): boolean {
    return this.component.isFinished();
  }

  /**
   * Shut the component down and release the Handle. `"stop"` (default) stops
   * it at once (`stop()`: its cleanup runs); `"finish"` sends
   * `producerFinished` to its `control` and waits for it to finish its work.
   * Resolves when the component and the Handle have finished. Messages not
   * yet read are dropped (dead letters). Calling it again does nothing more.
   */
  async dispose(how: "stop" | "finish" = "stop"): Promise<void> {
    const host = this.#host;
    const c = this.component;
    // A chassis can finish before its children's async cleanup has: wait for the whole tree.
    const tree = descendants(c);
    if (!c.isFinished()) {
      if (how === "finish" && !host.disposed) host.toControl.send(producerFinished(host));
      else c.stop();
      await c.finished();
    }
    await Promise.all(tree.map((d) => d.finished()));
    host.disposed = true;
    host.unpause();
    await host.finished();
  }

  /** `await using h = new Handle(c)` disposes it (stopping the component) at the end of the block. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.dispose("stop");
  }

  async #next(box: "outbox" | "signal", options?: AsyncOptions): Promise<IteratorResult<unknown, undefined>> {
    const host = this.#host;
    const inbox = box === "signal" ? host.fromSignal : host.fromOutbox;
    for (;;) {
      if (inbox.length > 0) return { done: false, value: inbox.take() };
      if (host.failure !== null) throw host.failure;
      if (this.component.isFinished() || host.disposed) return { done: true, value: undefined };
      // Woken by a delivery to the host, or by the component (its child) finishing.
      await host.pauseAsync(options);
    }
  }

  #error(code: string, message: string): KamaeliaError {
    return new KamaeliaError(code, `Handle(${this.component.name}): ${message}`);
  }
}

function descendants(c: AnyComponent): AnyComponent[] {
  const out: AnyComponent[] = [];
  for (const k of c.childComponents()) out.push(k, ...descendants(k));
  return out;
}

/**
 * Iterate over what `component` sends from its outbox, from plain async
 * code: `for await (const x of iterate(c)) …`. The component is run on the
 * given (or default) system and stopped when the loop ends early (break,
 * throw) or finished when it ends by itself.
 */
export async function* iterate<C extends AnyComponent>(component: C, options: HandleOptions & AsyncOptions = {}): AsyncGenerator<OutOf<C>, void, undefined> {
  const h = new Handle(component, options);
  try {
    yield* h.messages("outbox", options);
  } finally {
    await h.dispose("stop");
  }
}
