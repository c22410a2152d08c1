/**
 * Proxies: reach an actor by name and call its methods as messages.
 *
 * ```ts
 * const greeter = actor<Greeter>("greeter");
 * console.log(await greeter.greet("Ann"));        // runs in greeter's own step
 * notify(greeter).greet("Bob");                   // no answer wanted
 * await timeout(greeter, 50).greet("Cy");         // this call only: 50 ms
 * ```
 *
 * A call puts an {@link ActorCall} in the actor's inbox and returns a
 * promise, the future. It settles with the method's result, or rejects with:
 * {@link NoSuchActorError} if no actor of that name is registered within the
 * timeout (a call waits for the registration, so start-up order does not
 * matter); {@link ActorTimeoutError} if the answer does not come in time;
 * {@link NoSuchMethodError} / {@link UnhandledCallError} if the actor (or its
 * State) has no such method; {@link ActorCallError} if the method threw;
 * {@link ActorStoppedError} if the actor stopped first or its inbox was full.
 *
 * @module
 */
import { BoxFullError, System } from "../core/index.js";
import { ActorCall } from "./call.js";
import { ActorArgumentError, ActorStoppedError, ActorTimeoutError, NoSuchActorError, checkTimeout, describe } from "./errors.js";
import { actorNames, checkName, lookupActor, type ActorLike } from "./registry.js";
import { DEFAULT_CALL_TIMEOUT, type ActorProxy, type Notifier, type ProxyOptions } from "./types.js";

/** Where a proxy keeps its target, under a symbol so that no method name can collide with it. */
const TARGET: unique symbol = Symbol("kamaelia.actor.proxy");

interface Target {
  readonly name: string;
  readonly system: () => System;
  readonly timeout: number | undefined;
  /** Who calls, for messages. */
  readonly from: string;
}

/**
 * A typed proxy for the actor registered as `name`: `actor<Greeter>("greeter")`.
 * `T` is the actor's class or an interface of its methods; each method returns a promise of its result.
 * @throws ActorArgumentError for a name that is not a non-empty string or a bad timeout.
 */
export function actor<T>(name: string, options?: ProxyOptions): ActorProxy<T> {
  return proxyFrom<T>("outside any actor", () => System.default, name, options);
}

/** @internal A proxy for calls from `from` (an actor's name), whose system is `system()` unless the options say. */
export function proxyFrom<T>(from: string, system: () => System, name: string, options: ProxyOptions | undefined): ActorProxy<T> {
  checkName(`${from === "outside any actor" ? "" : `${from}: `}actor()`, name);
  if (options !== undefined && (typeof options !== "object" || options === null)) throw new ActorArgumentError(`actor("${name}"): options must be an object, got ${describe(options)}`);
  const timeoutMs = options?.timeout === undefined ? undefined : checkTimeout(`actor("${name}")`, options.timeout);
  const sys = options?.system;
  if (sys !== undefined && !(sys instanceof System)) throw new ActorArgumentError(`actor("${name}"): options.system must be a System, got ${describe(sys)}`);
  return makeProxy<T>({ name, system: sys !== undefined ? () => sys : system, timeout: timeoutMs, from });
}

function makeProxy<T>(target: Target): ActorProxy<T> {
  const methods = new Map<string, (...args: unknown[]) => Promise<unknown>>();
  return new Proxy(Object.create(null) as object, {
    get(_, key) {
      if (key === TARGET) return target;
      // Not a thenable (so `await proxy` is harmless), and no symbol-keyed methods.
      if (typeof key !== "string" || key === "then") return undefined;
      let m = methods.get(key);
      if (m === undefined) methods.set(key, (m = (...args: unknown[]) => call(target, key, args)));
      return m;
    },
    set(_, key) {
      throw new ActorArgumentError(`actor("${target.name}"): a proxy is read-only (tried to set ${String(key)})`);
    },
  }) as ActorProxy<T>;
}

function targetOf(proxy: unknown, where: string): Target {
  const t = typeof proxy === "object" && proxy !== null ? (proxy as { [TARGET]?: Target })[TARGET] : undefined;
  if (t === undefined) throw new ActorArgumentError(`${where} needs a proxy made by actor(), got ${describe(proxy)}`);
  return t;
}

/** The same proxy with a different timeout, for one call or a few: `await timeout(greeter, 50).greet("Ann")`. */
export function timeout<T>(proxy: ActorProxy<T>, ms: number): ActorProxy<T> {
  const t = targetOf(proxy, "timeout()");
  return makeProxy<T>({ ...t, timeout: checkTimeout(`timeout(actor("${t.name}"))`, ms) });
}

/**
 * Calls that expect no answer: `notify(greeter).greet("Bob")` puts the call in
 * the actor's inbox and returns at once. A failure of the method is reported
 * by the actor itself (on its `error` outbox).
 * @throws NoSuchActorError at once if no actor of that name is registered (a notify does not wait).
 */
export function notify<T>(proxy: ActorProxy<T>): Notifier<T> {
  const t = targetOf(proxy, "notify()");
  return new Proxy(Object.create(null) as object, {
    get(_, key) {
      if (typeof key !== "string" || key === "then") return undefined;
      return (...args: unknown[]) => send(t, key, args);
    },
  }) as Notifier<T>;
}

function send(t: Target, method: string, args: unknown[]): void {
  const sys = t.system();
  const a = lookupActor(sys, t.name);
  if (a === null) throw new NoSuchActorError(t.name, method, `no actor named "${t.name}" is registered, so the notify was not sent`, actorNames(sys));
  deliver(a, t, new ActorCall(method, args, t.from));
}

function deliver(a: ActorLike, t: Target, message: ActorCall): void {
  try {
    a.inbox.deliver(message, t.from);
  } catch (e) {
    if (e instanceof BoxFullError) throw new ActorStoppedError(t.name, message.method, `${t.name}'s inbox is full (${e.size} of limit ${e.limit}); the call was not delivered`);
    throw e;
  }
}

function call(t: Target, method: string, args: unknown[]): Promise<unknown> {
  const sys = t.system();
  return new Promise<unknown>((resolve, reject) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let delivered = false;
    const message = new ActorCall(method, args, t.from, {
      resolve(v) {
        clearTimeout(timer);
        resolve(v);
      },
      reject(e) {
        clearTimeout(timer);
        reject(e);
      },
    });
    const now = lookupActor(sys, t.name);
    const ms = t.timeout ?? now?.callTimeout ?? DEFAULT_CALL_TIMEOUT;
    const waiting = new AbortController();
    if (ms !== Infinity) {
      timer = setTimeout(() => {
        message.expire();
        waiting.abort();
        reject(
          delivered
            ? new ActorTimeoutError(t.name, method, ms)
            : new NoSuchActorError(t.name, method, `no actor named "${t.name}" was registered within ${ms} ms`, actorNames(sys)),
        );
      }, ms);
    }
    const go = (a: ActorLike): void => {
      try {
        deliver(a, t, message);
        delivered = true;
      } catch (e) {
        message.fail(e);
      }
    };
    if (now !== null) return go(now);
    // Not registered yet: wait for the name (the timer above bounds the wait).
    const wait = (): void => {
      sys.services.waitFor(t.name, { signal: waiting.signal }).then(
        () => {
          if (message.expired) return;
          let a: ActorLike | null;
          try {
            a = lookupActor(sys, t.name);
          } catch (e) {
            message.fail(e);
            return;
          }
          if (a === null) wait();
          else go(a);
        },
        () => {}, // aborted by the timer, which has rejected already
      );
    };
    wait();
  });
}
