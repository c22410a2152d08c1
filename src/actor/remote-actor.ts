/**
 * RemoteActor: an actor that runs elsewhere — on a worker thread or in a
 * child process — reached by name here like any other.
 *
 * ```ts
 * import { WorkerComponent } from "kamaelia/parallel";
 * new RemoteActor(WorkerComponent<Squarer>({ module: new URL("./squarer.js", import.meta.url), export: "Squarer",
 *   outboxes: ["replies", "error"] })).named("squarer").activate();
 * await actor<Squarer>("squarer").square(12);     // 144, computed on the worker thread
 * ```
 *
 * The remote component is an Actor whose `replies` outbox (and, best,
 * `error`) is bridged. Calls cross as {@link WireCall} data and come back as
 * {@link WireReply}; the remote actor's outputs come out of its `outbox` and
 * are emitted here, to local observers and this actor's own `outbox`.
 * Arguments and results must survive the crossing (structured clone on a
 * thread). A failure on the other side rejects the call with a
 * {@link RemoteActorError} carrying the remote error's code, message and
 * stack. If the remote component fails or its thread dies, calls waiting are
 * refused and this actor fails too, so a Supervisor restarts the pair.
 *
 * @module
 */
import type { AnyComponent, ComponentFailure, ErrorInformation, Inbox, Outbox, Wait } from "../core/index.js";
import { Actor } from "./actor.js";
import type { ActorCall } from "./call.js";
import { ActorArgumentError, ActorStoppedError, RemoteActorError, describe } from "./errors.js";
import { deregisterActor } from "./registry.js";
import type { NoOutputs } from "./types.js";
import { isWireReply, type WireCall } from "./wire.js";

/** An output crossing from the remote actor's outbox. */
interface Output {
  from: string;
  method: string;
  args: unknown[];
}

function isOutput(m: unknown): m is Output {
  const o = m as Partial<Output> | null;
  return typeof o === "object" && o !== null && typeof o.method === "string" && typeof o.from === "string" && Array.isArray(o.args);
}

/**
 * A local stand-in for an Actor running elsewhere; see the module comment.
 * Boxes: as an Actor's, plus `toRemote`: the calls sent across.
 */
export class RemoteActor<O extends object = NoOutputs> extends Actor<O> {
  static override outboxes = { ...Actor.outboxes, toRemote: "WireCall: the calls, as data, for the remote actor" };

  /** The component running the actor elsewhere (a WorkerComponent / ProcessComponent proxy). */
  readonly remote: AnyComponent;
  /** The calls sent across. */
  readonly toRemote = this.addOutbox<WireCall>("toRemote");
  readonly #pending = new Map<number, ActorCall>();
  #nextId = 1;
  #failure: ComponentFailure | null = null;

  /** @throws ActorArgumentError if `remote` is not a component bridging a `replies` outbox. */
  constructor(remote: AnyComponent) {
    super();
    if (typeof remote !== "object" || remote === null || typeof (remote as Partial<AnyComponent>).outboxNamed !== "function") {
      throw new ActorArgumentError(`${this.name}: a RemoteActor needs the component running the actor (e.g. a WorkerComponent), got ${describe(remote)}`);
    }
    try {
      remote.outboxNamed("replies");
    } catch {
      throw new ActorArgumentError(`${this.name}: the remote component must bridge the actor's "replies" outbox (WorkerComponent({ …, outboxes: ["replies", "error"] }))`);
    }
    this.remote = remote;
    this.addChildren(remote);
  }

  override *main(): Wait<unknown> {
    try {
      return yield* this.serve(() => this.#connect());
    } finally {
      this.#refuse("it stopped");
      if (!this.remote.isFinished()) this.remote.stop();
    }
  }

  *#connect(): Wait {
    const r = this.remote;
    const inbox = this.inbox as Inbox<unknown>;
    this.link(this.toRemote, r.inbox);
    this.link(r.outboxNamed("replies") as Outbox<unknown>, inbox);
    this.link(r.outbox as Outbox<unknown>, inbox);
    try {
      this.link(r.outboxNamed("error") as Outbox<ErrorInformation>, this.error);
    } catch {
      // Not bridged: the remote side reports such failures where it runs.
    }
    r.activate(this.system!);
  }

  protected override dispatch(m: ActorCall): void {
    const id = m.wantsAnswer ? this.#nextId++ : 0;
    if (id !== 0) this.#pending.set(id, m);
    this.send({ actorCall: id, method: m.method, args: [...m.args], from: m.from }, this.toRemote);
  }

  protected override accept(message: unknown): boolean {
    if (message === this.#failed) {
      deregisterActor(this.system!, this.name, this);
      throw this.#failure!;
    }
    if (isWireReply(message)) {
      const call = this.#pending.get(message.actorReply);
      this.#pending.delete(message.actorReply);
      if (call !== undefined) {
        if (message.error !== undefined) call.fail(new RemoteActorError(message.error));
        else call.answer(message.value);
      }
      return true;
    }
    if (isOutput(message)) {
      (this.output as unknown as Record<string, (...args: unknown[]) => void>)[message.method]!(...message.args);
      return true;
    }
    return false;
  }

  /** The marker this actor sends itself to fail in its own step when the remote side failed. */
  readonly #failed = {};

  protected override childFailed(child: AnyComponent, failure: ComponentFailure): void {
    void child;
    this.#refuse(`the remote side failed: ${failure.message}`);
    this.#failure = failure;
    this.inbox.deliver(this.#failed as never, "the remote side");
  }

  #refuse(why: string): void {
    for (const call of this.#pending.values()) call.fail(new ActorStoppedError(this.name, call.method, why));
    this.#pending.clear();
  }
}
