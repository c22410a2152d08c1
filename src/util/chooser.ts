/**
 * Chooser: a cursor over a list of items, moved by commands.
 *
 * @module
 */
import { Component, type Wait } from "../core/component.js";
import { ErrorInformation } from "../core/ipc.js";
import { ArgumentError, MessageError, describeValue } from "./errors.js";

/** What a {@link Chooser} understands on its inbox. `"SAME"` re-sends the current item. */
export type ChooserCommand = "NEXT" | "PREV" | "FIRST" | "LAST" | "SAME";

/**
 * A playlist cursor (Kamaelia's `Chooser`): it sends the first item when it
 * starts, and after each command on `inbox` — "NEXT", "PREV", "FIRST",
 * "LAST", "SAME" — it moves and sends the current item. Without `loop` the
 * cursor stops at either end (NEXT at the last item sends the last item
 * again); with `loop` it wraps round. Anything else on `inbox` is reported on
 * `error` and ignored. With no items it sends nothing.
 *
 * Boxes: `inbox` ChooserCommand; `outbox` T, the current item; `error`:
 * ErrorInformation for unknown commands; `control`/`signal`: the shared
 * shutdown convention.
 */
export class Chooser<T = unknown> extends Component<ChooserCommand, T> {
  static override inboxes = {
    inbox: `commands: "NEXT", "PREV", "FIRST", "LAST" or "SAME"`,
    control: "producerFinished (obey the commands waiting, then stop) or shutdownMicroprocess (stop now)",
  };
  static override outboxes = {
    outbox: "the current item: once at the start, then after every command",
    signal: "the shutdown message received, passed on",
    error: "ErrorInformation for each message that is not a command (the message is in it)",
  };

  /** Where messages that are not commands are reported. */
  readonly error = this.addOutbox<ErrorInformation>("error");
  /** The items to choose from. */
  readonly items: readonly T[];
  /** Whether NEXT past the end goes to the first item (and PREV before the start to the last). */
  readonly loop: boolean;
  /** The position of the current item. */
  index = 0;

  /** @throws ArgumentError if `items` is not an array. */
  constructor(items: readonly T[], loop = false) {
    super();
    if (!Array.isArray(items)) throw new ArgumentError(this.name, "the items", "an array", items);
    this.items = [...items];
    this.loop = loop === true;
  }

  *main(): Generator<unknown, void, unknown> {
    // processMessages would not see a stop already read here, so answer it directly.
    if (this.checkShutdown() === "stop") {
      this.passOnShutdown();
      return;
    }
    if (this.items.length > 0) yield* this.waitSend(this.items[0]!);
    yield* this.processMessages((m) => this.obey(m));
  }

  private *obey(command: ChooserCommand): Wait {
    const n = this.items.length;
    const last = n - 1;
    switch (command as unknown) {
      case "NEXT":
        this.index = this.index < last ? this.index + 1 : this.loop ? 0 : last;
        break;
      case "PREV":
        this.index = this.index > 0 ? this.index - 1 : this.loop ? last : 0;
        break;
      case "FIRST":
        this.index = 0;
        break;
      case "LAST":
        this.index = last;
        break;
      case "SAME":
        break;
      default: {
        const err = new MessageError(this.name, "inbox", `is ${describeValue(command)}, not "NEXT", "PREV", "FIRST", "LAST" or "SAME"`);
        yield* this.waitSend(new ErrorInformation(this, err, command), this.error);
        return;
      }
    }
    if (n === 0) this.index = 0;
    else yield* this.waitSend(this.items[this.index]!);
  }
}
