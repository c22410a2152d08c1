/**
 * Seq: run components one after another (Occam's SEQ; Kamaelia's `Seq`).
 *
 * ```ts
 * const state = {};
 * ServerCore({ port, protocol: () =>
 *   Pipeline(new LineBuffer(), Seq(new Authenticator(state), new UserRetriever(state), new MessageBoard(state))) });
 * ```
 *
 * Each component in turn reads the Seq's `inbox` and sends out of the Seq's
 * `outbox`. Input is handed to the running component one message at a time,
 * once it has taken the previous one, and what it leaves unread when it ends
 * goes back to the front of the Seq's inbox for the next component, so no
 * input is lost between phases (a client typing ahead of a login prompt
 * keeps every line). A component's own `signal` does not leave the
 * Seq, so one phase ending does not shut down what is downstream (as in
 * Kamaelia); only `ErrorInformation` reports are passed on.
 *
 * Unlike Kamaelia's, a Seq obeys its `control`: `shutdownMicroprocess`
 * stops the running component and skips the rest; `producerFinished` ("my
 * input is done") is passed to the running component and to each later one
 * as it starts, so every phase still runs, knowing no more input will come.
 * When the last component has finished, the Seq sends the message it
 * received, or a new `producerFinished`, out of `signal`.
 *
 * @module
 */
import type { Box } from "../core/box.js";
import { Component, type AnyComponent, type Wait } from "../core/component.js";
import type { ControlMessage } from "../core/ipc.js";
import type { ShutdownKind } from "../core/shutdown.js";
import type { InOf, OutOf } from "../core/types.js";
import { passOnErrors } from "./pass-on-errors.js";
import { ChassisArgumentError, describeArgument } from "./argument-error.js";

/** What every component of the tuple `Cs` accepts: the intersection of their inbox types. */
export type AcceptedByAll<Cs extends readonly unknown[]> = Cs extends readonly [infer H, ...infer R] ? InOf<H> & AcceptedByAll<R> : unknown;

/**
 * The Seq component; make one with {@link Seq}. `In` must be accepted by
 * every component, `Out` is what any of them sends.
 */
export class SeqComponent<In = unknown, Out = unknown> extends Component<In, Out> {
  static override inboxes = {
    inbox: "input for the component now running, handed over one message at a time",
    control: "shutdownMicroprocess: stop the running component, skip the rest; producerFinished: tell the running and every later component that input is done",
  };
  static override outboxes = {
    outbox: "what the running component sends from its outbox",
    signal: "ErrorInformation the components report; at the end, the shutdown message received or producerFinished",
  };

  /** The components, in the order they run. */
  readonly components: readonly AnyComponent[];
  private readonly toChildData = this.addOutbox<In>("childInbox", "input for the running component, one message at a time");
  private readonly toChild = this.addOutbox<ControlMessage>("childControl", "shutdown messages for the running component");
  private readonly fromChild = this.addInbox<ControlMessage>("childSignal", "what the running component sends from its signal");

  /** @throws ChassisArgumentError if an argument is not a component, or one is given twice. */
  constructor(...components: AnyComponent[]) {
    super();
    components.forEach((c, i) => {
      if (!(c instanceof Component)) throw new ChassisArgumentError(`${this.name}: argument ${i} is not a component (got ${describeArgument(c)})`);
      if (components.indexOf(c) !== i) throw new ChassisArgumentError(`${this.name}: argument ${i} (${c.name}) is given twice; a component runs only once`);
    });
    this.components = components;
  }

  *main(): Wait {
    const inbox = this.inbox;
    const toChildData = this.toChildData;
    for (const c of this.components) {
      if (this.checkShutdown() === "stop") break;
      this.addChildren(c);
      // One message at a time: what a component leaves unread when it ends is lost with its inbox,
      // so input stays here until the running component has taken the previous message.
      this.link(toChildData, c.inbox, { pipewidth: 1 });
      this.link(c.outbox as Box, this.outbox);
      this.link(this.toChild, c.control);
      this.link(c.signal, this.fromChild);
      c.activate(this.system!);
      let told: ShutdownKind = null;
      while (!c.isFinished()) {
        while (inbox.length > 0 && !toChildData.isFull()) toChildData.send(inbox.take());
        const kind = this.checkShutdown();
        // A finish is passed on only once all input has been handed over.
        if ((kind === "stop" && told !== "stop") || (kind === "finish" && told === null && inbox.length === 0)) {
          this.send(this.shutdownMessage!, this.toChild);
          told = kind;
        }
        passOnErrors(this, this.fromChild);
        this.pause();
        yield;
      }
      passOnErrors(this, this.fromChild);
      this.removeChild(c);
    }
    this.passOnShutdown();
  }

  /** Input the ending component was handed but never read goes back first in line for the next one. */
  protected override childEnding(child: AnyComponent): void {
    this.inbox.prepend(child.inbox.takeAll());
  }
}

/**
 * Make a Seq: run the components one after another, each wired to the Seq's
 * inbox and outbox in turn.
 */
export function Seq<const Cs extends readonly AnyComponent[]>(...components: Cs): SeqComponent<AcceptedByAll<Cs>, OutOf<Cs[number]>> {
  return new SeqComponent<AcceptedByAll<Cs>, OutOf<Cs[number]>>(...components);
}
