/**
 * MessageRateLimit: release messages no faster than a given rate.
 *
 * @module
 */
import { Component } from "../core/component.js";
import { ArgumentError } from "./errors.js";
import { sleepOrControl } from "./sleep-or-control.js";

/**
 * Passes messages on, in order, at most `messagesPerSecond` of them per
 * second; messages arriving faster wait in its inbox (bound the inbox with
 * `setInboxSize` to push back on the producer). The first message goes at
 * once. A shutdown message is answered at once, even mid-wait.
 *
 * Boxes: `inbox` T → `outbox` the same messages, paced (waits for room
 * downstream); `control`/`signal`: the shared shutdown convention
 * (`producerFinished` releases everything waiting, still paced, then stops).
 */
export class MessageRateLimit<T = unknown> extends Component<T, T> {
  static override inboxes = {
    inbox: "messages to pace",
    control: "producerFinished (release what is waiting, at the rate, then stop) or shutdownMicroprocess (stop now)",
  };
  static override outboxes = {
    outbox: "the same messages, at most messagesPerSecond per second",
    signal: "the shutdown message received, passed on",
  };

  /** The most messages released per second. */
  readonly messagesPerSecond: number;

  /** @throws ArgumentError unless `messagesPerSecond` is a positive, finite number. */
  constructor(messagesPerSecond: number) {
    super();
    if (typeof messagesPerSecond !== "number" || !(messagesPerSecond > 0) || !Number.isFinite(messagesPerSecond)) {
      throw new ArgumentError(this.name, "the rate (messages per second)", "a positive number", messagesPerSecond);
    }
    this.messagesPerSecond = messagesPerSecond;
  }

  async main(): Promise<void> {
    const gap = 1000 / this.messagesPerSecond;
    let next = 0;
    for (;;) {
      let kind = this.checkShutdown();
      if (kind === "stop") break;
      if (this.dataReady() > 0) {
        const wait = next - performance.now();
        if (wait > 0) {
          await sleepOrControl(this, wait);
          kind = this.checkShutdown();
          if (kind === "stop") break;
          if (performance.now() < next) continue;
        }
        await this.sendAsync(this.recv());
        next = performance.now() + gap;
      } else if (kind === "finish") {
        break;
      } else {
        await this.readyAsync();
      }
    }
    this.passOnShutdown();
  }
}
