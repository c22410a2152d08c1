/**
 * Components shared by the chassis tests.
 *
 * @module
 */
import { Component } from "../../src/index.js";

/** Never reads its inbox (like a clock or a file reader); ends when told, remembering what it was told. */
export class Idler extends Component<string, string> {
  saw: unknown = null;
  *main() {
    while (this.checkShutdown() === null) {
      this.pause();
      yield;
    }
    this.saw = this.shutdownMessage;
  }
}

/**
 * Takes `n` messages (tagging them), then lingers two timeslices before ending,
 * so the chassis feeding it has time to hand it one more that it never reads.
 */
export class TakeThenLinger extends Component<string, string> {
  constructor(
    readonly tag: string,
    readonly n: number,
  ) {
    super();
  }
  *main() {
    for (let i = 0; i < this.n; i++) this.send(`${this.tag}:${yield* this.waitRecv()}`);
    yield;
    yield;
    this.passOnShutdown();
  }
}

/** Sends its lines, waiting for room, then finishes. */
export class Lines extends Component<never, string> {
  constructor(readonly lines: readonly string[]) {
    super();
  }
  *main() {
    for (const l of this.lines) yield* this.waitSend(l);
    this.passOnShutdown();
  }
}

/** Keeps what it receives in `got`. */
export class Keep extends Component<string, never> {
  got: string[] = [];
  *main() {
    yield* this.processMessages((m) => {
      this.got.push(m);
    });
  }
}
