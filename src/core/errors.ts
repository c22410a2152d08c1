/**
 * The errors Axon raises, as typed classes with stable `code`s.
 *
 * Every message names the component and the box involved, so an error read
 * in a log says what was wrong and where.
 *
 * @module
 */

/** Base class of every error this library throws; `code` is stable across versions. */
export class KamaeliaError extends Error {
  /** A stable, machine-readable identifier for the kind of error. */
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

/** A box name that the component does not have (Axon raised a `KeyError`). */
export class NoSuchBoxError extends KamaeliaError {
  constructor(component: string, kind: "inbox" | "outbox", box: string, known: readonly string[]) {
    super(
      "NO_SUCH_BOX",
      `${component} has no ${kind} named "${box}" (its ${kind}es are: ${known.join(", ") || "none"})`,
    );
  }
}

/** Linking a box that already has its one outgoing link (Axon's `BoxAlreadyLinkedToDestination`). */
export class BoxAlreadyLinkedError extends KamaeliaError {
  constructor(source: string, requested: string, existing: string) {
    super(
      "BOX_ALREADY_LINKED",
      `cannot link ${source} to ${requested}: ${source} is already linked to ${existing} ` +
        `(a box has at most one outgoing link; use a Splitter or Backplane to fan out)`,
    );
  }
}

/** A link that is not outbox→inbox, inbox→inbox (passthrough in) or outbox→outbox (passthrough out), or that would form a loop. */
export class BadLinkError extends KamaeliaError {
  constructor(message: string) {
    super("BAD_LINK", message);
  }
}

/** `recv` on a box that holds no message (Axon raised `IndexError`). */
export class BoxEmptyError extends KamaeliaError {
  constructor(box: string) {
    super("BOX_EMPTY", `recv on ${box}, which is empty: check dataReady() first, or wait with waitRecv()/recvAsync()`);
  }
}

/**
 * A plain `send` to a full box (Axon's `noSpaceInBox`). The message was not
 * delivered: it stays with the sender, who may retry once woken.
 */
export class BoxFullError extends KamaeliaError {
  /** How many messages the box held. */
  readonly size: number;
  /** The box's limit. */
  readonly limit: number;

  constructor(box: string, from: string, size: number, limit: number) {
    super(
      "BOX_FULL",
      `${box} is full (${size} of limit ${limit}): the message sent from ${from} was not delivered and stays with the sender ` +
        `(wait for room with waitSend()/sendAsync(), or use trySend())`,
    );
    this.size = size;
    this.limit = limit;
  }
}

/** Activating a component that is already active or has finished. */
export class AlreadyActivatedError extends KamaeliaError {
  constructor(component: string, state: string) {
    super("ALREADY_ACTIVATED", `${component} cannot be activated: it is already ${state}`);
  }
}

/** A component whose `main` is neither a generator function (`*main()`) nor an async function. */
export class InvalidMainError extends KamaeliaError {
  constructor(component: string, got: string) {
    super(
      "INVALID_MAIN",
      `${component}.main() must be a generator (*main()) or an async function (async main()); it returned ${got}`,
    );
  }
}

/** A Graphline linkage naming a child or box that does not exist. */
export class LinkageError extends KamaeliaError {
  constructor(message: string) {
    super("BAD_LINKAGE", message);
  }
}

/** Services registry errors: a duplicate name, or an unknown one. */
export class ServiceError extends KamaeliaError {
  constructor(code: "SERVICE_EXISTS" | "NO_SUCH_SERVICE", message: string) {
    super(code, message);
  }
}

/**
 * A component ended by throwing. Carries the component's name and, as
 * `cause`, the original error with its stack.
 */
export class ComponentFailure extends KamaeliaError {
  /** The failed component's name, e.g. `Consumer_7`. */
  readonly component: string;
  /** The path from the top of the system to the component, e.g. `Pipeline_1/Consumer_7`. */
  readonly path: string;

  constructor(component: string, path: string, cause: unknown) {
    const why = cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
    super("COMPONENT_FAILED", `${path} failed: ${why}`, { cause });
    this.component = component;
    this.path = path;
    if (cause instanceof Error && cause.stack) this.stack = `${this.name}: ${this.message}\n  caused by ${cause.stack}`;
  }
}

/**
 * `run()` was waiting for components that can never be woken: the event loop
 * emptied while they slept, with nothing left that could deliver to them.
 */
export class StalledError extends KamaeliaError {
  /** The names of the components still asleep. */
  readonly asleep: readonly string[];

  /** Components never activated that hold messages sent to them (often the cause), as `Name (n waiting)`. */
  readonly neverActivated: readonly string[];

  constructor(asleep: readonly string[], neverActivated: readonly string[] = []) {
    const shown = asleep.slice(0, 10).join(", ") + (asleep.length > 10 ? `, … (${asleep.length} in all)` : "");
    const held = neverActivated.length === 0 ? "" : `; never activated but holding messages: ${neverActivated.slice(0, 10).join(", ")}`;
    super("STALLED", `the system stalled: ${asleep.length} component(s) asleep with nothing left to wake them: ${shown}${held}`);
    this.asleep = asleep;
    this.neverActivated = neverActivated;
  }
}

/** The reason given to waits that were cut short because their component was stopped. */
export class StoppedError extends KamaeliaError {
  constructor(component: string) {
    super("STOPPED", `${component} was stopped`);
  }
}
