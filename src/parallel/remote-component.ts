/**
 * Worker and process components: a component (or a whole Pipeline or
 * Graphline) running on a `worker_threads` thread or in a forked child
 * process, seen here as a proxy with the same boxes.
 *
 * ```ts
 * // primes.ts exports PrimeCounter, a Component<[number, number], number>
 * const counter = WorkerComponent<PrimeCounter>({ module: new URL("./primes.js", import.meta.url), export: "PrimeCounter" });
 * await Pipeline(new Ranges(), counter, new Printer()).run();
 * ```
 *
 * Code cannot cross threads, so the component is named by module and
 * export: a component class (built with `args`) or a factory returning a
 * component. The proxy links, nests and is supervised like any component.
 *
 * Messages cross in batches, one post per scheduler turn each way (infra.md
 * measured ≈3× over a post per message), by structured clone for threads and
 * JSON (default) or structured clone (`serialization: "advanced"`) for
 * processes. ArrayBuffers of `transferAbove` bytes or more (1 MiB by default)
 * are transferred to a thread, not copied: the sender gives them away.
 *
 * Backpressure is credit-based, per data box and both ways: the proxy sends
 * at most `window` messages of a box that the remote side has not yet
 * handed on, and the remote side likewise, so memory stays bounded on both
 * sides. A proxy out of credit leaves messages in its inbox (a bounded inbox
 * then makes its producers wait), and a remote component whose outbox is out
 * of credit finds it full (`waitSend` waits); on the remote side an
 * unbounded inbox is bounded to `window`.
 *
 * `producerFinished` and `shutdownMicroprocess` cross (a finish after the
 * data sent before it, a stop at once), and the remote component's `signal`
 * comes out of the proxy's. A failure there makes the proxy fail with a
 * {@link RemoteError} carrying the remote stack; a thread or process that
 * dies makes it fail with a {@link WorkerCrashedError}; a module or export
 * that cannot be loaded with a {@link RemoteLoadError}. So a Supervisor
 * restarts a remote component as it would a local one. The thread or process
 * is ended when the proxy ends, however it ends.
 *
 * What a crash loses (at most once across the boundary): the messages
 * already posted across and not yet answered. Per data inbox that is at most
 * 4 × `window` + 1 — `window` on their way there, `window` in the remote
 * inbox, the one being handled, and those whose answers (up to 2 × `window`)
 * were still on their way back — always a run of consecutive messages. What
 * still waits in the proxy's inboxes is not lost: a Supervisor hands it to
 * the replacement, which carries on in order. Answers that arrived are
 * passed on before the failure is raised.
 *
 * @module
 */
import type { Inbox, Outbox } from "../core/box.js";
import { Component, type AnyComponent, type Wait } from "../core/component.js";
import { shutdownKind } from "../core/shutdown.js";
import type { InOf, OutOf } from "../core/types.js";
import { openProcess, openWorker, type HostChannel, type RemoteKind, type Serialization } from "./channel.js";
import {
  firstLine,
  ParallelArgumentError,
  RemoteError,
  RemoteLoadError,
  UncloneableMessageError,
  WorkerCrashedError,
} from "./errors.js";
import { remoteSpec, type ProcessOptions, type RemoteOptions } from "./options.js";
import { decode, findUncopyable, pushEncoded, transferList, type RemoteSpec, type ToHost } from "./wire.js";

export type { ProcessOptions, RemoteOptions } from "./options.js";

/**
 * The proxy of a component running in a worker thread or child process.
 * Make one with {@link WorkerComponent} or {@link ProcessComponent}.
 *
 * Boxes: the remote component's, by name: `inbox` and extra inboxes carry
 * its input, `control` its shutdown messages; `outbox` and extra outboxes
 * carry what it sends, `signal` its shutdown and error reports.
 */
export class RemoteComponent<In = unknown, Out = unknown> extends Component<In, Out> {
  static override inboxes = {
    inbox: "messages for the remote component's inbox (sent across as credit allows)",
    control: "producerFinished (crosses after the data before it) / shutdownMicroprocess (crosses at once)",
  };
  static override outboxes = {
    outbox: "what the remote component sends from its outbox",
    signal: "what the remote component sends from its signal",
  };

  /** What the remote side runs. */
  readonly spec: RemoteSpec;
  /** `"worker"` or `"process"`. */
  readonly kind: RemoteKind;
  /** How a child process serialises messages. */
  readonly serialization: Serialization;
  /** "worker thread N" / "child process PID", once started. */
  label = "";
  /** The child process's id, once started (process components only). */
  pid: number | undefined;
  private ins: Inbox[] = [];
  private outs: Outbox[] = [];
  private readonly events: ToHost[] = [];
  private exit: { clean: boolean; why: string } | null = null;
  private readonly pending: unknown[] = [];
  private head = 0;
  private credit: number[] = [];
  private grant: number[] = [];
  private owed = false;

  /** @throws ParallelArgumentError naming the component and the bad option. */
  constructor(kind: RemoteKind, options: ProcessOptions) {
    super();
    this.kind = kind;
    const { spec, serialization } = remoteSpec(kind, options, (what) => {
      throw new ParallelArgumentError(`${this.name}: ${what}`);
    });
    this.spec = spec;
    this.serialization = serialization;
    for (const n of spec.inboxes.slice(2)) this.addInbox(n, `the remote component's ${n}`);
    for (const n of spec.outboxes.slice(2)) this.addOutbox(n, `what the remote component sends from ${n}`);
  }

  /** "PrimeCounter from primes.js in worker thread 3", for messages. */
  private where(): string {
    const file = this.spec.module.slice(this.spec.module.lastIndexOf("/") + 1);
    return `${this.spec.export} from ${file}${this.label ? ` in ${this.label}` : ""}`;
  }

  *main(): Wait {
    this.ins = this.spec.inboxes.map((n) => this.inboxNamed(n));
    this.outs = this.spec.outboxes.map((n) => this.outboxNamed(n));
    const events = {
      message: (m: ToHost) => {
        this.events.push(m);
        this.unpause();
      },
      exit: (clean: boolean, why: string) => {
        this.exit = { clean, why };
        this.unpause();
      },
    };
    let ch: HostChannel;
    try {
      ch = this.kind === "worker" ? openWorker(events) : openProcess(events, this.serialization);
    } catch (e) {
      throw new WorkerCrashedError(`${this.name}: could not start a ${this.kind} for ${this.where()}: ${firstLine(e)}`);
    }
    this.label = ch.label;
    this.pid = ch.pid;
    try {
      try {
        ch.post({ t: "start", spec: this.spec });
      } catch (e) {
        throw new UncloneableMessageError(`${this.name}: the args for ${this.where()} cannot be copied there (${firstLine(e)})`, e);
      }
      let ready = false;
      let done = false;
      for (;;) {
        const room = this.room();
        for (let k = 0; k < this.events.length; k++) {
          const ev = this.events[k]!;
          if (ev.t === "m") this.received(ev.b, ev.c);
          else if (ev.t === "ready") {
            ready = true;
            this.credit = this.spec.inboxes.map((n) => (n === "control" ? Infinity : this.spec.window));
            this.grant = this.spec.outboxes.map(() => 0);
          } else if (ev.t === "done") done = true;
          else if (ev.phase === "load") throw new RemoteLoadError(`${this.name}: ${ev.e.message}`, ev.e.stack);
          else throw new RemoteError(`${this.name}: ${ev.path} (${this.where()}) failed: ${ev.e.name}: ${ev.e.message}`, ev.e);
        }
        this.events.length = 0;
        // Credit made room where there was none: wake whoever feeds the inbox (a WorkerPool hands a
        // member input only when it can go across at once, so it waits for exactly this).
        if (room <= 0 && this.room() > 0) this.inbox.wakeFeeders();
        if (this.exit !== null && !done) {
          this.emit(); // what it answered before dying still goes on, as far as there is room
          throw new WorkerCrashedError(`${this.name}: ${this.label} running ${this.spec.export} died (${this.exit.why}) before its component finished`);
        }
        if (ready && !done) this.forward(ch);
        const blocked = this.emit();
        if (ready && !done) this.giveCredit(ch);
        if (done && !blocked) break;
        this.pause();
        yield;
      }
    } finally {
      ch.kill();
      yield ch.gone;
    }
  }

  /**
   * How many more messages of `inbox` it could post across now: the credit
   * the far side has given, less what already waits here (0 until the far
   * side is ready). When credit turns this from 0 to more, the components
   * feeding `inbox` are woken.
   */
  room(): number {
    const c = this.credit[0];
    return c === undefined ? 0 : c - this.inbox.length;
  }

  /** Messages received from the remote side and not yet sent on (at most `window` per data box: the credit bound). */
  backlog(): number {
    return (this.pending.length - this.head) / 2;
  }

  /** Queue what the remote side sent; note the credit it gave. */
  private received(b: unknown[], c: number[]): void {
    for (let i = 0; i < b.length; i += 3) this.pending.push(b[i], decode(b[i + 1] as number, b[i + 2], this));
    for (let i = 0; i < c.length; i += 2) this.credit[c[i]!]! += c[i + 1]!;
  }

  /** Send on what came from the remote side while the outboxes have room; true if some is left waiting. */
  private emit(): boolean {
    const p = this.pending;
    let h = this.head;
    while (h < p.length) {
      const box = p[h] as number;
      const out = this.outs[box]!;
      if (box !== 1 && out.isFull()) break;
      out.send(p[h + 1]);
      if (box !== 1) this.grant[box]!++;
      h += 2;
    }
    if (h === p.length) {
      p.length = 0;
      this.head = 0;
      return false;
    }
    this.head = h;
    if (h > 4096 && h * 2 > p.length) {
      p.splice(0, h);
      this.head = 0;
    }
    return true;
  }

  /**
   * Credit for what was sent on is not posted at once: it rides with the
   * next batch forwarded (a WorkerPool forwards the next input a step or two
   * later, in the same scheduler slice), or goes alone once the slice is
   * over (a microtask). One post per round instead of two, so the far side
   * and this thread are each woken once per round (W8).
   */
  private giveCredit(ch: HostChannel): void {
    if (this.owed || !this.grant.some((n) => n > 0)) return;
    this.owed = true;
    queueMicrotask(() => {
      const c = this.credits();
      if (c.length > 0) ch.post({ t: "m", b: [], c });
    });
  }

  /** The credit owed, as `[box, n, …]`, now counted as given. */
  private credits(): number[] {
    this.owed = false;
    const g = this.grant;
    const c: number[] = [];
    for (let j = 0; j < g.length; j++) if (g[j]! > 0) c.push(j, g[j]!);
    g.fill(0);
    return c;
  }

  /** Post one batch of what waits in the inboxes, as far as credit allows; control after the data before it. */
  private forward(ch: HostChannel): void {
    const batch: unknown[] = [];
    let left = false;
    for (let i = 0; i < this.ins.length; i++) {
      if (i === 1) continue;
      const box = this.ins[i]!;
      let n = Math.min(box.length, this.credit[i]!);
      this.credit[i]! -= n;
      while (n-- > 0) pushEncoded(batch, i, box.take());
      if (box.length > 0) left = true;
    }
    const ctl = this.ins[1]!;
    while (ctl.length > 0 && (!left || shutdownKind(ctl.peek()[0]) === "stop")) pushEncoded(batch, 1, ctl.take());
    if (batch.length === 0) return;
    try {
      ch.post({ t: "m", b: batch, c: this.owed ? this.credits() : [] }, transferList(batch, this.spec.transferAbove));
    } catch (e) {
      this.failPost(ch, batch, e);
    }
  }

  /** A post failed: send what came before the message that cannot be copied, put back what came after, and fail naming it. */
  private failPost(ch: HostChannel, batch: unknown[], e: unknown): never {
    const at = findUncopyable(batch, this.kind === "process" && this.serialization === "json");
    if (at < 0) throw e;
    const box = batch[at - 2] as number;
    if (at > 2) ch.post({ t: "m", b: batch.slice(0, at - 2), c: [] });
    const rest = new Map<number, unknown[]>();
    for (let i = at + 1; i < batch.length; i += 3) {
      const b = batch[i] as number;
      if (!rest.has(b)) rest.set(b, []);
      rest.get(b)!.push(decode(batch[i + 1] as number, batch[i + 2], this));
    }
    for (const [b, ms] of rest) this.ins[b]!.prepend(ms);
    const how = this.kind === "process" && this.serialization === "json" ? "as JSON" : "by structured clone";
    throw new UncloneableMessageError(
      `${this.name}: a message sent to its "${this.spec.inboxes[box]}" cannot be copied ${how} to ${this.where()} (${firstLine(e)})`,
      e,
    );
  }
}

/**
 * A component running on a worker thread (real cores, for CPU-bound work),
 * seen here as a proxy with the same boxes; see {@link RemoteComponent}.
 * `C` is the remote component's type (`import type`), for typed links.
 */
export function WorkerComponent<C extends AnyComponent = AnyComponent>(options: RemoteOptions): RemoteComponent<InOf<C>, OutOf<C>> {
  return new RemoteComponent<InOf<C>, OutOf<C>>("worker", options);
}

/**
 * A component running in a forked child process (`serialization: "json"`
 * by default), seen here as a proxy with the same boxes; see {@link RemoteComponent}.
 */
export function ProcessComponent<C extends AnyComponent = AnyComponent>(options: ProcessOptions): RemoteComponent<InOf<C>, OutOf<C>> {
  return new RemoteComponent<InOf<C>, OutOf<C>>("process", options);
}
