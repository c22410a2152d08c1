/**
 * DataSource: send a fixed sequence of messages, then finish.
 *
 * @module
 */
import { Component } from "../core/component.js";
import { ArgumentError } from "./errors.js";

/** How many messages a DataSource sends before giving way to other components. */
const BATCH = 256;

/**
 * Sends each item of an iterable, in order, then `producerFinished` on
 * `signal`, and ends (Kamaelia's `DataSource`). It waits for room when
 * downstream is bounded. `shutdownMicroprocess` stops it at once (the rest is
 * not sent); `producerFinished` changes nothing, since everything it has is
 * already "waiting" to be sent.
 *
 * Boxes: `outbox` T, each item; `signal`: producerFinished at the end (or
 * the shutdown message received); `inbox` unused; `control`: shutdown messages.
 */
export class DataSourceComponent<T = unknown> extends Component<never, T> {
  static override inboxes = {
    inbox: "not used",
    control: "shutdownMicroprocess (stop now, sending no more); producerFinished is passed on at the end",
  };
  static override outboxes = {
    outbox: "each item, in order",
    signal: "producerFinished once every item is sent (or the shutdown message received)",
  };

  private readonly items: Iterable<T>;

  /** @throws ArgumentError if `items` is not iterable. */
  constructor(items: Iterable<T>) {
    super();
    if (items === null || typeof (items as Partial<Iterable<T>>)?.[Symbol.iterator] !== "function") {
      throw new ArgumentError(this.name, "the items", "an iterable (an array, a Set, a generator…)", items);
    }
    this.items = items;
  }

  *main(): Generator<unknown, void, unknown> {
    let n = 0;
    for (const item of this.items) {
      if (this.checkShutdown() === "stop") break;
      yield* this.waitSend(item);
      if (++n % BATCH === 0) yield;
    }
    this.passOnShutdown();
  }
}

/** Make a {@link DataSourceComponent} sending `messages`: `DataSource("a", "b", "c")`. */
export function DataSource<T>(...messages: T[]): DataSourceComponent<T> {
  return new DataSourceComponent<T>(messages);
}

/** Make a {@link DataSourceComponent} sending every item of an iterable (lazily, so it may be endless). */
DataSource.from = function from<T>(items: Iterable<T>): DataSourceComponent<T> {
  return new DataSourceComponent<T>(items);
};
