/**
 * A system: one scheduler, one services registry, and the components running
 * on them. Independent systems do not share anything, which keeps tests
 * isolated; {@link System.default} serves the `.run()` one-liner.
 *
 * @module
 */
import type { Box } from "./box.js";
import { ComponentFailure, StalledError } from "./errors.js";
import type { Member } from "./member.js";
import { Scheduler } from "./scheduler.js";
import { Services } from "./services.js";
import { observer } from "./observe.js";

interface RunWaiter {
  resolve(): void;
  reject(e: unknown): void;
}

/** A scheduler, a services registry and the live components on them. */
export class System {
  private static defaultSystem: System | null = null;

  /** The system `activate()` and `run()` use when given none. */
  static get default(): System {
    return (System.defaultSystem ??= new System());
  }

  /** Runs this system's components. */
  readonly scheduler = new Scheduler();
  /** Named services (backplanes and the like) for this system. */
  readonly services = new Services();
  /** Messages dropped anywhere in this system: sent from unlinked outboxes, or to finished components. */
  deadLetters = 0;
  /** Called for each dropped message, when set (off by default: it costs nothing then). */
  onDeadLetter: ((box: Box, message: unknown) => void) | null = null;
  /**
   * Called with a failure that no parent handled. The default rejects every
   * pending `run()`; if none is pending, it throws the failure as an uncaught
   * exception, as an unhandled error in Node does.
   */
  onFailure: (failure: ComponentFailure) => void = (f) => this.defaultFailure(f);

  private readonly live = new Set<Member>();
  private ids = 1;
  /** Components never activated that were sent something (named at a stall or at the end). */
  private held: Set<WeakRef<Member>> | null = null;
  private waiters: RunWaiter[] = [];
  private exitHook: (() => void) | null = null;

  constructor() {
    this.scheduler.onIdle = () => this.checkDone();
  }

  /** The components activated and not yet finished. */
  components(): Member[] {
    return [...this.live];
  }

  /** How many components are active. */
  get size(): number {
    return this.live.size;
  }

  /**
   * Resolve when every component has finished. Rejects with a
   * {@link ComponentFailure} when a component fails and no parent handles it,
   * and with a {@link StalledError} when the event loop empties while
   * components still sleep with nothing left that could wake them (so an idle
   * system never keeps the process alive).
   */
  run(): Promise<void> {
    if (this.live.size === 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      this.waiters.push({ resolve, reject });
      this.installExitHook();
    });
  }

  /** Stop every top-level component (their children stop with them). */
  stop(): void {
    for (const c of this.live) if (c.parent === null) c.stop();
  }

  /** @internal A new component id, unique in this system (ids are given at activation). */
  nextId(): number {
    return this.ids++;
  }

  /** @internal A component never activated was sent a message. */
  unstarted(c: Member): void {
    const held = (this.held ??= new Set());
    // Weakly held (a component dropped by its maker is no mistake to report), and a bounded number.
    if (held.size < 1000) held.add(new WeakRef(c));
  }

  /**
   * Components never activated that hold messages sent to them (a mistake:
   * nothing will ever read them), as `Name (n waiting)`.
   */
  neverActivated(): string[] {
    if (this.held === null) return [];
    const out: string[] = [];
    for (const ref of this.held) {
      const c = ref.deref();
      if (c === undefined || c.isActive() || c.isFinished()) {
        this.held.delete(ref);
        continue;
      }
      const n = c.inboxes().reduce((sum, b) => sum + b.length, 0);
      if (n > 0) out.push(`${c.name} (${n} waiting)`);
    }
    return out;
  }

  /** @internal A component was activated. */
  added(c: Member): void {
    this.live.add(c);
  }

  /** @internal A component finished. */
  removed(c: Member): void {
    this.live.delete(c);
    if (this.live.size === 0) this.checkDone();
  }

  /** @internal A message was dropped. */
  dropped(box: Box, message: unknown): void {
    this.deadLetters++;
    if (this.onDeadLetter !== null) this.onDeadLetter(box, message);
    if (observer !== null) observer.deadLetter(box, message);
  }

  private checkDone(): void {
    if (this.live.size > 0 || this.waiters.length === 0) return;
    const ws = this.waiters;
    this.waiters = [];
    this.removeExitHook();
    this.warnNeverActivated("the system ended");
    for (const w of ws) w.resolve();
  }

  private warnNeverActivated(when: string): void {
    const names = this.neverActivated();
    if (names.length === 0 || typeof process === "undefined") return;
    process.emitWarning(
      `${when} with messages waiting in component(s) never activated: ${names.join(", ")}; call activate() on them (or add them to a chassis that does)`,
      { type: "NeverActivatedWarning", code: "KAMAELIA_NEVER_ACTIVATED" },
    );
  }

  private defaultFailure(f: ComponentFailure): void {
    if (this.waiters.length === 0) {
      setImmediate(() => {
        throw f;
      });
      return;
    }
    const ws = this.waiters;
    this.waiters = [];
    this.removeExitHook();
    for (const w of ws) w.reject(f);
  }

  private installExitHook(): void {
    if (this.exitHook !== null || typeof process === "undefined") return;
    this.exitHook = () => {
      if (this.live.size === 0 || this.scheduler.hasWork()) return;
      const ws = this.waiters;
      this.waiters = [];
      this.removeExitHook();
      const err = new StalledError([...this.live].map((c) => c.name), this.neverActivated());
      for (const w of ws) w.reject(err);
    };
    process.on("beforeExit", this.exitHook);
  }

  private removeExitHook(): void {
    if (this.exitHook !== null) {
      process.off("beforeExit", this.exitHook);
      this.exitHook = null;
    }
  }
}
