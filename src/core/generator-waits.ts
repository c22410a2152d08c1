/**
 * The waits of generator components, used with `yield*`: for a message, for
 * room, for one of several inboxes (with a time-out), for a promise, for a
 * service; and the `onFinish` wrapper of `processMessages`.
 *
 * *An Axon internal: the Component methods of the same names call in here.*
 * A wait pauses and yields until a wake (a delivery, room, a child ending)
 * makes its condition true; a promise yielded to the runner blocks the
 * component until it settles.
 *
 * @module
 */
import type { Inbox, Outbox } from "./box.js";
import type { Wait } from "./component-types.js";
import { DONE } from "./drain-loop.js";
import type { Ipc } from "./ipc.js";
import type { Waiter } from "./microprocess.js";
import type { Service } from "./services.js";
import { System } from "./system.js";
import { setTimeout as delay } from "node:timers/promises";

/** Wait until `b` holds a message, then take it. */
export function* waitRecv(m: Waiter, b: Inbox): Wait<unknown> {
  while (b.length === 0) {
    m.pause();
    yield;
  }
  return b.take();
}

/** Send now if there is room (a shared finished iterator, no generator), else wait for room. */
export function waitSend(m: Waiter, b: Outbox, message: unknown): Wait {
  if (!b.isFull()) {
    b.send(message);
    return DONE;
  }
  return sendWhenRoom(m, b, message);
}

function* sendWhenRoom(m: Waiter, b: Outbox, message: unknown): Wait {
  while (b.isFull()) {
    m.pause();
    yield;
  }
  b.send(message);
}

/** Wait until one of `list` holds a message; returns its name. */
export function* waitReady(m: Waiter, list: readonly Inbox[]): Wait<string> {
  for (;;) {
    for (const b of list) if (b.length > 0) return b.name;
    m.pause();
    yield;
  }
}

/** Wait until one of `list` holds a message (its name), or `ms` pass (`null`). */
export function* waitReadyFor(m: Waiter, ms: number, list: readonly Inbox[]): Wait<string | null> {
  let fired = false;
  const timer = setTimeout(() => {
    fired = true;
    m._wake();
  }, ms);
  try {
    for (;;) {
      for (const b of list) if (b.length > 0) return b.name;
      if (fired) return null;
      m.pause();
      yield;
    }
  } finally {
    clearTimeout(timer);
  }
}

/** Sleep `ms` (cut short only by a stop). */
export function* sleep(m: Waiter, ms: number): Wait {
  yield delay(ms, undefined, { signal: m.stopSignal }).catch(() => undefined);
}

/** Wait for a promise: its value, or its rejection thrown into the generator. */
export function* waitFor<T>(promise: PromiseLike<T>): Wait<T> {
  return (yield promise) as T;
}

/** Wait until the service `name` is registered in `m`'s system (the default one before activation). */
export function* waitService(m: Waiter, name: string): Wait<Service> {
  const services = (m.system ?? System.default).services;
  if (services.has(name)) return services.lookup(name);
  return yield* waitFor(services.waitFor(name, { signal: m.stopSignal }));
}

/** A processMessages loop followed by its `onFinish` (on producerFinished), then the shutdown passed on. */
export function* finishing(m: Waiter, loop: Wait<Ipc>, onFinish: () => Wait<unknown> | void): Wait<Ipc> {
  yield* loop;
  if (m.checkShutdown() === "finish") {
    const r = onFinish.call(m);
    if (typeof r === "object" && r !== null && typeof r.next === "function") yield* r;
  }
  return m.passOnShutdown();
}
