/**
 * The names doc-comment examples use for "your own component" or "your
 * data": each example in src/ is compiled with the library's exports and
 * these in scope (only the ones it mentions and does not declare itself).
 * Markdown examples get nothing: they import what they use.
 */
import { EventEmitter } from "node:events";
import { Actor } from "../../src/actor/index.js";
import { Component, System, type ChooserCommand, type Linkage, type ProtocolFactory } from "../../src/index.js";
import type { NatsTransport } from "../../src/nats/index.js";
import { Store as StmStore } from "../../src/stm/index.js";

/** A component that prints what it receives. */
export class Printer extends Component<unknown, never> {
  *main() {
    yield* this.processMessages((m) => console.log(m));
  }
}
/** A component that prints what it receives. */
export const printer = new Printer();
/** A log file's name. */
export const log = "app.log";
/** Upper-cases strings. */
export class Upper extends Component<string, string> {
  *main() {
    yield* this.processMessages((s) => this.send(s.toUpperCase()));
  }
}
/** Sends back what it receives. */
export class Echo extends Component<string, string> {
  *main() {
    yield* this.processMessages((s) => this.send(s));
  }
}
/** Some protocol handler. */
export const smtp: ProtocolFactory = () => new Echo();
/** Slides, and files. */
export const slides = ["one.png", "two.png"];
export const files = slides;
/** A button sending a Chooser command when pressed. */
export class Button extends Component<never, ChooserCommand> {
  constructor(readonly msg: ChooserCommand) {
    super();
  }
  *main() {}
}
/** Shows what it receives. */
export class Image extends Component<unknown, never> {
  *main() {}
}
/** Reads a file, sending its lines. */
export class FileReader extends Component<never, string> {
  constructor(readonly file: string) {
    super();
  }
  *main() {}
}
/** Moves each file named on its inbox into a directory. */
export class ImageMover extends Component<string, never> {
  constructor(readonly dir: string) {
    super();
  }
  *main() {}
}
/** Transforms lines. */
export class Highlighter extends Upper {}
/** A source of lines. */
export const lines = new FileReader("notes.txt");
/** A whiteboard message. */
export type Token = string[];
/** Parses lines, and stores them. */
export class Parser extends Upper {}
export class Store extends Component<unknown, never> {
  constructor(readonly db: object = {}) {
    super();
  }
  *main() {}
}
export const db = {};
/** A source and a sink. */
export const source = new FileReader("in.txt");
export const sink = new Printer();
/** An async source of lines. */
export async function* readLines(): AsyncGenerator<string> {
  yield "x";
}
/** An emitter. */
export const socket = new EventEmitter();
/** A bulletin board's stages, sharing one state. */
export class Authenticator extends Component<string, string> {
  constructor(readonly state: object) {
    super();
  }
  *main() {}
}
export class UserRetriever extends Authenticator {}
export class MessageBoard extends Authenticator {}
export const state = {};
export const port = 0;
/** An actor answering greet(name). */
export class Greeter extends Actor {
  greet(name: string): string {
    return `hello ${name}`;
  }
}
/** Sends ranges of numbers to count primes in; counts them; sums the counts. */
export class Ranges extends Component<never, [number, number]> {
  *main() {}
}
export class PrimeCounter extends Component<[number, number], number> {
  *main() {}
}
export class Sum extends Component<number, never> {
  *main() {}
}
/** A transactional store. */
export const store = new StmStore();
/** A sensor reading, and a source of them; a source of numbers. */
export interface Reading {
  celsius: number;
}
export class Readings extends Component<never, Reading> {
  *main() {}
}
export class Numbers extends Component<never, number> {
  *main() {}
}
/** A connection to a NATS server. */
export declare const transport: NatsTransport;
/** An actor that squares numbers. */
export class Squarer extends Actor {
  square(n: number): number {
    return n * n;
  }
}
/** A system, and some linkage in it. */
export const system = new System();
export declare const someLinkage: Linkage;
