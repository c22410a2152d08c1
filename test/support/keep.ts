/** A processMessages component for fusion tests: keeps what it receives, and runs a hook after each. */
import { Component } from "../../src/index.js";
import { Harness } from "../../src/testing/index.js";

/** Keeps what it receives; `onMessage` runs after each, and what it returns is the handler's result (a wait, say). */
export class Keep extends Component<number, number> {
  got: number[] = [];
  onMessage: (m: number) => unknown = () => undefined;
  main() {
    return this.processMessages(this.handle);
  }
  handle(m: number) {
    this.got.push(m);
    return this.onMessage(m) as undefined;
  }
}

/** A running Keep whose handler sends ten times each message with `waitSend` into a box of one, and that box's collector. */
export function keepSendingIntoOne(): { h: Harness; c: Keep; out: ReturnType<Harness["collect"]> } {
  const h = new Harness();
  const c = h.activate(new Keep());
  const out = h.collect(c.outbox);
  c.outbox.final!.setSize(1);
  h.runUntilIdle();
  c.onMessage = (m) => c.waitSend(m * 10);
  return { h, c, out };
}
