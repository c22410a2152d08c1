/**
 * Pipeline: components in a line, each one's `outbox` to the next one's
 * `inbox` and `signal` to the next one's `control`.
 *
 * ```ts
 * await Pipeline(DataSource("hello", "world"), PureTransformer((s: string) => s.toUpperCase()), new ConsoleEchoer({ eol: "\n" })).run();
 * ```
 *
 * Like Axon's, a Pipeline wires and activates its children in its first
 * timeslice, not in the constructor, and messages sent to it before then are
 * not lost: linking moves them to the first child. Its `inbox` and `control`
 * pass through to the first child; the last child's `outbox` and `signal` pass
 * out of the Pipeline. It does not act on control messages itself: shutdown
 * travels along the children's `signal → control` chain. It finishes when all
 * its children have.
 *
 * Typed: a stage whose `outbox` type the next stage's `inbox` does not accept
 * is a compile error at that argument, at any length.
 *
 * @module
 */
import type { Box } from "../core/box.js";
import { Component, type AnyComponent } from "../core/component.js";
import type { InOf, OutOf } from "../core/types.js";

/** Shown in a compile error at a Pipeline stage that cannot accept what the previous stage sends. */
export interface StageMismatch<Stage extends string, Sent, Accepted> {
  /** The index of the offending stage. */
  readonly stage: Stage;
  /** What the previous stage's outbox carries… */
  readonly previousSends: Sent;
  /** …and what this stage's inbox accepts. */
  readonly thisAccepts: Accepted;
}

/** Each stage of `Cs`, or a {@link StageMismatch} where a stage cannot accept its predecessor's output. */
export type CheckedStages<Cs extends readonly AnyComponent[], Prev extends readonly unknown[] = [undefined, ...Cs]> = {
  [K in keyof Cs]: K extends keyof Prev
    ? Prev[K] extends AnyComponent
      ? [OutOf<Prev[K]>] extends [InOf<Cs[K]>]
        ? Cs[K]
        : StageMismatch<K & string, OutOf<Prev[K]>, InOf<Cs[K]>>
      : Cs[K]
    : Cs[K];
};

/** Shown in a compile error when a circular Pipeline's last stage sends what its first stage cannot accept. */
export interface LoopMismatch<Sent, Accepted> {
  /** What the last stage's outbox carries… */
  readonly lastSends: Sent;
  /** …and what the first stage's inbox accepts. */
  readonly firstAccepts: Accepted;
}

/** `unknown` when the last stage of `Cs` can feed the first, else a {@link LoopMismatch}. */
export type LoopCheck<Cs extends readonly AnyComponent[]> = [OutOf<LastOf<Cs>>] extends [InOf<Cs[0]>]
  ? unknown
  : LoopMismatch<OutOf<LastOf<Cs>>, InOf<Cs[0]>>;

/** The last element of a tuple. */
export type LastOf<Cs extends readonly unknown[]> = Cs extends readonly [...unknown[], infer L] ? L : never;

/**
 * The Pipeline component. Build one with {@link Pipeline} (type-checked) or
 * subclass it.
 *
 * Boxes: `inbox` and `control` pass through to the first child; `outbox` and
 * `signal` carry what the last child sends out of its own (unless circular).
 */
export class PipelineComponent<In = unknown, Out = unknown> extends Component<In, Out> {
  static override inboxes = {
    inbox: "passed through to the first component's inbox",
    control: "passed through to the first component's control",
  };
  static override outboxes = {
    outbox: "what the last component sends from its outbox",
    signal: "what the last component sends from its signal",
  };

  /** Link the last component back to the first instead of out of the Pipeline (Kamaelia's `circular=True`). */
  circular = false;
  /** The components, in order. */
  readonly components: readonly AnyComponent[];

  constructor(...components: AnyComponent[]) {
    super();
    this.components = components;
  }

  *main(): Generator<unknown, void, unknown> {
    const cs = this.components;
    if (cs.length > 0) {
      this.addChildren(...cs);
      const first = cs[0]!;
      const last = cs[cs.length - 1]!;
      for (let i = 0; i + 1 < cs.length; i++) {
        this.link(cs[i]!.outbox, cs[i + 1]!.inbox);
        this.link(cs[i]!.signal, cs[i + 1]!.control);
      }
      if (this.circular) {
        this.link(last.outbox, first.inbox);
        this.link(last.signal, first.control);
      } else {
        this.link(last.outbox as Box, this.outbox);
        this.link(last.signal, this.signal);
      }
      this.link(this.inbox, first.inbox);
      this.link(this.control, first.control);
      for (const c of cs) c.activate(this.system!);
    }
    while (!this.childrenDone()) {
      this.pause();
      yield;
    }
  }
}

/**
 * Make a Pipeline of the given components. Each stage must accept what the
 * previous one sends: a mismatch is a compile error naming the stage and
 * both types.
 */
export function Pipeline<const Cs extends readonly AnyComponent[]>(
  ...components: CheckedStages<Cs>
): PipelineComponent<InOf<Cs[0]>, OutOf<LastOf<Cs>>> {
  return new PipelineComponent<InOf<Cs[0]>, OutOf<LastOf<Cs>>>(...(components as readonly AnyComponent[]));
}

/** Make a circular Pipeline: the last component's outbox and signal feed the first's inbox and control. */
Pipeline.circular = function circular<const Cs extends readonly AnyComponent[]>(
  ...components: CheckedStages<Cs> & LoopCheck<Cs>
): PipelineComponent<InOf<Cs[0]>, OutOf<LastOf<Cs>>> {
  const p = new PipelineComponent<InOf<Cs[0]>, OutOf<LastOf<Cs>>>(...(components as readonly AnyComponent[]));
  p.circular = true;
  return p;
};
