// Mistake 1: a component that never yields. This consumer waits for data
// in a loop without giving way, so the postman that would bring the data
// never gets a turn, and neither does anything else: the program freezes.
// (The spin limit is a seat belt for this demonstration; without it the
// program never ends.)
import { Component } from "./component.js";
import { Postman } from "./postman.js";
import { Scheduler } from "./scheduler.js";

class Chatty extends Component {
  override *main(): Generator<unknown> {
    for (let n = 1; ; n++) {
      yield 1;
      this.send(n, "outbox");
      console.log("producer sent", n);
    }
  }
}

class Impatient extends Component {
  override *main(): Generator<unknown> {
    yield 1;
    let spins = 0;
    while (!this.dataReady("inbox")) {
      if (++spins === 10_000_000) {
        console.log(`consumer: still no data after ${spins} spins; nobody else could run`);
        return;
      }
    }
    console.log("consumer got", this.recv("inbox"));
  }
}

const p = new Chatty();
const c = new Impatient();
const myscheduler = new Scheduler(5);
myscheduler.activateMicroprocess(p);
myscheduler.activateMicroprocess(c);
myscheduler.activateMicroprocess(new Postman(p, "outbox", c, "inbox"));
for (const _ of myscheduler.main());
