/**
 * PAR: run components side by side (Occam's PAR; Kamaelia's `PAR`).
 *
 * ```ts
 * Pipeline(PAR(new Button("NEXT"), new Button("PREV")), new Chooser(slides), new Image()).run();
 * ```
 *
 * Every component's `outbox` is merged into the PAR's `outbox` (in the order
 * they send). Each message on the PAR's `inbox` is copied to every
 * component still running, waiting for room (Kamaelia's discarded it). The
 * components' own `signal`s do not leave the PAR (Kamaelia let the first
 * one out early); their `ErrorInformation` reports do.
 *
 * Shutdown is forwarded to every component: `shutdownMicroprocess` at once,
 * `producerFinished` once all waiting input has been copied. Unlike
 * Kamaelia's, a PAR always waits for all its components to finish; then it
 * sends the message it received, or a new `producerFinished`, out of `signal`.
 *
 * Empty chassis end at once: `PAR()` with no components, as in Kamaelia (and
 * like an empty Seq), sends `producerFinished` out of `signal` and finishes
 * in its first timeslice; input sent to it is left in its inbox, and dropped
 * (counted as dead letters) when it finishes.
 *
 * @module
 */
import type { Box, Outbox } from "../core/box.js";
import { Component, type AnyComponent, type Wait } from "../core/component.js";
import type { ControlMessage } from "../core/ipc.js";
import type { ShutdownKind } from "../core/shutdown.js";
import type { OutOf } from "../core/types.js";
import { passOnErrors } from "./pass-on-errors.js";
import { ChassisArgumentError, describeArgument } from "./argument-error.js";
import type { AcceptedByAll } from "./seq.js";

/**
 * The PAR component; make one with {@link PAR}. `In` must be accepted by
 * every component, `Out` is what any of them sends.
 */
export class PARComponent<In = unknown, Out = unknown> extends Component<In, Out> {
  static override inboxes = {
    inbox: "copied to every component still running",
    control: "forwarded to every component: shutdownMicroprocess at once, producerFinished once waiting input is copied",
  };
  static override outboxes = {
    outbox: "what every component sends, merged",
    signal: "ErrorInformation the components report; once all have finished, the shutdown message received or producerFinished",
  };

  /** The components. */
  readonly components: readonly AnyComponent[];
  private readonly fromChildren = this.addInbox<ControlMessage>("childSignal", "what the components send from their signal");

  /** @throws ChassisArgumentError if an argument is not a component, or one is given twice. */
  constructor(...components: AnyComponent[]) {
    super();
    components.forEach((c, i) => {
      if (!(c instanceof Component)) throw new ChassisArgumentError(`${this.name}: argument ${i} is not a component (got ${describeArgument(c)})`);
      if (components.indexOf(c) !== i) throw new ChassisArgumentError(`${this.name}: argument ${i} (${c.name}) is given twice`);
    });
    this.components = components;
  }

  *main(): Wait {
    const cs = this.components;
    const data: Outbox<In>[] = [];
    const control: Outbox<ControlMessage>[] = [];
    this.addChildren(...cs);
    cs.forEach((c, i) => {
      data.push(this.addOutbox<In>(`child${i}inbox`, `input copied to ${c.name}`));
      control.push(this.addOutbox<ControlMessage>(`child${i}control`, `shutdown for ${c.name}`));
      this.link(data[i]!, c.inbox);
      this.link(c.outbox as Box, this.outbox);
      this.link(control[i]!, c.control);
      this.link(c.signal, this.fromChildren);
    });
    for (const c of cs) c.activate(this.system!);

    const inbox = this.inbox;
    let told: ShutdownKind = null;
    // With no components there is nothing to copy input to, or to wait for.
    while (cs.length > 0) {
      copying: while (inbox.length > 0) {
        if (this.dataReady("control") > 0 && this.checkShutdown() === "stop") break;
        const m = inbox.take();
        for (let i = 0; i < cs.length; i++) {
          while (data[i]!.isFull() && !cs[i]!.isFinished()) {
            if (this.checkShutdown() === "stop") break copying;
            this.pause();
            yield;
          }
          if (!cs[i]!.isFinished()) data[i]!.send(m);
        }
      }
      const kind = this.checkShutdown();
      if ((kind === "stop" && told !== "stop") || (kind === "finish" && told === null && inbox.length === 0)) {
        for (let i = 0; i < cs.length; i++) if (!cs[i]!.isFinished()) control[i]!.send(this.shutdownMessage!);
        told = kind;
      }
      passOnErrors(this, this.fromChildren);
      if (cs.every((c) => c.isFinished())) break;
      this.pause();
      yield;
    }
    this.childrenDone();
    passOnErrors(this, this.fromChildren);
    this.passOnShutdown();
  }
}

/** Make a PAR: run the components side by side, merging their outputs. */
export function PAR<const Cs extends readonly AnyComponent[]>(...components: Cs): PARComponent<AcceptedByAll<Cs>, OutOf<Cs[number]>> {
  return new PARComponent<AcceptedByAll<Cs>, OutOf<Cs[number]>>(...components);
}
