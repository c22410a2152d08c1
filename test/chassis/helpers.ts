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
