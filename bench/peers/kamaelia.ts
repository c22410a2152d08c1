/**
 * The project's workloads, written the way a Kamaelia user writes them:
 * generator components, `processMessages` loops (a woken component drains
 * everything waiting), Pipeline for lines and rings, a Backplane with
 * PublishTo/SubscribeTo for fan-out, and `waitSend` into a bounded box for
 * backpressure.
 */
import {
  Backplane,
  Component,
  Pipeline,
  PipelineComponent,
  PublishTo,
  SubscribeTo,
  System,
  type AnyComponent,
  type Outbox,
} from "../../src/index.js";
import { checksum, makeRandom, measureFootprint, otherPlayer, rssMeter, settle, spin } from "../common.mjs";

/** Sends the integers 0..n-1, giving way every 1024, then finishes. */
class Counter extends Component<never, number> {
  static override outboxes = { outbox: "0, 1, 2, … n-1", signal: "producerFinished at the end" };
  n = 0;
  *main() {
    for (let i = 0; i < this.n; i++) {
      this.send(i);
      if ((i & 1023) === 1023) yield;
    }
    this.passOnShutdown();
  }
}

/** Sends the integers 0..n-1 into a bounded box (a PublishTo's), waiting for room when it is full, then finishes. */
class PacedCounter extends Component<never, number> {
  static override outboxes = { outbox: "0, 1, 2, … n-1", signal: "producerFinished at the end" };
  n = 0;
  *main() {
    for (let i = 0; i < this.n; i++) yield* this.waitSend(i);
    this.passOnShutdown();
  }
}

/** Passes every message on unchanged. */
class Identity extends Component<number, number> {
  static override outboxes = { outbox: "each message, unchanged", signal: "shutdown, passed on" };
  *main() {
    yield* this.processMessages((m) => this.send(m));
  }
}

/** Counts and sums what it receives. */
class Summer extends Component<number, never> {
  static override inboxes = { inbox: "numbers to sum", control: "shutdown" };
  sum = 0;
  count = 0;
  /** Told each new count, when set. */
  onCount: ((count: number) => void) | null = null;
  *main() {
    yield* this.processMessages((m) => {
      this.sum += m;
      this.count++;
      if (this.onCount !== null) this.onCount(this.count);
    });
  }
}

/** Resolves `done` when called; the time it was called is the end of the measured phase. */
function finishLine(): { done: Promise<number>; finish: () => void } {
  let finish!: () => void;
  const done = new Promise<number>((resolve) => (finish = () => resolve(performance.now())));
  return { done, finish };
}

/** A ring node: passes the token on, one hop more, until it has made `hops` hops. */
class RingNode extends Component<number, number> {
  static override inboxes = { inbox: "the token: the hops made so far", control: "shutdown" };
  static override outboxes = { outbox: "the token, one hop more", signal: "shutdown, passed on" };
  constructor(
    readonly index: number,
    readonly hops: number,
    readonly onEnd: (index: number, value: number) => void,
  ) {
    super();
  }
  *main() {
    yield* this.processMessages((t) => {
      if (t === this.hops) this.onEnd(this.index, t);
      else this.send(t + 1);
    });
  }
}

/** A hackysack player: on getting the sack, kicks it to a random other player (by way of the circle). */
class Player extends Component<number, { to: number; hits: number }> {
  static override inboxes = { inbox: "the sack: the hits so far", control: "shutdown" };
  static override outboxes = { outbox: "{ to, hits }: the sack, for player `to`", signal: "shutdown, passed on" };
  constructor(
    readonly index: number,
    readonly game: Game,
  ) {
    super();
  }
  *main() {
    const g = this.game;
    yield* this.processMessages((h) => {
      g.received[this.index]!++;
      if (h === g.hits) g.end(this.index);
      else this.send({ to: otherPlayer(g.rand, this.index, g.players), hits: h + 1 });
    });
  }
}

/** The circle: routes the sack to the player it is addressed to (one outbox per player). */
class Circle extends Component<{ to: number; hits: number }, never> {
  static override inboxes = { inbox: "{ to, hits }: the sack and whom it is for", control: "shutdown" };
  static override outboxes = { outbox: "unused", signal: "shutdown, passed on" };
  readonly toPlayer: Outbox<number>[] = [];
  constructor(players: number) {
    super();
    for (let k = 0; k < players; k++) this.toPlayer.push(this.addOutbox<number>(`player${k}`, `the sack, for player ${k}`));
  }
  *main() {
    yield* this.processMessages((m) => this.send(m.hits, this.toPlayer[m.to]!));
  }
}

interface Game {
  players: number;
  hits: number;
  rand: () => number;
  received: Float64Array;
  end(index: number): void;
}

/** The players and the circle, wired and run as one component. */
class HackySack extends Component<number, never> {
  constructor(
    readonly circle: Circle,
    readonly players: Player[],
  ) {
    super();
  }
  *main() {
    const all: AnyComponent[] = [this.circle, ...this.players];
    this.addChildren(...all);
    this.players.forEach((p, k) => {
      this.link(p.outbox, this.circle.inbox);
      this.link(this.circle.toPlayer[k]!, p.inbox);
    });
    this.link(this.inbox, this.players[0]!.inbox);
    for (const c of all) c.activate(this.system!);
    while (!this.childrenDone()) {
      this.pause();
      yield;
    }
  }
}

/**
 * Waits for one message, then ends. Written in the cheapest idiom for a
 * message handler: a plain `main` returning the processMessages loop, with a
 * method as the handler (no generator, no closure per component).
 */
class Idle extends Component<number, never> {
  static override inboxes = { inbox: "one message, then it ends", control: "unused" };
  static got = 0;
  main() {
    return this.processMessages(this.handle);
  }
  handle(): void {
    Idle.got++;
    this.stop();
  }
}

/** Sends 0..n-1 with `waitSend`, doing one unit of work per message. */
class Producer extends Component<never, number> {
  static override outboxes = { outbox: "0..n-1", signal: "producerFinished at the end" };
  n = 0;
  *main() {
    for (let i = 0; i < this.n; i++) {
      spin(1);
      yield* this.waitSend(i);
    }
    this.passOnShutdown();
  }
}

/** Sums what it receives, doing `slowdown` units of work per message. */
class SlowConsumer extends Component<number, never> {
  static override inboxes = { inbox: "numbers, through a bounded box", control: "shutdown" };
  slowdown = 10;
  sum = 0;
  received = 0;
  meter = rssMeter();
  *main() {
    yield* this.processMessages((m) => {
      spin(this.slowdown);
      this.sum += m;
      if ((++this.received & 0xffff) === 0) this.meter.sample();
    });
  }
}

const idle = (): Promise<void> => new Promise((r) => setImmediate(r));

export const workloads = {
  async w1({ n, stages }: { n: number; stages: number }) {
    const sys = new System();
    const sink = new Summer();
    const ids: Identity[] = [];
    for (let i = 0; i < stages; i++) ids.push(new Identity());
    settle();
    const t0 = performance.now();
    await Pipeline(Counter.create({ n }), ...ids, sink).run(sys);
    return { ms: performance.now() - t0, sum: sink.sum, count: sink.count };
  },

  async w2({ ring, hops }: { ring: number; hops: number }) {
    const sys = new System();
    const line = finishLine();
    let finalNode = -1;
    let finalValue = -1;
    const nodes: RingNode[] = [];
    for (let k = 0; k < ring; k++) {
      nodes.push(
        new RingNode(k, hops, (i, v) => {
          finalNode = i;
          finalValue = v;
          line.finish();
        }),
      );
    }
    const p = new PipelineComponent<number, number>(...nodes);
    p.circular = true;
    p.activate(sys);
    while (sys.scheduler.hasWork()) await idle();
    settle();
    const t0 = performance.now();
    nodes[0]!.inbox.deliver(0, "bench");
    const t1 = await line.done;
    sys.stop();
    await sys.run();
    return { ms: t1 - t0, finalNode, finalValue };
  },

  async w3({ players, hits }: { players: number; hits: number }) {
    const sys = new System();
    const line = finishLine();
    let finalPlayer = -1;
    const game: Game = {
      players,
      hits,
      rand: makeRandom(),
      received: new Float64Array(players),
      end(index) {
        finalPlayer = index;
        line.finish();
      },
    };
    const ps: Player[] = [];
    for (let k = 0; k < players; k++) ps.push(new Player(k, game));
    const hs = new HackySack(new Circle(players), ps);
    hs.activate(sys);
    while (sys.scheduler.hasWork()) await idle();
    settle();
    const t0 = performance.now();
    // Inbox.deliver stores in the box it is called on, even a passthrough: deliver to where the chain ends.
    hs.inbox.final.deliver(0, "bench");
    const t1 = await line.done;
    sys.stop();
    await sys.run();
    return { ms: t1 - t0, finalPlayer, checksum: checksum(game.received) };
  },

  async w4({ subscribers, messages }: { subscribers: number; messages: number }) {
    // Backplane("W4") with Pipeline(SubscribeTo("W4"), consumer) per subscriber, and Pipeline(producer, PublishTo("W4")).
    const sys = new System();
    Backplane<number>("W4").activate(sys);
    const line = finishLine();
    let full = 0;
    const subs: Summer[] = [];
    for (let k = 0; k < subscribers; k++) {
      const s = new Summer();
      s.onCount = (n) => {
        if (n === messages && ++full === subscribers) line.finish();
      };
      subs.push(s);
      Pipeline(SubscribeTo<number>("W4"), s).activate(sys);
    }
    // Every subscription is in before the first message is published.
    while (sys.scheduler.hasWork()) await idle();
    settle();
    const t0 = performance.now();
    // PublishTo's inbox is bounded (the backplane's pipewidth): the producer waits for room, as a user's must.
    Pipeline(PacedCounter.create({ n: messages }), PublishTo<number>("W4")).activate(sys);
    const t1 = await line.done;
    sys.stop();
    await sys.run();
    return { ms: t1 - t0, counts: subs.map((s) => s.count), sums: subs.map((s) => s.sum) };
  },

  async w5({ units }: { units: number }) {
    const sys = new System();
    return measureFootprint(
      units,
      async (u: number) => {
        const all: Idle[] = new Array<Idle>(u);
        for (let k = 0; k < u; k++) all[k] = new Idle().activate(sys);
        while (sys.scheduler.hasWork()) await idle();
        return all;
      },
      async (all: Idle[]) => {
        for (const c of all) c.inbox.deliver(1, "bench");
        await sys.run();
        return Idle.got;
      },
    );
  },

  async w6({ n, limit, slowdown }: { n: number; limit: number; slowdown: number }) {
    const sys = new System();
    const consumer = SlowConsumer.create({ slowdown });
    consumer.setInboxSize("inbox", limit);
    settle();
    const t0 = performance.now();
    await Pipeline(Producer.create({ n }), consumer).run(sys);
    return { ms: performance.now() - t0, received: consumer.received, sum: consumer.sum, ...consumer.meter.result() };
  },
};
