import { Microprocess } from "./microprocess.js";

// A component is a microprocess with a standard interface: named boxes,
// which it treats as inboxes and outboxes.
export class Component extends Microprocess {
  boxes: Record<string, unknown[]> = { inbox: [], outbox: [] };

  /** Put a value in one of my outboxes. */
  send(value: unknown, outboxname: string): void {
    this.boxes[outboxname]!.push(value);
  }

  /** Take the oldest value from one of my inboxes. */
  recv(inboxname: string): unknown {
    return this.boxes[inboxname]!.shift();
  }

  /** How many values wait in one of my inboxes. */
  dataReady(inboxname: string): number {
    return this.boxes[inboxname]!.length;
  }
}
