/**
 * Grep: lines matching a regular expression pass; the rest are dropped.
 *
 * @module
 */
import { Component, type Wait } from "../core/component.js";
import { KamaeliaError } from "../core/errors.js";
import { ErrorInformation } from "../core/ipc.js";

/**
 * Passes on each line from `inbox` that `pattern` matches (anywhere in the
 * line, as `grep` and `RegExp.test` do; anchor it with `^` for the seeds'
 * `re.match`). A string pattern is compiled with `new RegExp(pattern)`.
 * Set `invert` for `grep -v`.
 *
 * A message that is not a string is not tested: an {@link ErrorInformation}
 * goes out of `error` and filtering carries on. It sends with `waitSend`, so
 * a bounded downstream inbox pauses it without losing lines.
 *
 * Shutdown: `producerFinished` filters everything waiting, then stops;
 * `shutdownMicroprocess` stops at once. Either is passed on out of `signal`.
 */
export class Grep extends Component<string, string> {
  static override inboxes = {
    inbox: "lines of text",
    control: "producerFinished (filter what is waiting, then stop) or shutdownMicroprocess (stop now)",
  };
  static override outboxes = {
    outbox: "the lines that match, unchanged, in order",
    signal: "the shutdown message received",
    error: "ErrorInformation for each message that is not a string (the message attached)",
  };

  /** Messages that could not be tested, as {@link ErrorInformation}. */
  readonly error = this.addOutbox<ErrorInformation>("error");
  /** The pattern lines are tested against. */
  readonly pattern: RegExp;
  /** Pass the lines that do *not* match instead (`grep -v`). */
  invert = false;

  /** @throws KamaeliaError naming the component when `pattern` is a string that is not a valid RegExp. */
  constructor(pattern: RegExp | string, options: { invert?: boolean } = {}) {
    super();
    if (pattern instanceof RegExp) this.pattern = pattern;
    else if (typeof pattern === "string") {
      try {
        this.pattern = new RegExp(pattern);
      } catch (e) {
        throw new KamaeliaError("BAD_ARGUMENT", `${this.name}: pattern ${JSON.stringify(pattern)} is not a valid RegExp: ${(e as Error).message}`);
      }
    } else {
      throw new KamaeliaError("BAD_ARGUMENT", `${this.name}: pattern must be a RegExp or a string, got ${typeof pattern}`);
    }
    this.invert = options.invert ?? false;
  }

  *main(): Wait {
    const re = this.pattern;
    yield* this.processMessages((line): Wait<unknown> | void => {
      if (typeof line !== "string") {
        const err = new KamaeliaError("BAD_MESSAGE", `${this.name}.inbox: expected a line of text (string), got ${line === null ? "null" : typeof line}`);
        return this.waitSend(new ErrorInformation(this, err, line), this.error);
      }
      // A /g or /y pattern remembers where it last matched; each line is a fresh search.
      re.lastIndex = 0;
      if (re.test(line) !== this.invert) return this.waitSend(line);
    });
  }
}
