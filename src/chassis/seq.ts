/**
 * Seq: run components one after another (Occam's SEQ; Kamaelia's `Seq`).
 *
 * ```ts
 * const state = {};
 * Seq("Authenticating...", new Authenticator(state), "Retrieving user", new UserRetriever(state), new MessageBoard(state));
 * ```
 *
 * Each phase in turn reads the Seq's `inbox` and sends out of the Seq's
 * `outbox`. A phase is a component (any: a Pipeline, a Graphline, another
 * Seq…) or a string, which the Seq sends out of its `outbox` before moving
 * on, as in Kamaelia's tutorial (Kamaelia's printed it to the console).
 *
 * No input is lost between phases (a client typing ahead of a login prompt
 * keeps every line). Input waits in the Seq's inbox and is handed to the
 * running phase one message at a time, once the previous one has been taken;
 * whatever the phase leaves unread anywhere inside it (in its own inbox, or
 * in the inbox of the component inside it that reads its input, which may
 * end before the phase does) comes back to the front of the Seq's inbox for
 * the next phase. A phase's own `signal` does not leave the Seq, so one
 * phase ending does not shut down what is downstream (as in Kamaelia); only
 * `ErrorInformation` reports are passed on.
 *
 * Unlike Kamaelia's, a Seq obeys its `control`: `shutdownMicroprocess`
 * stops the running phase and skips the rest; `producerFinished` ("my input
 * is done") is passed to the running phase and to each later one as it
 * starts, so every phase still runs, knowing no more input will come. As
 * the input is then complete, the phase is handed all of it at once and
 * told at once, whether or not it reads: it sees everything left for it, as
 * a Kamaelia phase (whose inbox the Seq's passed through to) did, and hears
 * the finish even if it never reads its inbox; whatever it leaves unread
 * comes back for the next phase, which is handed it and told in turn. When
 * the last phase has finished, the Seq sends the message it received, or a
 * new `producerFinished`, out of `signal`.
 *
 * Empty chassis end at once: a Seq with no phases, like a PAR with no
 * components, sends `producerFinished` out of `signal` and finishes in its
 * first timeslice.
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
import { handOver, handOverAll, reclaimInto } from "./hand-over.js";

/** What every component of the tuple `Cs` accepts: the intersection of their inbox types (a string phase accepts anything). */
export type AcceptedByAll<Cs extends readonly unknown[]> = Cs extends readonly [infer H, ...infer R]
  ? (H extends string ? unknown : InOf<H>) & AcceptedByAll<R>
  : unknown;

/** One phase of a Seq: a component to run, or a string to send out of the Seq's `outbox`. */
export type SeqPhase = AnyComponent | string;

/** What a Seq of the phases `Ps` sends: what any of its components sends, and its strings. */
export type SeqOut<Ps extends readonly SeqPhase[]> = OutOf<Extract<Ps[number], AnyComponent>> | Extract<Ps[number], string>;

/**
 * The Seq component; make one with {@link Seq}. `In` must be accepted by
 * every component, `Out` is what any of them sends (and the string phases).
 */
export class SeqComponent<In = unknown, Out = unknown> extends Component<In, Out> {
  static override inboxes = {
    inbox: "input for the phase now running, handed over one message at a time (all that waits, once producerFinished has come)",
    control: "shutdownMicroprocess: stop the running phase, skip the rest; producerFinished: tell the running and every later phase that input is done",
  };
  static override outboxes = {
    outbox: "what the running phase sends from its outbox, and each string phase",
    signal: "ErrorInformation the phases report; at the end, the shutdown message received or producerFinished",
  };

  /** The phases, in the order they run. */
  readonly phases: readonly SeqPhase[];
  /** The components among the phases, in order. */
  readonly components: readonly AnyComponent[];
  private readonly toChildData = this.addOutbox<In>("childInbox", "input for the running phase, one message at a time");
  private readonly toChild = this.addOutbox<ControlMessage>("childControl", "shutdown messages for the running phase");
  private readonly fromChild = this.addInbox<ControlMessage>("childSignal", "what the running phase sends from its signal");

  /** @throws ChassisArgumentError if an argument is neither a component nor a string, or a component is given twice. */
  constructor(...phases: SeqPhase[]) {
    super();
    phases.forEach((c, i) => {
      if (typeof c === "string") return;
      if (!(c instanceof Component)) throw new ChassisArgumentError(`${this.name}: argument ${i} is not a component or a string (got ${describeArgument(c)})`);
      if (phases.indexOf(c) !== i) throw new ChassisArgumentError(`${this.name}: argument ${i} (${c.name}) is given twice; a component runs only once`);
    });
    this.phases = phases;
    this.components = phases.filter((p): p is AnyComponent => typeof p !== "string");
    reclaimInto(this.toChildData, this.inbox);
  }

  *main(): Wait {
    const inbox = this.inbox;
    const toChildData = this.toChildData;
    const phases = this.phases;
    for (let i = 0; i < phases.length; i++) {
      const c = phases[i]!;
      if (this.checkShutdown() === "stop") break;
      if (typeof c === "string") {
        yield* this.sendPhase(c);
        continue;
      }
      this.addChildren(c);
      // One message at a time: input stays here until the running phase has taken the previous message.
      this.link(toChildData, c.inbox, { pipewidth: 1 });
      this.link(c.outbox as Box, this.outbox);
      this.link(this.toChild, c.control);
      this.link(c.signal, this.fromChild);
      c.activate(this.system!);
      let told: ShutdownKind = null;
      while (!c.isFinished()) {
        handOver(inbox, toChildData);
        const kind = this.checkShutdown();
        if ((kind === "stop" && told !== "stop") || (kind === "finish" && told === null)) {
          // Input is done: all of it, then the finish (waiting for the phase to take it one message at a time
          // would wait for ever on a phase that does not read). What it leaves unread comes back to the inbox.
          if (kind === "finish") handOverAll(inbox, toChildData);
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

  /** Send a string phase out of the outbox, waiting for room (a stop while waiting drops it). */
  private *sendPhase(text: string): Wait {
    while (this.outbox.isFull()) {
      if (this.checkShutdown() === "stop") return;
      this.pause();
      yield;
    }
    this.send(text as Out);
  }
}

/**
 * Make a Seq: run the phases one after another, each component wired to the
 * Seq's inbox and outbox in turn, each string sent out of its outbox.
 */
export function Seq<const Ps extends readonly SeqPhase[]>(...phases: Ps): SeqComponent<AcceptedByAll<Ps>, SeqOut<Ps>> {
  return new SeqComponent<AcceptedByAll<Ps>, SeqOut<Ps>>(...phases);
}
