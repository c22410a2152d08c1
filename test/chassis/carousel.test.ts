import { test } from "node:test";
import assert from "node:assert/strict";
import {
  Carousel,
  ChassisArgumentError,
  Component,
  ErrorInformation,
  Graphline,
  PassThrough,
  Pipeline,
  ProducerFinished,
  producerFinished,
  shutdownKind,
  shutdownMicroprocess,
  type Ipc,
} from "../../src/index.js";
import { Harness } from "../../src/testing/index.js";
import { Idler, TakeThenLinger } from "./helpers.js";

/** Tags input with its name; stops on control; or ends by itself after `limit` messages. */
class Player extends Component<string, string> {
  static made: Player[] = [];
  saw: Ipc | null = null;
  taken = 0;
  constructor(
    readonly track: string,
    readonly limit = Infinity,
  ) {
    super();
    Player.made.push(this);
  }
  *main() {
    for (;;) {
      while (this.dataReady() > 0 && this.taken < this.limit) {
        this.taken++;
        yield* this.waitSend(`${this.track}:${this.recv()}`);
      }
      if (this.taken >= this.limit) break;
      const k = this.checkShutdown();
      if (k === "stop" || (k === "finish" && this.dataReady() === 0)) break;
      this.pause();
      yield;
    }
    this.saw = this.shutdownMessage;
    this.passOnShutdown();
  }
}

test("each request on next re-creates the child from the factory; the old one is stopped first; queued requests in order", () => {
  Player.made = [];
  const h = new Harness();
  const car = h.activate(Carousel((track: string) => new Player(track)));
  const out = h.collect(car.outbox);
  const req = h.collect(car.requestNext);
  h.send(car, "next", "t1");
  h.runUntilIdle();
  h.send(car, "inbox", "a", "b");
  h.runUntilIdle();
  h.send(car, "next", "t2", "t3", "t4");
  h.runUntilIdle();
  h.send(car, "inbox", "c");
  h.runUntilIdle();
  assert.deepEqual(Player.made.map((p) => p.track), ["t1", "t2", "t3", "t4"]);
  assert.ok(Player.made.slice(0, 3).every((p) => p.isFinished() && p.saw !== null));
  assert.ok(Player.made[3]!.isActive());
  assert.deepEqual(out.take(), ["t1:a", "t1:b", "t4:c"]);
  assert.deepEqual(req.take(), [], "no NEXT is asked for while requests wait");
  assert.equal(car.made, 4);
});

test("when a child ends by itself the Carousel asks for the next; input it did not take goes to the next child", () => {
  Player.made = [];
  const h = new Harness();
  const car = h.activate(Carousel((track: string) => new Player(track, 2), { make1stRequest: true }));
  const out = h.collect(car.outbox);
  const req = h.collect(car.requestNext);
  h.runUntilIdle();
  assert.deepEqual(req.take(), ["NEXT"]);
  // Input arriving before any child waits in the Carousel.
  h.send(car, "inbox", "1", "2", "3", "4", "5");
  h.send(car, "next", "A");
  h.runUntilIdle();
  assert.deepEqual(out.take(), ["A:1", "A:2"]);
  assert.deepEqual(req.take(), ["NEXT"]);
  h.send(car, "next", "B");
  h.runUntilIdle();
  assert.deepEqual(out.take(), ["B:3", "B:4"]);
  h.send(car, "next", "C");
  h.runUntilIdle();
  assert.deepEqual(out.take(), ["C:5"]);
});

test("regression (issue 14): input a Pipeline or Graphline child leaves unread inside it goes to the next child", () => {
  const h = new Harness();
  let lost = 0;
  h.system.onDeadLetter = (_box, m) => {
    if (shutdownKind(m) === null) lost++;
  };
  const car = h.activate(
    Carousel((track: string) =>
      track === "P"
        ? Pipeline(new TakeThenLinger(track, 2), new PassThrough<string>())
        : Graphline({ G: new TakeThenLinger(track, 2) }, { "self.inbox": "G.inbox", "G.outbox": "self.outbox" }),
    ),
  );
  const out = h.collect(car.outbox);
  const req = h.collect(car.requestNext);
  h.collect(car.signal);
  h.send(car, "inbox", "1", "2", "3", "4", "5", "6");
  h.send(car, "next", "P");
  h.runUntilIdle();
  assert.deepEqual(out.take(), ["P:1", "P:2"]);
  assert.deepEqual(req.take(), ["NEXT"], "the Pipeline child ended once its first component had");
  h.send(car, "next", "G");
  h.runUntilIdle();
  assert.deepEqual(out.take(), ["G:3", "G:4"]);
  h.send(car, "next", "P");
  h.runUntilIdle();
  assert.deepEqual(out.take(), ["P:5", "P:6"]);
  assert.equal(lost, 0);
});

test("regression (issue 14): producerFinished reaches a child that never reads its inbox, even with input waiting", () => {
  const h = new Harness();
  const tickers: Idler[] = [];
  const car = h.activate(
    Carousel(() => {
      const t = new Idler();
      tickers.push(t);
      return t;
    }),
  );
  const sig = h.collect(car.signal);
  h.send(car, "next", "go");
  h.send(car, "inbox", "a", "b", "c");
  h.runUntilIdle();
  const fin = producerFinished();
  h.control(car, fin);
  h.runUntilIdle();
  assert.equal(tickers.length, 1);
  assert.equal(tickers[0]!.saw, fin);
  assert.deepEqual(sig.take(), [fin]);
  assert.deepEqual(h.alive(), []);
});

test("producerFinished: queued requests are still handled, then the child finishes its input, then the message is passed on", () => {
  Player.made = [];
  const h = new Harness();
  const car = h.activate(Carousel((track: string) => new Player(track)));
  const out = h.collect(car.outbox);
  const sig = h.collect(car.signal);
  const fin = producerFinished();
  h.send(car, "next", "t1", "t2");
  h.send(car, "inbox", "x", "y");
  h.control(car, fin);
  h.runUntilIdle();
  assert.deepEqual(Player.made.map((p) => p.track), ["t1", "t2"]);
  assert.equal(Player.made[1]!.saw, fin);
  assert.deepEqual(out.take().map((m) => m.split(":")[1]), ["x", "y"], "x and y each handled once, in order");
  assert.deepEqual(sig.take(), [fin]);
  assert.deepEqual(h.alive(), []);
});

test("shutdownMicroprocess: queued requests are dropped and the child stopped at once", () => {
  Player.made = [];
  const h = new Harness();
  const car = h.activate(Carousel((track: string) => new Player(track)));
  const sig = h.collect(car.signal);
  h.send(car, "next", "t1");
  h.runUntilIdle();
  const stop = shutdownMicroprocess();
  h.send(car, "next", "t2", "t3");
  h.control(car, stop);
  h.runUntilIdle();
  assert.deepEqual(Player.made.map((p) => p.track), ["t1"]);
  assert.equal(Player.made[0]!.saw, stop);
  assert.deepEqual(sig.take(), [stop]);
  assert.deepEqual(h.alive(), []);
});

test("with no child, either shutdown message ends the Carousel at once", () => {
  for (const msg of [producerFinished(), shutdownMicroprocess()]) {
    const h = new Harness();
    const car = h.activate(Carousel((track: string) => new Player(track)));
    const sig = h.collect(car.signal);
    h.control(car, msg);
    h.runUntilIdle();
    assert.deepEqual(sig.take(), [msg]);
    assert.ok(car.isFinished());
  }
});

test("a factory that throws or returns a non-component is reported as ErrorInformation; the Carousel carries on", () => {
  const h = new Harness();
  const car = h.activate(
    Carousel((track: string) => {
      if (track === "bad") throw new Error("no such track");
      if (track === "odd") return 42 as unknown as Player;
      return new Player(track);
    }),
  );
  const sig = h.collect(car.signal);
  const req = h.collect(car.requestNext);
  const out = h.collect(car.outbox);
  h.send(car, "next", "bad");
  h.runUntilIdle();
  h.send(car, "next", "odd");
  h.runUntilIdle();
  h.send(car, "next", "good");
  h.send(car, "inbox", "z");
  h.runUntilIdle();
  const errs = sig.take();
  assert.equal(errs.length, 2);
  assert.ok(errs[0] instanceof ErrorInformation && errs[0].error.message === "no such track" && errs[0].message === "bad");
  assert.ok(errs[1] instanceof ErrorInformation && /factory returned a number/.test(errs[1].error.message));
  assert.deepEqual(req.take(), ["NEXT", "NEXT"]);
  assert.deepEqual(out.take(), ["good:z"]);
  h.control(car, producerFinished());
  h.runUntilIdle();
  assert.ok(sig.take()[0] instanceof ProducerFinished);
});

test("a non-function factory is refused with an error naming the Carousel", () => {
  assert.throws(() => Carousel("nope" as unknown as () => Player), (e: unknown) => e instanceof ChassisArgumentError && /CarouselComponent_\d+: a Carousel needs a factory function/.test(e.message));
});
