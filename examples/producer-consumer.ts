/**
 * The tutorial's Producer/Consumer (MiniAxon, seeds slides), on the real
 * thing: a Producer sends a message a few times, a Consumer prints what it
 * receives with a count, and a Pipeline wires them together. The Producer's
 * producerFinished travels signal → control, so the Consumer finishes too
 * and `run()` resolves.
 *
 *   npx tsx examples/producer-consumer.ts
 */
import { Component, Pipeline } from "../src/index.js";

/** Sends `message` `times` times, one per timeslice, then says it has finished. */
export class Producer extends Component<never, string> {
  static override outboxes = { outbox: "the message, `times` times", signal: "producerFinished when done" };
  message = "hello";
  times = 5;

  *main() {
    for (let i = 0; i < this.times; i++) {
      this.send(this.message);
      yield;
    }
    this.passOnShutdown();
  }
}

/** Prints each message it receives, numbered; finishes when its producer has. */
export class Consumer extends Component<string, never> {
  static override inboxes = { inbox: "messages to print", control: "producerFinished / shutdownMicroprocess" };
  count = 0;

  *main() {
    yield* this.processMessages((data) => {
      this.count++;
      console.log(`${data} ${this.count}`);
    });
  }
}

await Pipeline(Producer.create({ message: "Hello World", times: 10 }), new Consumer()).run();
console.log("Producer and Consumer have both finished.");
