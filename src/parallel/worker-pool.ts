/**
 * WorkerPool: one CPU-bound stage spread over N worker threads (or
 * processes), each running the same named component.
 *
 * ```ts
 * Pipeline(new Ranges(), WorkerPool<PrimeCounter>({ module: import.meta.url, export: "PrimeCounter", workers: 2 }), new Sum()).run();
 * ```
 *
 * Each input goes to a member that can send it across at once (its credit
 * window has room; round robin among those), so a slow member gets less,
 * memory stays bounded (at most `window` inputs per member on their way or
 * waiting there, plus `window` in its stage's inbox), and the last inputs go
 * to whichever member frees up first. Input no member can take yet waits in
 * the pool's inbox (a bounded inbox then makes producers wait). With `ordered: true` (the default) outputs
 * leave in input order: the stage must then send exactly one message per
 * input (a function of its input, like a PureTransformer that never filters);
 * `ordered: false` sends each output as soon as it arrives, for stages that
 * filter or fan out.
 *
 * Shutdown: `producerFinished` is passed to every member once all input is
 * handed out; `shutdownMicroprocess` to every member at once. When every
 * member has finished and their output is out, the pool passes the shutdown
 * message on. A member that fails (or whose thread dies) stops the others
 * and fails the pool with that failure, so a Supervisor can restart the
 * whole pool. `ErrorInformation` a member reports on its signal is passed
 * out of the pool's signal.
 *
 * @module
 */
import { availableParallelism } from "node:os";
import type { Inbox, Outbox } from "../core/box.js";
import { Component, type AnyComponent, type Wait } from "../core/component.js";
import type { ComponentFailure } from "../core/errors.js";
import { ErrorInformation, producerFinished, shutdownMicroprocess, type ControlMessage } from "../core/ipc.js";
import type { InOf, OutOf } from "../core/types.js";
import type { RemoteKind } from "./channel.js";
import { ParallelArgumentError } from "./errors.js";
import { RemoteComponent, type ProcessOptions } from "./remote-component.js";

/** What a WorkerPool is made from: the stage (as for a worker component) and the pool's shape. */
export interface WorkerPoolOptions extends ProcessOptions {
  /** How many members (default: the machine's available parallelism). */
  workers?: number;
  /** Keep input order in the output (default true; needs one output per input). */
  ordered?: boolean;
  /** `"worker"` threads (default) or child `"process"`es. */
  kind?: RemoteKind;
}

interface Member {
  readonly proxy: RemoteComponent;
  readonly to: Outbox;
  readonly ctl: Outbox<ControlMessage>;
  readonly from: Inbox;
  readonly sig: Inbox<ControlMessage>;
}

/** The WorkerPool component; make one with {@link WorkerPool}. */
export class WorkerPoolComponent<In = unknown, Out = unknown> extends Component<In, Out> {
  static override inboxes = {
    inbox: "inputs for the stage, handed to members with room",
    control: "producerFinished (passed to every member once all input is handed out) / shutdownMicroprocess (at once)",
  };
  static override outboxes = {
    outbox: "the stage's outputs, in input order when ordered",
    signal: "ErrorInformation from members; then the shutdown message once every member has finished",
  };

  /** How many members. */
  readonly workers: number;
  /** Whether outputs keep input order. */
  readonly ordered: boolean;
  private readonly options: WorkerPoolOptions;
  private members: Member[] = [];
  private failure: ComponentFailure | null = null;
  private readonly assigned: number[] = [];
  private assignedHead = 0;
  private next = 0;

  /** @throws ParallelArgumentError for a bad `workers`, `ordered` or `kind` (and as a worker component would, for the stage's options). */
  constructor(options: WorkerPoolOptions) {
    super();
    const o: Partial<WorkerPoolOptions> = options ?? {};
    const workers = o.workers ?? availableParallelism();
    if (!Number.isInteger(workers) || workers < 1) throw new ParallelArgumentError(`${this.name}: workers must be a whole number ≥ 1, got ${String(o.workers)}`);
    if (o.ordered !== undefined && typeof o.ordered !== "boolean") throw new ParallelArgumentError(`${this.name}: ordered must be true or false, got ${String(o.ordered)}`);
    if (o.kind !== undefined && o.kind !== "worker" && o.kind !== "process") throw new ParallelArgumentError(`${this.name}: kind must be "worker" or "process", got ${String(o.kind)}`);
    this.workers = workers;
    this.ordered = o.ordered ?? true;
    this.options = { window: 8, ...o } as WorkerPoolOptions;
    // Build one member now, so bad stage options fail here, in the caller's code.
    this.members.push(this.member(0));
  }

  private member(i: number): Member {
    const proxy = new RemoteComponent(this.options.kind ?? "worker", this.options);
    proxy.setInboxSize("inbox", this.options.window!);
    return {
      proxy,
      to: this.addOutbox(`to${i}`, `inputs for member ${i}`),
      ctl: this.addOutbox<ControlMessage>(`control${i}`, `shutdown for member ${i}`),
      from: this.addInbox(`from${i}`, `outputs of member ${i}`),
      sig: this.addInbox<ControlMessage>(`signal${i}`, `signal of member ${i}`),
    };
  }

  /** The members' proxies (for introspection). */
  proxies(): readonly RemoteComponent[] {
    return this.members.map((m) => m.proxy);
  }

  *main(): Wait {
    for (let i = 1; i < this.workers; i++) this.members.push(this.member(i));
    const ms = this.members;
    this.addChildren(...ms.map((m) => m.proxy));
    for (const m of ms) {
      this.link(m.to, m.proxy.inbox);
      this.link(m.ctl, m.proxy.control);
      this.link(m.proxy.outbox, m.from);
      this.link(m.proxy.signal, m.sig);
    }
    for (const m of ms) m.proxy.activate(this.system!);
    let told: "finish" | "stop" | null = null;
    for (;;) {
      if (this.failure !== null) {
        // Fail only once every member has ended its thread or process, so nothing outlives the failure report.
        for (const m of ms) m.proxy.stop();
        while (!ms.every((m) => m.proxy.isFinished())) {
          this.pause();
          yield;
        }
        throw this.failure;
      }
      const kind = this.checkShutdown();
      if (kind === "stop" && told !== "stop") {
        for (const m of ms) if (!m.proxy.isFinished()) m.ctl.send(shutdownMicroprocess(this));
        told = "stop";
      }
      if (told !== "stop") this.dispatch();
      // Once every member has finished no more output can come: what is left goes out as it stands
      // (so a stage that filtered or fanned out under `ordered` cannot hang the pool).
      const allDone = ms.every((m) => m.proxy.isFinished());
      this.collect(allDone);
      for (const m of ms) {
        while (m.sig.length > 0) {
          const s = m.sig.take();
          if (s instanceof ErrorInformation) this.send(s, "signal");
        }
      }
      if (kind === "finish" && told === null && this.inbox.length === 0) {
        for (const m of ms) m.ctl.send(this.shutdownMessage ?? producerFinished(this));
        told = "finish";
      }
      if (allDone && ms.every((m) => m.from.length === 0 || told === "stop")) break;
      this.pause();
      yield;
    }
    this.childrenDone();
    this.passOnShutdown();
  }

  /**
   * Hand waiting input to members that can send it across at once, round
   * robin. Input is not queued ahead in a member's proxy: it stays here until
   * some member's credit comes back, so the last inputs go to whichever
   * member frees up first and a member never holds work another could start
   * (with inputs that cost more towards the end, a queue per member left one
   * idle while the other finished its queue: W8).
   */
  private dispatch(): void {
    const ms = this.members;
    const inbox = this.inbox;
    while (inbox.length > 0) {
      let k = 0;
      while (k < ms.length && !canTake(ms[(this.next + k) % ms.length]!)) k++;
      if (k === ms.length) return;
      const i = (this.next + k) % ms.length;
      this.next = (i + 1) % ms.length;
      ms[i]!.to.send(inbox.take());
      if (this.ordered) this.assigned.push(i);
    }
  }

  /** Send on the members' outputs (in input order when ordered) while the outbox has room. */
  private collect(tail: boolean): void {
    const ms = this.members;
    const out = this.outbox;
    if (this.ordered && !tail) {
      const a = this.assigned;
      let h = this.assignedHead;
      while (h < a.length && !out.isFull()) {
        const from = ms[a[h]!]!.from;
        if (from.length === 0) break;
        this.send(from.take() as Out);
        h++;
      }
      if (h === a.length) {
        a.length = 0;
        h = 0;
      } else if (h > 1024 && h * 2 > a.length) {
        a.splice(0, h);
        h = 0;
      }
      this.assignedHead = h;
      return;
    }
    for (const m of ms) while (m.from.length > 0 && !out.isFull()) this.send(m.from.take() as Out);
  }

  protected override childFailed(_child: AnyComponent, failure: ComponentFailure): void {
    this.failure ??= failure;
    this.unpause();
  }
}

/** Whether a member can send one more input across now (its proxy's inbox would not hold it back). */
function canTake(m: Member): boolean {
  return m.proxy.room() > 0 && !m.to.isFull();
}

/**
 * A pool of `workers` threads (or processes) running the named stage; see
 * {@link WorkerPoolComponent}. `C` is the stage's component type, for typed links.
 */
export function WorkerPool<C extends AnyComponent = AnyComponent>(options: WorkerPoolOptions): WorkerPoolComponent<InOf<C>, OutOf<C>> {
  return new WorkerPoolComponent<InOf<C>, OutOf<C>>(options);
}
