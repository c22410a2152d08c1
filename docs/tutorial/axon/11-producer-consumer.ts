// MiniAxon's Producer/Consumer on the real library. Same shape; the
// differences are the point: typed boxes, no postman (a link delivers
// straight into the inbox and wakes the receiver), no polling (the consumer
// sleeps until a message arrives), and a way to finish.
import { Component, Pipeline } from "../../../src/index.js";

class Producer extends Component<never, string> {
  message = "Hello World";

  *main() {
    for (let n = 0; n < 3; n++) {
      this.send(this.message);
      yield; // give way, as in MiniAxon
    }
    this.passOnShutdown(); // say "my output is finished" on signal
  }
}

class Consumer extends Component<string, never> {
  *main() {
    let count = 0;
    yield* this.processMessages((data) => {
      count += 1;
      console.log(data, count);
    });
    console.log("consumer: producer finished, so I have too");
  }
}

await Pipeline(Producer.create({ message: "Hello World" }), new Consumer()).run();
