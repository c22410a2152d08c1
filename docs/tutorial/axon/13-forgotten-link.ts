// Mistake 2 on the real library: a Graphline whose linkages forget the
// producer-to-consumer link. What the reader sees: the producer's messages
// are dropped and counted as dead letters (set `onDeadLetter` to see each),
// the consumer sleeps for ever waiting, and since nothing is left that could
// wake it, run() rejects with a StalledError naming it instead of hanging.
import { Component, Graphline, System } from "../../../src/index.js";

class Producer extends Component<never, string> {
  *main() {
    for (const word of ["one", "two", "three"]) this.send(word);
    this.passOnShutdown();
  }
}

class Consumer extends Component<string, never> {
  *main() {
    yield* this.processMessages((m) => console.log("consumer got", m));
  }
}

const system = new System();
system.onDeadLetter = (box, message) =>
  console.log(`dead letter from ${box.toString()}: ${typeof message === "string" ? message : "a control message"}`);
try {
  await Graphline({ P: new Producer(), C: new Consumer() }, {}).run(system);
} catch (e) {
  console.log(`${system.deadLetters} dead letters;`, (e as Error).message);
}
