import { Component } from "./component.js";

/** Sends its message, once each time it runs. */
export class Producer extends Component {
  constructor(private readonly message: string) {
    super();
  }

  override *main(): Generator<unknown> {
    while (true) {
      yield 1;
      this.send(this.message, "outbox");
    }
  }
}

/** Counts how often it has run, and prints each message with the count. */
export class Consumer extends Component {
  override *main(): Generator<unknown> {
    let count = 0;
    while (true) {
      yield 1;
      count += 1;
      if (this.dataReady("inbox")) {
        const data = this.recv("inbox");
        console.log(data, count);
      }
    }
  }
}
