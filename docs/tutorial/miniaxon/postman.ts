import type { Component } from "./component.js";
import { Microprocess } from "./microprocess.js";

// The postman moves messages from one component's outbox to another's
// inbox. Neither component knows the other exists: that is the point.
export class Postman extends Microprocess {
  constructor(
    private readonly source: Component,
    private readonly sourcebox: string,
    private readonly sink: Component,
    private readonly sinkbox: string,
  ) {
    super();
  }

  override *main(): Generator<unknown> {
    while (true) {
      yield 1;
      if (this.source.dataReady(this.sourcebox)) {
        const d = this.source.recv(this.sourcebox);
        this.sink.send(d, this.sinkbox);
      }
    }
  }
}
