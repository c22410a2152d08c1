/**
 * Splitter: dynamic fan-out to sinks added and removed while it runs.
 *
 * @module
 */
import { Inbox, type Outbox } from "../core/box.js";
import { Component, type Wait } from "../core/component.js";
import { ErrorInformation } from "../core/ipc.js";
import type { Linkage } from "../core/linkage.js";
import { ArgumentError, MessageError, describeValue } from "./errors.js";

/** Ask a {@link Splitter} to copy its messages to `sink` (and its shutdown to `control`, if given). */
export class AddSink {
  constructor(
    /** The inbox to receive a copy of every message. */
    readonly sink: Inbox,
    /** An inbox to receive the shutdown message the Splitter passes on. */
    readonly control?: Inbox,
  ) {}
}

/** Ask a {@link Splitter} to stop copying to `sink`. */
export class RemoveSink {
  constructor(
    /** The inbox given to the AddSink. */
    readonly sink: Inbox,
  ) {}
}

interface Sink {
  data: Outbox<unknown>;
  control: Outbox<unknown> | null;
  links: Linkage[];
}

/**
 * Copies each message to `outbox` and to every sink currently added
 * (Kamaelia's PlugSplitter). Sinks are added and removed with
 * {@link AddSink}/{@link RemoveSink} messages on `configuration` (or the
 * `addSink`/`removeSink` methods); a configuration message takes effect
 * before any data message that arrives after it is handled. The same object
 * goes to every sink (no copy). On shutdown the message is passed on out of
 * `signal` and to every sink's control.
 *
 * Boxes: `inbox` T → `outbox` and each sink (waits for room at each, so a
 * bounded sink slows the rest rather than losing messages); `configuration`:
 * AddSink/RemoveSink; `error`: ErrorInformation for a configuration message
 * that is neither; `control`/`signal`: the shared shutdown convention.
 */
export class Splitter<T = unknown> extends Component<T, T> {
  static override inboxes = {
    inbox: "messages to copy to every sink",
    control: "producerFinished (copy what is waiting, then stop) or shutdownMicroprocess (stop now)",
    configuration: "AddSink / RemoveSink requests",
  };
  static override outboxes = {
    outbox: "every message",
    signal: "the shutdown message received, passed on (also sent to each sink's control)",
    error: "ErrorInformation for configuration messages that are not AddSink/RemoveSink",
  };

  /** Where AddSink/RemoveSink requests arrive. */
  readonly configuration = this.addInbox<AddSink | RemoveSink>("configuration");
  /** Where malformed configuration messages are reported. */
  readonly error = this.addOutbox<ErrorInformation>("error");
  private readonly sinks = new Map<Inbox, Sink>();
  private boxes = 0;

  /** Copy every later message to `sink` (and shutdown to `control`). Adding a sink twice is a no-op. */
  addSink(sink: Inbox, control?: Inbox): void {
    if (!(sink instanceof Inbox)) throw new ArgumentError(this.name, "AddSink's sink", "an inbox", sink);
    if (control !== undefined && !(control instanceof Inbox)) throw new ArgumentError(this.name, "AddSink's control", "an inbox", control);
    if (this.sinks.has(sink)) return;
    const n = ++this.boxes;
    const data = this.addOutbox<unknown>(`outbox_${n}`, `copies for ${sink}`);
    const s: Sink = { data, control: null, links: [this.link(data, sink)] };
    if (control !== undefined) {
      s.control = this.addOutbox<unknown>(`signal_${n}`, `shutdown for ${control}`);
      s.links.push(this.link(s.control, control));
    }
    this.sinks.set(sink, s);
  }

  /** Stop copying to `sink`; unknown sinks are ignored. */
  removeSink(sink: Inbox): void {
    const s = this.sinks.get(sink);
    if (s === undefined) return;
    this.sinks.delete(sink);
    for (const l of s.links) this.unlink(l);
    this.deleteBox(s.data.name);
    if (s.control !== null) this.deleteBox(s.control.name);
  }

  /** How many sinks are added. */
  get sinkCount(): number {
    return this.sinks.size;
  }

  *main(): Generator<unknown, void, unknown> {
    const inbox = this.inbox;
    for (;;) {
      yield* this.configure();
      while (inbox.length > 0) {
        if (this.dataReady("control") > 0 && this.checkShutdown() === "stop") break;
        yield* this.copy(inbox.take());
        yield* this.configure();
      }
      const kind = this.checkShutdown();
      if (kind === "stop" || (kind === "finish" && inbox.length === 0)) break;
      this.pause();
      yield;
    }
    const m = this.passOnShutdown();
    for (const s of [...this.sinks.values()]) if (s.control !== null) yield* this.waitSend(m, s.control);
  }

  private *configure(): Wait {
    while (this.configuration.length > 0) {
      const req: unknown = this.configuration.take();
      let err: Error | null = null;
      try {
        if (req instanceof AddSink) this.addSink(req.sink, req.control);
        else if (req instanceof RemoveSink) this.removeSink(req.sink);
        else err = new MessageError(this.name, "configuration", `is ${describeValue(req)}, not AddSink or RemoveSink`);
      } catch (e) {
        // A malformed request (say, an AddSink whose sink is not an inbox) is reported; the Splitter carries on.
        err = e instanceof Error ? e : new Error(String(e));
      }
      if (err !== null) yield* this.waitSend(new ErrorInformation(this, err, req), this.error);
    }
  }

  private *copy(message: T): Wait {
    yield* this.waitSend(message);
    for (const s of [...this.sinks.values()]) yield* this.waitSend(message, s.data);
  }
}
