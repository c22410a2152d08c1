/**
 * The remote side of a worker or process component: it loads the named
 * export, builds the component and runs it on a System of its own, with a
 * {@link RemoteHost} as its parent that bridges the child's boxes to the
 * proxy on the other side of the thread or process boundary.
 *
 * @module
 */
import type { Inbox, Outbox } from "../core/box.js";
import { Component, type AnyComponent, type Wait } from "../core/component.js";
import { NoSuchBoxError, type ComponentFailure } from "../core/errors.js";
import { shutdownKind } from "../core/shutdown.js";
import { System } from "../core/system.js";
import { firstLine, serializeError } from "./errors.js";
import { decode, findUncopyable, pushEncoded, transferList, type RemoteSpec, type ToHost, type ToRemote } from "./wire.js";

/** The remote side's end of the channel (a worker's parentPort or a child's IPC channel). */
export interface RemotePort {
  post(m: ToHost, transfer?: ArrayBuffer[]): void;
  onMessage(handler: (m: ToRemote) => void): void;
  /**
   * Hand the handlers any messages already waiting, at once (optional: a
   * worker's port can, with `receiveMessageOnPort`). The host calls it each
   * turn, so input that arrived while the component computed is delivered,
   * and its credit given back in the same post as the output, without
   * waiting an event-loop turn for it (W8).
   */
  drain?(): void;
  close(): void;
  /** True for a JSON channel (messages are checked with JSON, not structured clone, when a post fails). */
  readonly json: boolean;
}

/**
 * Parent of the remote component. Per scheduler turn it delivers what the
 * proxy sent (as far as the child's inboxes have room, giving credit back
 * for what it delivered) and posts one batch of everything the child sent
 * (as far as the proxy has given credit). Its own inboxes, fed by the
 * child's outboxes, hold at most `window` messages each, so a child that
 * waits for room (`waitSend`) waits across the bridge.
 */
export class RemoteHost extends Component<never, never> {
  static override inboxes = { inbox: "unused", control: "unused: shutdown arrives from the proxy" };
  static override outboxes = { outbox: "unused", signal: "unused" };

  private readonly toChild: Outbox[];
  private readonly fromChild: Inbox[];
  private readonly queued: unknown[][];
  private readonly grant: number[];
  private readonly credit: number[];
  private stopping = false;
  private failure: ComponentFailure | null = null;

  constructor(
    private readonly port: RemotePort,
    private readonly spec: RemoteSpec,
    private readonly child: AnyComponent,
  ) {
    super();
    this.toChild = spec.inboxes.map((n) => this.addOutbox(`to:${n}`, `messages for the remote component's ${n}`));
    this.fromChild = spec.outboxes.map((n) => this.addInbox(`from:${n}`, `what the remote component sends from ${n}`));
    this.queued = spec.inboxes.map(() => []);
    this.grant = spec.inboxes.map(() => 0);
    this.credit = spec.outboxes.map((n) => (n === "signal" ? Infinity : spec.window));
    this.fromChild.forEach((b, j) => j !== 1 && b.setSize(spec.window));
    port.onMessage((m) => this.received(m));
  }

  private received(m: ToRemote): void {
    if (m.t !== "m") return;
    const b = m.b;
    for (let i = 0; i < b.length; i += 3) {
      const box = b[i] as number;
      const msg = decode(b[i + 1] as number, b[i + 2], this);
      if (box === 1 && shutdownKind(msg) === "stop") this.stopping = true;
      this.queued[box]!.push(msg);
    }
    const c = m.c;
    for (let i = 0; i < c.length; i += 2) this.credit[c[i]!]! += c[i + 1]!;
    this.unpause();
  }

  *main(): Wait {
    const c = this.child;
    this.addChildren(c);
    this.spec.inboxes.forEach((n, i) => this.link(this.toChild[i]!, c.inboxNamed(n)));
    this.spec.outboxes.forEach((n, j) => this.link(c.outboxNamed(n), this.fromChild[j]!));
    c.activate(this.system!);
    this.port.post({ t: "ready", inboxes: this.spec.inboxes, outboxes: this.spec.outboxes });
    for (;;) {
      this.port.drain?.();
      this.deliver();
      const batch: unknown[] = [];
      const more = this.collect(batch);
      const grants: number[] = [];
      this.grant.forEach((n, i) => n > 0 && grants.push(i, n));
      this.grant.fill(0);
      if (batch.length > 0 || grants.length > 0) this.post(batch, grants);
      if (this.failure !== null) {
        const f = this.failure;
        this.port.post({ t: "fail", phase: "run", path: f.path, e: serializeError(f.cause ?? f) });
        return;
      }
      if (c.isFinished() && !more) break;
      this.pause();
      yield;
    }
    this.port.post({ t: "done" });
  }

  /** Hand queued messages to the child as far as its inboxes have room; control only once the data ahead of it is in. */
  private deliver(): void {
    const q = this.queued;
    for (let i = 0; i < q.length; i++) {
      if (i === 1) continue;
      const box = q[i]!;
      const out = this.toChild[i]!;
      const f = out.final;
      // An unbounded inbox there would let the proxy's credit run ahead of the child: bound it to the window.
      if (f !== null && f.limit === Infinity && !f.closed) f.setSize(this.spec.window);
      let k = 0;
      if (f === null || f.closed) {
        while (k < box.length) out.send(box[k++]); // counted as dead letters there
        box.length = 0;
      } else {
        // Stored, not handed to the child's handler inside this send (fusion): the credit for them must
        // go back before the child spends its time on them, so the proxy's next batch is on its way
        // while the child works and the child never waits a round trip for input (W8).
        k = Math.max(0, Math.min(box.length, f.limit - f.length));
        if (k > 0) f.accept(box.splice(0, k));
      }
      this.grant[i]! += k;
    }
    const ctl = q[1]!;
    if (ctl.length > 0 && (this.stopping || q.every((b, i) => i === 1 || b.length === 0))) {
      for (const m of ctl) this.toChild[1]!.send(m);
      ctl.length = 0;
    }
  }

  /** Encode what the child sent, as far as there is credit; true if anything is left behind. */
  private collect(batch: unknown[]): boolean {
    let left = false;
    const from = this.fromChild;
    for (let j = 0; j < from.length; j++) {
      if (j === 1) continue;
      const b = from[j]!;
      let n = Math.min(b.length, this.credit[j]!);
      this.credit[j]! -= n;
      while (n-- > 0) pushEncoded(batch, j, b.take());
      if (b.length > 0) left = true;
    }
    // A signal goes after the data sent before it; stop messages need not wait.
    const sig = from[1]!;
    while (sig.length > 0 && (!left || shutdownKind(sig.peek()[0]) === "stop")) pushEncoded(batch, 1, sig.take());
    return left || sig.length > 0;
  }

  private post(batch: unknown[], grants: number[]): void {
    try {
      this.port.post({ t: "m", b: batch, c: grants }, transferList(batch, this.spec.transferAbove));
    } catch (e) {
      const at = findUncopyable(batch, this.port.json);
      if (at < 0) throw e;
      const box = this.spec.outboxes[batch[at - 2] as number];
      throw new Error(`the remote component sent a message on "${box}" that cannot be copied back (${firstLine(e)})`, { cause: e });
    }
  }

  protected override childFailed(_child: AnyComponent, failure: ComponentFailure): void {
    this.failure = failure;
    this.unpause();
  }
}

/** Import the module, find the export and build the component: each step's failure as one clear line. */
async function build(spec: RemoteSpec): Promise<AnyComponent> {
  let mod: Record<string, unknown>;
  try {
    mod = (await import(spec.module)) as Record<string, unknown>;
  } catch (e) {
    throw new Error(`cannot import module ${spec.module}: ${firstLine(e)}`, { cause: e });
  }
  if (!(spec.export in mod)) {
    throw new Error(`module ${spec.module} has no export "${spec.export}" (it exports: ${Object.keys(mod).join(", ") || "nothing"})`);
  }
  const x = mod[spec.export];
  if (typeof x !== "function") throw new Error(`export "${spec.export}" of ${spec.module} is a ${typeof x}, not a component class or factory`);
  let made: unknown;
  try {
    const isClass = typeof (x as { prototype?: { main?: unknown } }).prototype?.main === "function";
    made = isClass ? new (x as new (...a: unknown[]) => unknown)(...spec.args) : (x as (...a: unknown[]) => unknown)(...spec.args);
  } catch (e) {
    throw new Error(`export "${spec.export}" of ${spec.module} threw while building the component: ${firstLine(e)}`, { cause: e });
  }
  if (!(made instanceof Component)) {
    throw new Error(`export "${spec.export}" of ${spec.module} made ${made === null ? "null" : typeof made}, not a component (is the module importing a second copy of kamaelia?)`);
  }
  for (const n of spec.inboxes) made.inboxNamed(n);
  for (const n of spec.outboxes) made.outboxNamed(n);
  return made;
}

/** Serve one remote component over `port`: wait for the start message, build, run, report, close. */
export function serveRemote(port: RemotePort): void {
  let started = false;
  port.onMessage((m) => {
    if (m.t !== "start" || started) return;
    started = true;
    void start(port, m.spec);
  });
}

async function start(port: RemotePort, spec: RemoteSpec): Promise<void> {
  let child: AnyComponent;
  try {
    child = await build(spec);
  } catch (e) {
    const msg = e instanceof NoSuchBoxError ? e.message : firstLine(e).replace(/^Error: /, "");
    port.post({ t: "fail", phase: "load", path: spec.export, e: { ...serializeError(e), message: msg } });
    port.close();
    return;
  }
  const system = new System();
  const host = new RemoteHost(port, spec, child);
  system.onFailure = (f) => {
    port.post({ t: "fail", phase: "run", path: f.path, e: serializeError(f.cause ?? f) });
    port.close();
  };
  host.activate(system);
  try {
    await system.run();
  } finally {
    port.close();
  }
}
