/**
 * TPipe: send the messages that match a condition through a sub-component,
 * and pass the rest by (Kamaelia's `TPipe`, from the MPS apps).
 *
 * ```ts
 * Pipeline(lines, TPipe({ condition: (l: string) => l.startsWith("#"), action: new Highlighter() }), printer)
 * ```
 *
 * In `"route"` mode (the default) a message for which `condition` is true
 * goes to `action` only; in `"split"` mode it goes to `action` and also
 * straight out (Unix `tee`). Everything else passes straight out. What
 * `action` sends comes out of the TPipe's `outbox` too, so the order between
 * the two paths is the order in which they produce, not the input order.
 *
 * Differences from Kamaelia's TPipe: its default mode is `"split"` (here
 * `"route"`: ask for `mode: "split"` to get Kamaelia's behaviour), and by
 * default it drops what `action` sends (its `source=False`), where here it
 * always comes out. Kamaelia's passes `control` straight out of `signal` at
 * once; here shutdown waits for `action`, as below.
 *
 * A `condition` that throws is reported as `ErrorInformation` (carrying the
 * message) on `signal`, and the TPipe carries on. Shutdown: waiting input is
 * handled first on `producerFinished`, then the message is passed to
 * `action`; `shutdownMicroprocess` is passed at once. The TPipe finishes when
 * `action` has finished, then sends the shutdown message out of `signal`.
 *
 * No matching message is lost when `action` ends by itself (or fails, or ends
 * on a finish without reading all its input), nor when the component inside
 * it that reads its input does (a Pipeline's first stage): what it was given
 * and never read comes back to the TPipe as soon as the inbox holding it
 * closes (through `Outbox.reclaimUnread`, as in Seq), and the TPipe reports
 * each such message on `signal` as an `ErrorInformation` carrying it (code
 * `ACTION_UNREAD`). Once `action` has finished, matching messages cannot go
 * through it: each is reported the same way (code `ACTION_FINISHED`), and in
 * `"split"` mode still passes straight out; the rest pass by as before, and
 * the TPipe ends once its input is handled. (Kamaelia's TPipe dropped them
 * with the child: in its default split mode a copy had gone out anyway, but
 * routing, the default here, would leave none.) A stop drops what waits, as
 * everywhere.
 *
 * @module
 */
import type { Box } from "../core/box.js";
import { Component, type Wait } from "../core/component.js";
import { KamaeliaError } from "../core/errors.js";
import { ErrorInformation, type ControlMessage } from "../core/ipc.js";
import type { ShutdownKind } from "../core/shutdown.js";
import { ChassisArgumentError, describeArgument } from "./argument-error.js";
import { reclaimInto } from "./hand-over.js";

/** How a TPipe treats a matching message: to the action only (`"route"`), or to the action and straight out (`"split"`). */
export type TPipeMode = "route" | "split";

/** What a TPipe is made from. */
export interface TPipeOptions<In, AOut> {
  /** Which messages go to `action`. */
  condition: (message: In) => boolean;
  /** The sub-component the matching messages go through. */
  action: Component<In, AOut>;
  /** `"route"` (the default here) or `"split"` (Kamaelia's default). */
  mode?: TPipeMode;
}

/** The TPipe component; make one with {@link TPipe}. */
export class TPipeComponent<In = unknown, AOut = unknown> extends Component<In, In | AOut> {
  static override inboxes = {
    inbox: "messages: those matching the condition go to the action, the rest pass straight out",
    control: "producerFinished: handle waiting input, then finish the action; shutdownMicroprocess: stop the action now",
  };
  static override outboxes = {
    outbox: "messages passed by, and what the action sends",
    signal: "ErrorInformation (a condition threw, or the action reported one); at the end, the shutdown message received",
  };

  /** Which messages go to the action. */
  readonly condition: (message: In) => boolean;
  /** The sub-component. */
  readonly action: Component<In, AOut>;
  /** See {@link TPipeMode}. */
  readonly mode: TPipeMode;
  private readonly toAction = this.addOutbox<In>("actionInbox", "matching messages, for the action");
  private readonly toActionControl = this.addOutbox<ControlMessage>("actionControl", "shutdown messages for the action");
  private readonly fromAction = this.addInbox<ControlMessage>("actionSignal", "what the action sends from its signal");
  private readonly unread = this.addInbox<In>("actionUnread", "matching messages the action ended without reading (reported on signal)");

  /** @throws ChassisArgumentError for a condition that is not a function, an action that is not a component, or an unknown mode. */
  constructor(options: TPipeOptions<In, AOut>) {
    super();
    const o: Partial<TPipeOptions<In, AOut>> = options ?? {};
    if (typeof o.condition !== "function") throw new ChassisArgumentError(`${this.name}: TPipe's condition must be a function, got ${describeArgument(o.condition)}`);
    if (!(o.action instanceof Component)) throw new ChassisArgumentError(`${this.name}: TPipe's action must be a component, got ${describeArgument(o.action)}`);
    const mode = o.mode ?? "route";
    if (mode !== "route" && mode !== "split") throw new ChassisArgumentError(`${this.name}: TPipe's mode must be "route" or "split", got ${describeArgument(mode)}`);
    this.condition = o.condition;
    this.action = o.action;
    this.mode = mode;
    reclaimInto(this.toAction, this.unread);
  }

  *main(): Wait {
    const action = this.action;
    this.addChildren(action);
    this.link(this.toAction, action.inbox);
    this.link(action.outbox as Box, this.outbox);
    this.link(this.toActionControl, action.control);
    this.link(action.signal, this.fromAction);
    action.activate(this.system!);

    const inbox = this.inbox;
    const toAction = this.toAction;
    let told: ShutdownKind = null;
    let kind: ShutdownKind;
    for (;;) {
      while (inbox.length > 0) {
        if (this.dataReady("control") > 0 && this.checkShutdown() === "stop") break;
        const m = inbox.take();
        let hit: boolean;
        try {
          hit = this.condition(m);
        } catch (e) {
          this.report(e, m);
          continue;
        }
        if (!hit) {
          yield* this.waitSend(m);
          continue;
        }
        // (Once the inbox the action reads from has closed, it is not full.)
        while (toAction.isFull()) {
          // A stop cannot wait for room: pass it on now (the message in hand is dropped, as a stop drops what waits).
          if (this.checkShutdown() === "stop") break;
          this.pause();
          yield;
        }
        if (toAction.isFull()) break;
        const end = toAction.final;
        if (end !== null && !end.closed) toAction.send(m);
        else {
          this.reportUnread();
          this.report(new KamaeliaError("ACTION_FINISHED", `${this.name}: ${action.name} has finished (or no longer reads its input), so a matching message cannot go through it`), m);
        }
        if (this.mode === "split") yield* this.waitSend(m);
      }
      kind = this.checkShutdown();
      if (!action.isFinished() && ((kind === "stop" && told !== "stop") || (kind === "finish" && told === null && inbox.length === 0))) {
        this.send(this.shutdownMessage!, this.toActionControl);
        told = kind;
      }
      if (kind !== "stop") this.reportUnread();
      this.passOnErrors();
      if (action.isFinished() && (kind === "stop" || inbox.length === 0)) break;
      this.pause();
      yield;
    }
    this.childrenDone();
    if (kind !== "stop") this.reportUnread();
    this.passOnErrors();
    this.passOnShutdown();
  }

  /** Report the matching messages the action was given and never read, oldest first. */
  private reportUnread(): void {
    const box = this.unread;
    while (box.length > 0) {
      const m = box.take();
      this.report(new KamaeliaError("ACTION_UNREAD", `${this.name}: ${this.action.name} (or the component in it reading its input) ended without reading a matching message it was given`), m);
    }
  }

  private report(e: unknown, message: unknown): void {
    this.send(new ErrorInformation(this, e instanceof Error ? e : new Error(String(e)), message), "signal");
  }

  private passOnErrors(): void {
    const box = this.fromAction;
    while (box.length > 0) {
      const m = box.take();
      if (m instanceof ErrorInformation) this.send(m, "signal");
    }
  }
}

/** Make a TPipe: matching messages go through `action`, the rest pass by. */
export function TPipe<In, AOut>(options: TPipeOptions<In, AOut>): TPipeComponent<In, AOut> {
  return new TPipeComponent<In, AOut>(options);
}
