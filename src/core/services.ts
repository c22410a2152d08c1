/**
 * The services registry (Axon's Co-ordinating Assistant Tracker), scoped to
 * one {@link System}: named services (a component and one of its inboxes),
 * and named values.
 *
 * Better than the original: a lookup can wait for a registration, so the
 * order in which components start does not matter.
 *
 * @module
 */
import type { Inbox } from "./box.js";
import { ServiceError } from "./errors.js";
import type { Member } from "./member.js";

/** A registered service: the component providing it and the inbox that takes its requests. */
export interface Service {
  /** The name it was registered under. */
  readonly name: string;
  /** The providing component. */
  readonly component: Member;
  /** The inbox requests go to. */
  readonly inbox: Inbox;
}

/** Options for waiting. */
export interface WaitOptions {
  /** Abandon the wait when this signal aborts; the promise rejects with its reason. */
  signal?: AbortSignal | undefined;
}

/** Named services and values for one system. */
export class Services {
  private readonly services = new Map<string, Service>();
  private readonly values = new Map<string, unknown>();
  private readonly waiting = new Map<string, Set<(s: Service) => void>>();

  /**
   * Register `component`'s inbox `box` as the service `name`.
   * @throws ServiceError if the name is taken; NoSuchBoxError if the component has no such inbox.
   */
  register(name: string, component: Member, box = "inbox"): Service {
    const existing = this.services.get(name);
    if (existing) {
      throw new ServiceError("SERVICE_EXISTS", `cannot register service "${name}" for ${component.name}: ${existing.component.name} already provides it`);
    }
    const service: Service = { name, component, inbox: component.inboxNamed(box) };
    this.services.set(name, service);
    const waiters = this.waiting.get(name);
    if (waiters) {
      this.waiting.delete(name);
      for (const w of waiters) w(service);
    }
    return service;
  }

  /** The service called `name`. @throws ServiceError if there is none. */
  lookup(name: string): Service {
    const s = this.services.get(name);
    if (!s) {
      throw new ServiceError("NO_SUCH_SERVICE", `no service named "${name}" is registered (registered: ${[...this.services.keys()].join(", ") || "none"})`);
    }
    return s;
  }

  /** Whether a service called `name` is registered. */
  has(name: string): boolean {
    return this.services.has(name);
  }

  /** The service called `name`, as soon as it is registered. */
  waitFor(name: string, options?: WaitOptions): Promise<Service> {
    const s = this.services.get(name);
    if (s) return Promise.resolve(s);
    const signal = options?.signal;
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<Service>((resolve, reject) => {
      let set = this.waiting.get(name);
      if (!set) this.waiting.set(name, (set = new Set()));
      const onAbort = (): void => {
        set.delete(done);
        reject(signal!.reason);
      };
      const done = (svc: Service): void => {
        signal?.removeEventListener("abort", onAbort);
        resolve(svc);
      };
      set.add(done);
      signal?.addEventListener("abort", onAbort, { once: true });
    });
  }

  /** Remove the service `name`. @throws ServiceError if there is none. */
  deregister(name: string): void {
    if (!this.services.delete(name)) {
      throw new ServiceError("NO_SUCH_SERVICE", `cannot deregister service "${name}": it is not registered`);
    }
  }

  /** The names of every registered service. */
  names(): string[] {
    return [...this.services.keys()];
  }

  /** Start tracking a named value. @throws ServiceError if the name is already tracked. */
  trackValue(name: string, value: unknown): void {
    if (this.values.has(name)) throw new ServiceError("SERVICE_EXISTS", `value "${name}" is already tracked`);
    this.values.set(name, value);
  }

  /** Change a tracked value. @throws ServiceError if it is not tracked. */
  updateValue(name: string, value: unknown): void {
    if (!this.values.has(name)) throw new ServiceError("NO_SUCH_SERVICE", `value "${name}" is not tracked`);
    this.values.set(name, value);
  }

  /** Read a tracked value. @throws ServiceError if it is not tracked. */
  retrieveValue(name: string): unknown {
    if (!this.values.has(name)) throw new ServiceError("NO_SUCH_SERVICE", `value "${name}" is not tracked`);
    return this.values.get(name);
  }

  /** Forget every service and value (Axon's `zap`). */
  clear(): void {
    this.services.clear();
    this.values.clear();
  }
}
