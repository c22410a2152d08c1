/**
 * The project's workloads with the Introspector watching every system, as
 * `kamaelia run --inspect` does with a page open: every box metered, every
 * lifecycle event recorded, metrics each second, and each batch serialised
 * to JSON as the page's stream does. Used by bench/introspect.mjs to state
 * what watching costs.
 */
import { Introspector } from "../../src/introspect/index.js";
import { workloads as plain } from "./kamaelia.js";

const spy = new Introspector("all", { metricsMs: 1000 });
let bytes = 0;
spy.watch((batch) => void (bytes += JSON.stringify(batch).length));

type Workload = (params: never) => Promise<Record<string, unknown>>;

/** The same workloads, each run with the watcher attached; `watchedBytes` says how much it was sent. */
export const workloads: Record<string, Workload> = Object.fromEntries(
  Object.entries(plain as unknown as Record<string, Workload>).map(([name, fn]) => [name, async (params: never) => ({ ...(await fn(params)), watchedBytes: bytes })]),
);
