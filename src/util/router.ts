/**
 * Router: send each message to the outboxes whose rule accepts it.
 *
 * @module
 */
import type { Outbox } from "../core/box.js";
import { Component, type Wait } from "../core/component.js";
import { ErrorInformation } from "../core/ipc.js";
import { ArgumentError, MessageError, reason } from "./errors.js";
import { namedOutbox, type WithOutboxes } from "./named-outboxes.js";

/** Router options. */
export interface RouterOptions<N extends string = string> {
  /** `"all"` (default, as Kamaelia's Whiteboard Router): every outbox whose rule passes; `"first"`: only the first. */
  mode?: "all" | "first";
  /** Where messages that no rule accepts go: `"outbox"` (the default) or one of the route names. */
  otherwise?: N | "outbox";
}

/**
 * Routes by predicate to named outboxes: each route is an outbox name and a
 * rule; a message goes out of every outbox whose rule accepts it (or only
 * the first, with `mode: "first"`), in the order the routes were given.
 * Messages no rule accepts go out of `outbox` (or the `otherwise` outbox).
 * A rule that throws reports the message on `error` as an ErrorInformation.
 * The same object goes to every outbox (no copy).
 *
 * Boxes: `inbox` T; one outbox per route name, carrying the messages its
 * rule accepted; `outbox`: messages no rule accepted; `error`:
 * ErrorInformation for messages a rule threw on; `control`/`signal`: the
 * shared shutdown convention. Build one with {@link Router}, which makes the
 * route outboxes typed fields (so Graphline linkages naming them type-check).
 */
export class RouterComponent<T = unknown> extends Component<T, T> {
  static override inboxes = {
    inbox: "messages to route",
    control: "producerFinished (route what is waiting, then stop) or shutdownMicroprocess (stop now)",
  };
  static override outboxes = {
    outbox: "messages no rule accepted (unless `otherwise` names another outbox)",
    signal: "the shutdown message received, passed on",
    error: "ErrorInformation for each message a rule threw on (the message is in it)",
  };

  /** Where failures of a rule on single messages are reported. */
  readonly error = this.addOutbox<ErrorInformation>("error");
  private readonly routes: { name: string; rule: (message: T) => boolean; box: Outbox<unknown> }[] = [];
  private readonly fallback: Outbox<unknown>;
  private readonly firstOnly: boolean;

  /**
   * @throws ArgumentError for a rule that is not a function, a route name
   * that cannot be an outbox, an `otherwise` naming no route, or a bad mode.
   */
  constructor(routes: Readonly<Record<string, (message: T) => boolean>>, options: RouterOptions = {}) {
    super();
    if (typeof routes !== "object" || routes === null || Array.isArray(routes)) {
      throw new ArgumentError(this.name, "the routes", "an object { outboxName: (message) => boolean, … }", routes);
    }
    for (const [name, rule] of Object.entries(routes)) {
      if (typeof rule !== "function") throw new ArgumentError(this.name, `the rule for route "${name}"`, "a function (message) => boolean", rule);
      if (name === "error") throw new ArgumentError(this.name, "a route name", `an outbox name other than "error" (it carries failures)`, name);
      this.routes.push({ name, rule, box: namedOutbox(this, name, `the route name "${name}"`) });
    }
    const mode = options.mode ?? "all";
    if (mode !== "all" && mode !== "first") throw new ArgumentError(this.name, "options.mode", `"all" or "first"`, mode);
    this.firstOnly = mode === "first";
    const otherwise = options.otherwise ?? "outbox";
    const found = otherwise === "outbox" ? this.outbox : this.routes.find((r) => r.name === otherwise)?.box;
    if (found === undefined) {
      throw new ArgumentError(
        this.name,
        "options.otherwise",
        `"outbox" or a route name (${this.routes.map((r) => r.name).join(", ") || "no routes"}); it names an unknown outbox`,
        otherwise,
      );
    }
    this.fallback = found;
  }

  *main(): Generator<unknown, void, unknown> {
    yield* this.processMessages((m) => this.handle(m));
  }

  private *handle(message: T): Wait {
    const targets: Outbox<unknown>[] = [];
    try {
      for (const r of this.routes) {
        if (r.rule(message)) {
          targets.push(r.box);
          if (this.firstOnly) break;
        }
      }
    } catch (e) {
      const err = new MessageError(this.name, "inbox", `made a rule throw (${reason(e)}); it was sent nowhere`, e);
      yield* this.waitSend(new ErrorInformation(this, err, message), this.error);
      return;
    }
    if (targets.length === 0) targets.push(this.fallback);
    for (const box of targets) yield* this.waitSend(message, box);
  }
}

/**
 * Make a {@link RouterComponent}. The message type is inferred from the rules:
 * ```ts
 * Router({ audio: (t: Token) => t[0] === "SOUND", whiteboard: (t: Token) => t[0] !== "SOUND" })
 * ```
 * has outboxes `audio` and `whiteboard` (typed fields) besides the standard ones.
 */
export function Router<T, const N extends string>(
  routes: { readonly [K in N]: (message: T) => boolean },
  options?: RouterOptions<NoInfer<N>>,
): WithOutboxes<RouterComponent<T>, N, T> {
  return new RouterComponent<T>(routes as Readonly<Record<string, (message: T) => boolean>>, options) as WithOutboxes<RouterComponent<T>, N, T>;
}
