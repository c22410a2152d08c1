/**
 * Fanout: copy each message to several named outboxes.
 *
 * @module
 */
import type { Outbox } from "../core/box.js";
import { Component, type Wait } from "../core/component.js";
import { ArgumentError } from "./errors.js";
import { namedOutbox, type WithOutboxes } from "./named-outboxes.js";

/**
 * Sends every message it receives out of each of the named outboxes, in the
 * order the names were given (the same object to each: no copy). Unlike
 * Kamaelia's, it does not also copy to `outbox` and `signal`, unless
 * `"outbox"` is one of the names.
 *
 * Boxes: `inbox` T; one outbox per name, each carrying every message;
 * `control`/`signal`: the shared shutdown convention (waits for room on each
 * outbox, so a bounded consumer slows the others rather than losing messages).
 * Build one with {@link Fanout}, which makes the outboxes typed fields.
 */
export class FanoutComponent<T = unknown> extends Component<T, T> {
  static override inboxes = {
    inbox: "messages to copy",
    control: "producerFinished (copy what is waiting, then stop) or shutdownMicroprocess (stop now)",
  };
  static override outboxes = {
    outbox: "every message, only if \"outbox\" is one of the names",
    signal: "the shutdown message received, passed on",
  };

  private readonly targets: Outbox<unknown>[];

  /** @throws ArgumentError for no names, a repeated name, or a name that cannot be an outbox. */
  constructor(names: readonly string[]) {
    super();
    if (!Array.isArray(names) || names.length === 0) throw new ArgumentError(this.name, "the outbox names", "a non-empty array of names", names);
    const seen = new Set<string>();
    this.targets = names.map((n) => {
      if (seen.has(n)) throw new ArgumentError(this.name, "the outbox names", "distinct names", n);
      seen.add(n);
      return namedOutbox(this, n, `the outbox name "${String(n)}"`);
    });
  }

  *main(): Generator<unknown, void, unknown> {
    yield* this.processMessages((m) => this.copy(m));
  }

  private *copy(message: T): Wait {
    for (const box of this.targets) yield* this.waitSend(message, box);
  }
}

/**
 * Make a {@link FanoutComponent} with outboxes named `names` (typed fields).
 * The message type defaults to `unknown`; give both type arguments to fix
 * it: `Fanout<"a" | "b", string>(["a", "b"])`.
 */
export function Fanout<const N extends string, T = unknown>(names: readonly N[]): WithOutboxes<FanoutComponent<T>, N, T> {
  return new FanoutComponent<T>(names) as WithOutboxes<FanoutComponent<T>, N, T>;
}
