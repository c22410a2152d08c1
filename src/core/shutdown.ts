/**
 * The shutdown convention, in one place.
 *
 * `producerFinished` arriving on `control` means "my input is done: finish
 * your work and pass it on"; `shutdownMicroprocess` means "stop now, and pass
 * it on". Every standard component reads its `control` box through
 * {@link ShutdownState} and forwards what it received on `signal`, so all of
 * them behave alike (Kamaelia's own components did not).
 *
 * @module
 */
import { Ipc, ProducerFinished, ShutdownMicroprocess } from "./ipc.js";

/** `"stop"`: stop now. `"finish"`: finish what is waiting, then stop. `null`: carry on. */
export type ShutdownKind = "stop" | "finish" | null;

/** What a control message asks for. Subclasses count: a `socketShutdown` is a `ProducerFinished`. */
export function shutdownKind(message: unknown): ShutdownKind {
  if (message instanceof ShutdownMicroprocess) return "stop";
  if (message instanceof ProducerFinished) return "finish";
  return null;
}

/**
 * Remembers the strongest shutdown request seen so far: a stop beats a
 * finish, and the first message of the winning kind is the one passed on.
 */
export class ShutdownState {
  /** The message to pass on `signal`, or `null` while none has arrived. */
  message: Ipc | null = null;
  /** The kind of that message. */
  kind: ShutdownKind = null;

  /** Note a control message; returns the (possibly stronger) kind now in force. */
  observe(message: unknown): ShutdownKind {
    const k = shutdownKind(message);
    if (k === "stop" && this.kind !== "stop") {
      this.kind = "stop";
      this.message = message as Ipc;
    } else if (k === "finish" && this.kind === null) {
      this.kind = "finish";
      this.message = message as Ipc;
    }
    return this.kind;
  }
}
