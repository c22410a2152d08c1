/**
 * The one rule every chassis applies to what its children send from their
 * `signal` boxes: error reports (`ErrorInformation`) are passed out of the
 * chassis's own `signal`; a child's own end-of-work messages are not, so one
 * child finishing does not shut down what is downstream.
 *
 * @module
 */
import type { Inbox } from "../core/box.js";
import type { AnyComponent } from "../core/component.js";
import { ErrorInformation } from "../core/ipc.js";

/** Empty `fromChildren`, sending every ErrorInformation in it out of `chassis`'s `signal`. */
export function passOnErrors(chassis: AnyComponent, fromChildren: Inbox): void {
  while (fromChildren.length > 0) {
    const m = fromChildren.take();
    if (m instanceof ErrorInformation) chassis.send(m, "signal");
  }
}
