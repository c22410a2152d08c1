/**
 * A component as the system and the services registry see it.
 *
 * *An Axon internal.* `System` and `Services` sit below `Component` (a
 * component runs on a system), yet hand components back to their users. So
 * they name components by this interface, and `component.ts` completes it by
 * declaration merging (`interface Member extends Component<unknown, unknown>`):
 * everywhere in a program that includes the core, a `Member` is a full
 * component, and no module below `component.ts` imports it.
 *
 * @module
 */
import type { Inbox } from "./box.js";

/** A component, as the modules below `component.ts` name it (completed there to the whole Component). */
export interface Member {
  /** `Class_id` unless set; shown in errors. */
  name: string;
  /** The component whose child this is, if any. */
  parent: Member | null;
  /** Whether it has been activated and not yet finished. */
  isActive(): boolean;
  /** Whether it has finished. */
  isFinished(): boolean;
  /** Every inbox. */
  inboxes(): Inbox[];
  /** Stop now (and its children with it). */
  stop(): void;
  /** The inbox called `name`. */
  inboxNamed(name: string): Inbox;
}
