// Mistake 1 on the real library: a generator component that never yields
// holds the whole process. The scheduler cannot interrupt it (JavaScript
// has no pre-emption), so nothing else runs, not even a timer that was due
// at once. It runs only when the hog finally gives way.
import { Component } from "../../../src/index.js";

class Hog extends Component<never, never> {
  *main() {
    const start = Date.now();
    while (Date.now() - start < 200); // busy for 200 ms without a `yield`
    console.log("hog: done, giving way at last");
  }
}

setTimeout(() => console.log("timer: due after 0 ms, ran after the hog"), 0);
await new Hog().run();
