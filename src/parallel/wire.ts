/**
 * What crosses between a proxy and its remote side: the message kinds, the
 * per-turn batch format, control-message encoding and the transfer list.
 *
 * A batch is one flat array `[box, tag, payload, box, tag, payload, …]`
 * (no object per message); `box` indexes the receiving side's box list
 * (`inbox`, `control`, extras… one way; `outbox`, `signal`, extras… the
 * other). Credits ride in the same post: `[box, n, …]`, "you may send me `n`
 * more messages on `box`".
 *
 * @module
 */
import { ErrorInformation, Ipc, ProducerFinished, ShutdownMicroprocess } from "../core/ipc.js";
import { serializeError, type SerializedError } from "./errors.js";

/** A plain message. */
export const PLAIN = 0;
/** A `producerFinished` (payload: its `message`). */
export const FINISH = 1;
/** A `shutdownMicroprocess`. */
export const STOP = 2;
/** An `ErrorInformation` (payload: `[SerializedError, message]`). */
export const ERROR_INFO = 3;
/** Another `Ipc` subclass, which cannot cross as itself: crosses as its class name. */
export const OTHER_IPC = 4;

/** What the remote side is told to run. */
export interface RemoteSpec {
  /** A `file:` URL (or other URL `import()` accepts) of the module. */
  module: string;
  /** The export: a component class (constructed with `args`) or a factory function (called with `args`). */
  export: string;
  /** Arguments for the class or factory; they cross by copy. */
  args: unknown[];
  /** The inboxes to bridge: `inbox`, `control`, then extras. */
  inboxes: string[];
  /** The outboxes to bridge: `outbox`, `signal`, then extras. */
  outboxes: string[];
  /** Credit window per data box. */
  window: number;
  /** Transfer ArrayBuffers of at least this many bytes (worker threads only; Infinity: never). */
  transferAbove: number;
}

/** Host → remote. */
export type ToRemote = { t: "start"; spec: RemoteSpec } | { t: "m"; b: unknown[]; c: number[] };

/** Remote → host. */
export type ToHost =
  | { t: "ready"; inboxes: string[]; outboxes: string[] }
  | { t: "m"; b: unknown[]; c: number[] }
  | { t: "fail"; phase: "load" | "run"; path: string; e: SerializedError }
  | { t: "done" };

/** Append one message to a batch, encoding control messages (which cannot cross as themselves). */
export function pushEncoded(batch: unknown[], box: number, m: unknown): void {
  if (!(m instanceof Ipc)) {
    batch.push(box, PLAIN, m);
  } else if (m instanceof ShutdownMicroprocess) {
    batch.push(box, STOP, null);
  } else if (m instanceof ProducerFinished) {
    batch.push(box, FINISH, m.message ?? null);
  } else if (m instanceof ErrorInformation) {
    batch.push(box, ERROR_INFO, [serializeError(m.error), m.message ?? null]);
  } else {
    batch.push(box, OTHER_IPC, m.constructor.name);
  }
}

/** Rebuild a message from its tag and payload; `caller` stands for the component on the far side. */
export function decode(tag: number, payload: unknown, caller: object): unknown {
  switch (tag) {
    case PLAIN:
      return payload;
    case FINISH:
      return new ProducerFinished(caller, payload ?? undefined);
    case STOP:
      return new ShutdownMicroprocess(caller);
    case ERROR_INFO: {
      const [e, message] = payload as [SerializedError, unknown];
      const err = new Error(e.message);
      err.name = e.name;
      if (e.stack) err.stack = e.stack;
      return new ErrorInformation(caller, err, message ?? undefined);
    }
    default:
      return new ErrorInformation(caller, new Error(`a control message of class ${String(payload)} cannot cross to another thread or process`));
  }
}

/**
 * The ArrayBuffers worth transferring in a batch: large ones (≥ `above`
 * bytes; infra.md measured transfer winning ≈27× at 4 MiB and losing at
 * 64 KiB), whole, found at the top of a message or one level inside a plain
 * object or array. Transferring detaches them here: the sender gives them away.
 */
export function transferList(batch: readonly unknown[], above: number): ArrayBuffer[] | undefined {
  if (above === Infinity) return undefined;
  let out: ArrayBuffer[] | undefined;
  const seen = new Set<ArrayBuffer>();
  const consider = (x: unknown): void => {
    let buf: ArrayBuffer | null = null;
    if (x instanceof ArrayBuffer) buf = x;
    else if (ArrayBuffer.isView(x) && x.buffer instanceof ArrayBuffer && x.byteOffset === 0 && x.byteLength === x.buffer.byteLength) buf = x.buffer;
    if (buf !== null && buf.byteLength >= above && !seen.has(buf)) {
      seen.add(buf);
      (out ??= []).push(buf);
    }
  };
  for (let i = 2; i < batch.length; i += 3) {
    const m = batch[i];
    if (typeof m !== "object" || m === null) continue;
    consider(m);
    if (Array.isArray(m)) for (const v of m) consider(v);
    else if (Object.getPrototypeOf(m) === Object.prototype) for (const k in m) consider((m as Record<string, unknown>)[k]);
  }
  return out;
}

/** The position (message index in the batch) of the first message that cannot be copied, or -1. */
export function findUncopyable(batch: readonly unknown[], json: boolean): number {
  for (let i = 2, k = 0; i < batch.length; i += 3, k++) {
    try {
      if (json) JSON.stringify(batch[i]);
      else structuredClone(batch[i]);
    } catch {
      return i;
    }
  }
  return -1;
}
