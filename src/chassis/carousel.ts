/**
 * Carousel: one child at a time, re-created from a factory on each request
 * (Kamaelia's `Carousel`).
 *
 * ```ts
 * // Play each file named on "next" with a fresh reader; ask for the next one when it ends.
 * Graphline({ CHOOSER: new Chooser(files), PLAYER: Carousel((file: string) => new FileReader(file)) },
 *   { "CHOOSER.outbox": "PLAYER.next", "PLAYER.requestNext": "CHOOSER.inbox", "PLAYER.outbox": "self.outbox" });
 * ```
 *
 * Each message on `next` makes a new child, `factory(message)`: a child
 * still running is first stopped (sent `shutdownMicroprocess`) and the new
 * one is made once it has finished. Queued requests are handled in order.
 * The child's `outbox` is passed out of the Carousel's. Input on `inbox`
 * waits in the Carousel and is handed to the current child one message at a
 * time, once it has taken the previous one; input that a child did not get
 * to, or left unread anywhere inside it (a child may be a Pipeline whose
 * first component ends before the rest), or that arrived while there was no
 * child, goes to the next child. When a child finishes and no request is
 * waiting, the Carousel sends `"NEXT"` out of `requestNext` (and once at the
 * start if `make1stRequest` is set).
 *
 * Shutdown: `producerFinished` handles the requests still queued; the child
 * left when no request waits is the last, so it is handed all the waiting
 * input at once and then the message, straight away (a child that never
 * reads its inbox, such as a file reader or a clock, is told too, as in
 * Kamaelia), and the Carousel waits for it. `shutdownMicroprocess` drops
 * queued requests and stops the child at once. Then the message goes out of
 * `signal`. A Carousel with no child and no request waiting ends at once
 * when told either (empty chassis end at once, like an empty Seq or PAR). A
 * factory that throws or returns something other than a component is
 * reported as `ErrorInformation` on `signal`, and the Carousel carries on.
 *
 * @module
 */
import type { Box } from "../core/box.js";
import { Component, type AnyComponent, type Wait } from "../core/component.js";
import { ErrorInformation, shutdownMicroprocess, type ControlMessage } from "../core/ipc.js";
import type { ShutdownKind } from "../core/shutdown.js";
import { passOnErrors } from "./pass-on-errors.js";
import { ChassisArgumentError, describeArgument } from "./argument-error.js";
import { handOver, handOverAll, reclaimInto } from "./hand-over.js";

/** The Carousel component; make one with {@link Carousel}. `Req` is what arrives on `next`. */
export class CarouselComponent<In = unknown, Out = unknown, Req = unknown> extends Component<In, Out> {
  static override inboxes = {
    inbox: "input for the current child, handed over one message at a time (held here while there is none)",
    control: "producerFinished: handle queued requests, then finish the child and stop; shutdownMicroprocess: stop the child now and stop",
    next: "requests: each makes a new child, factory(request), after stopping the current one",
  };
  static override outboxes = {
    outbox: "what the current child sends",
    signal: "ErrorInformation (a factory failed, or a child reported one); at the end, the shutdown message received",
    requestNext: '"NEXT" when a child has finished and no request is waiting',
  };

  /** Send `"NEXT"` out of `requestNext` at the start too. */
  make1stRequest = false;
  /** Where requests for a new child arrive. */
  readonly next = this.addInbox<Req>("next");
  /** Where the Carousel asks for the next request. */
  readonly requestNext = this.addOutbox<"NEXT">("requestNext");
  /** How many children have been made. */
  made = 0;
  private readonly factory: (request: Req) => Component<In, Out>;
  private readonly toChildData = this.addOutbox<In>("childInbox", "input for the current child, one message at a time");
  private readonly toChild = this.addOutbox<ControlMessage>("childControl", "shutdown messages for the current child");
  private readonly fromChild = this.addInbox<ControlMessage>("childSignal", "what the current child sends from its signal");

  /** @throws ChassisArgumentError unless `factory` is a function. */
  constructor(factory: (request: Req) => Component<In, Out>) {
    super();
    if (typeof factory !== "function") {
      throw new ChassisArgumentError(`${this.name}: a Carousel needs a factory function (request → component), got ${describeArgument(factory)}`);
    }
    this.factory = factory;
    reclaimInto(this.toChildData, this.inbox);
  }

  *main(): Wait {
    if (this.make1stRequest) this.send("NEXT", this.requestNext);
    const inbox = this.inbox;
    let child: AnyComponent | null = null;
    let told: ShutdownKind | "replace" = null;
    for (;;) {
      passOnErrors(this, this.fromChild);
      const kind = this.checkShutdown();
      if (child !== null && child.isFinished()) {
        this.removeChild(child);
        child = null;
        told = null;
        if (this.next.length === 0 && kind === null) this.send("NEXT", this.requestNext);
      }
      if (child !== null) {
        handOver(inbox, this.toChildData);
        if (kind === "stop" && told !== "stop" && told !== "replace") {
          this.send(this.shutdownMessage!, this.toChild);
          told = "stop";
        } else if (this.next.length > 0 && kind !== "stop" && told === null) {
          this.send(shutdownMicroprocess(this), this.toChild);
          told = "replace";
        } else if (kind === "finish" && told === null) {
          // No request waits, so this child is the last: all the input is its, and the finish must reach it
          // even if it never reads its inbox.
          handOverAll(inbox, this.toChildData);
          this.send(this.shutdownMessage!, this.toChild);
          told = "finish";
        }
      } else if (kind !== "stop" && this.next.length > 0) {
        child = this.start(this.next.take());
        if (child === null && this.next.length === 0 && kind === null) this.send("NEXT", this.requestNext);
        continue;
      } else if (kind !== null) {
        break;
      }
      this.pause();
      yield;
    }
    passOnErrors(this, this.fromChild);
    this.passOnShutdown();
  }

  private start(request: Req): AnyComponent | null {
    let c: unknown;
    try {
      c = this.factory(request);
      if (!(c instanceof Component)) throw new ChassisArgumentError(`${this.name}: the factory returned ${describeArgument(c)}, not a component`);
    } catch (e) {
      const error = e instanceof Error ? e : new Error(String(e));
      this.send(new ErrorInformation(this, error, request), "signal");
      return null;
    }
    const child = c as AnyComponent;
    this.made++;
    this.addChildren(child);
    this.link(this.toChildData, child.inbox, { pipewidth: 1 });
    this.link(child.outbox as Box, this.outbox);
    this.link(this.toChild, child.control);
    this.link(child.signal, this.fromChild);
    child.activate(this.system!);
    return child;
  }
}

/** Options for {@link Carousel}. */
export interface CarouselOptions {
  /** Send `"NEXT"` out of `requestNext` at the start too (default false). */
  make1stRequest?: boolean;
}

/** Make a Carousel whose children are `factory(request)` for each request arriving on `next`. */
export function Carousel<Req, In, Out>(factory: (request: Req) => Component<In, Out>, options?: CarouselOptions): CarouselComponent<In, Out, Req> {
  const c = new CarouselComponent<In, Out, Req>(factory);
  if (options?.make1stRequest !== undefined) c.make1stRequest = options.make1stRequest;
  return c;
}
