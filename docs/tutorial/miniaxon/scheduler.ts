import { Microprocess } from "./microprocess.js";

// The scheduler is itself a microprocess. It keeps two queues: `active`
// (run in this loop) and `newqueue` (run in the next one).
export class Scheduler extends Microprocess {
  private active: Iterator<unknown>[] = [];
  private newqueue: Iterator<unknown>[] = [];

  constructor(private readonly loops = 100) {
    super();
  }

  /** Start a microprocess: its generator joins the queue for the next loop. */
  activateMicroprocess(someprocess: Microprocess): void {
    this.newqueue.push(someprocess.main());
  }

  override *main(): Generator<unknown> {
    for (let i = 0; i < this.loops; i++) {
      for (const current of this.active) {
        yield 1;
        // Python signals "finished" with StopIteration (or by yielding -1);
        // a JavaScript iterator says so with `done`.
        const result = current.next();
        if (!result.done && result.value !== -1) this.newqueue.push(current);
      }
      this.active = this.newqueue;
      this.newqueue = [];
    }
  }
}
