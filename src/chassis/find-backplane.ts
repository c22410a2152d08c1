/**
 * How PublishTo and SubscribeTo find their backplane: through the system's
 * services registry, waiting for it if it has not been activated yet.
 *
 * @module
 */
import type { AnyComponent, Wait } from "../core/component.js";
import { ServiceError } from "../core/errors.js";
import { BackplaneComponent } from "./backplane.js";

/**
 * Wait (generator) until the backplane `name` is registered in `c`'s system,
 * and return it. While waiting, `c`'s control is still obeyed: a stop, or a
 * finish with nothing waiting in `c`'s inbox, returns `null`.
 * @throws ServiceError if the service of that name is not a backplane.
 */
export function* findBackplane(c: AnyComponent, name: string): Wait<BackplaneComponent | null> {
  const services = c.system!.services;
  if (!services.has(name)) {
    // waitService would block on a promise that control messages cannot interrupt; wake on either instead.
    const done = new AbortController();
    services.waitFor(name, { signal: AbortSignal.any([done.signal, c.stopSignal]) }).then(
      () => c.unpause(),
      () => undefined,
    );
    try {
      while (!services.has(name)) {
        const kind = c.checkShutdown();
        if (kind === "stop" || (kind === "finish" && c.dataReady() === 0)) return null;
        c.pause();
        yield;
      }
    } finally {
      done.abort();
    }
  }
  const svc = services.lookup(name);
  if (!(svc.component instanceof BackplaneComponent)) {
    throw new ServiceError("NO_SUCH_SERVICE", `${c.name}: the service "${name}" is provided by ${svc.component.name}, which is not a Backplane`);
  }
  return svc.component;
}
