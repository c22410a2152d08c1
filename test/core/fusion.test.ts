/**
 * Fusion: a message for an idle processMessages component is handled inside
 * the sender's send, as a function call. Same order and results as a
 * scheduled step; these tests pin down the edges.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { Component, ComponentFailure, Pipeline, System, producerFinished, type AnyComponent } from "../../src/index.js";
import { Harness } from "../../src/testing/index.js";
import { Keep, keepSendingIntoOne } from "../support/keep.js";

class Add extends Component<number, number> {
  by = 1;
  main() {
    return this.processMessages(this.handle);
  }
  handle(n: number): void {
    this.send(n + this.by);
  }
}

test("a delivery to an idle processMessages component is handled at once, with no scheduler step", () => {
  const h = new Harness();
  const p = h.activate(Pipeline(new Add(), new Add(), new Add()));
  const out = h.collect(p.outbox);
  h.runUntilIdle();
  const steps = h.system.scheduler.steps;
  h.send(p, "inbox", 1, 2, 3);
  assert.deepEqual(out.take(), [4, 5, 6], "already through all three stages");
  assert.equal(h.runUntilIdle(), 0);
  assert.equal(h.system.scheduler.steps, steps);
});

test("with fusion off, every delivery is a scheduled step, with the same results", () => {
  const h = new Harness();
  h.system.scheduler.fusion = false;
  const p = h.activate(Pipeline(new Add(), new Add(), new Add()));
  const out = h.collect(p.outbox);
  h.runUntilIdle();
  h.send(p, "inbox", 1, 2, 3);
  assert.deepEqual(out.take(), []);
  assert.ok(h.runUntilIdle() >= 3);
  assert.deepEqual(out.take(), [4, 5, 6]);
});

test("a handler that throws in a fused call fails in its own step; the sender is unharmed and later messages queue", () => {
  class Picky extends Component<number, number> {
    main() {
      return this.processMessages(this.handle);
    }
    handle(n: number): void {
      if (n < 0) throw new RangeError(`negative: ${n}`);
      this.send(n);
    }
  }
  const heard: ComponentFailure[] = [];
  class Root extends Component<number, number> {
    picky = new Picky();
    *main() {
      this.addChildren(this.picky);
      this.link(this.inbox, this.picky.inbox);
      this.link(this.picky.outbox, this.outbox);
      this.picky.activate(this.system!);
      for (;;) {
        this.pause();
        yield;
      }
    }
    protected override childFailed(_c: AnyComponent, f: ComponentFailure): void {
      heard.push(f);
    }
  }
  const h = new Harness();
  const root = h.activate(new Root());
  const out = h.collect(root.outbox);
  h.runUntilIdle();
  h.send(root, "inbox", 1, -2, 3);
  assert.deepEqual(out.take(), [1]);
  assert.equal(heard.length, 0, "not failed inside the sender's send");
  assert.equal(root.picky.dataReady(), 1, "3 waits in the inbox: the failing component takes no fused calls");
  h.runUntilIdle();
  assert.equal(heard.length, 1);
  assert.match(heard[0]!.message, /Picky_\d+ failed: RangeError: negative: -2/);
});

test("a ring of fused components does not grow the stack without bound", async () => {
  const hops = 100_000;
  let last = -1;
  class Node extends Component<number, number> {
    main() {
      return this.processMessages(this.handle);
    }
    handle(n: number): void {
      if (n >= hops) last = n;
      else this.send(n + 1);
    }
  }
  const sys = new System();
  const nodes = Array.from({ length: 50 }, () => new Node());
  const root = new Node();
  nodes.forEach((n, i) => root.link(n.outbox, nodes[(i + 1) % nodes.length]!.inbox));
  for (const n of nodes) n.activate(sys);
  await new Promise((r) => setImmediate(r));
  nodes[0]!.inbox.deliver(0, "test");
  while (last < 0) await new Promise((r) => setImmediate(r));
  assert.equal(last, hops);
  sys.stop();
  await sys.run();
});

test("a self-feeding fused loop (a hackysack table router) still gives way: a timer and a socket are served while it plays", async () => {
  const { createServer, connect } = await import("node:net");
  const limit = 3_000_000; // a bound, so that a loop that never gives way ends (and the test fails) instead of hanging
  let hits = 0;
  let running = true;
  class Table extends Component<{ to: number; hits: number }, never> {
    readonly seats = [this.addOutbox<number>("seat0"), this.addOutbox<number>("seat1"), this.addOutbox<number>("seat2")];
    main() {
      return this.processMessages((m) => this.send(m.hits, this.seats[m.to]!));
    }
  }
  class Player extends Component<number, { to: number; hits: number }> {
    constructor(readonly seat: number) {
      super();
    }
    main() {
      return this.processMessages((h) => {
        hits = h;
        if (running && h < limit) this.send({ to: (this.seat + 1 + (h % 2)) % 3, hits: h + 1 });
      });
    }
  }
  class Game extends Component<number, never> {
    *main() {
      const table = new Table();
      const players = [new Player(0), new Player(1), new Player(2)];
      this.addChildren(table, ...players);
      players.forEach((p, k) => {
        this.link(p.outbox, table.inbox);
        this.link(table.seats[k]!, p.inbox);
      });
      this.link(this.inbox, players[0]!.inbox);
      for (const c of [table, ...players]) c.activate(this.system!);
      while (!this.childrenDone()) {
        this.pause();
        yield;
      }
    }
  }
  const server = createServer((s) => s.on("data", (d) => s.end(`pong ${String(d)}`)));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as { port: number }).port;
  const sys = new System();
  try {
    const game = new Game().activate(sys);
    game.inbox.deliver(0, "test");
    // Wait until the game is under way, from a timer: that this callback runs at all is the first check.
    await new Promise<void>((resolve) => {
      const poll = (): void => void (hits > 1000 ? resolve() : setTimeout(poll, 1));
      setTimeout(poll, 0);
    });
    const atTimer = await new Promise<number>((r) => setTimeout(() => r(hits), 5));
    const reply = await new Promise<string>((resolve, reject) => {
      const c = connect(port, "127.0.0.1", () => c.write("ping"));
      let got = "";
      c.on("data", (d) => (got += String(d)));
      c.on("end", () => resolve(got));
      c.on("error", reject);
    });
    const atSocket = hits;
    assert.equal(reply, "pong ping");
    assert.ok(atTimer < limit && atSocket < limit, `the timer (at ${atTimer} hits) and the socket (at ${atSocket}) were served while the game ran`);
    assert.ok(atSocket > atTimer, "and the game kept playing between them");
    running = false;
    sys.stop();
    await sys.run();
  } finally {
    server.close();
  }
});

test("a drain loop fed more than its step budget between two of its steps keeps pace: its inbox empties each cycle, so later deliveries fuse", () => {
  const bursts = 8;
  const burst = 1024; // more than DRAIN_BUDGET (256)
  class Burst extends Component<never, number> {
    *main() {
      for (let k = 0; k < bursts; k++) {
        for (let i = 0; i < burst; i++) this.send(k * burst + i);
        yield;
      }
    }
  }
  const got: number[] = [];
  class Keep extends Component<number, never> {
    main() {
      return this.processMessages((m) => {
        got.push(m);
      });
    }
  }
  const h = new Harness();
  const keep = new Keep();
  h.activate(Pipeline(new Burst(), keep));
  let most = 0;
  for (let c = 0; c < 100 && h.system.scheduler.hasWork(); c++) {
    h.system.scheduler.cycle();
    most = Math.max(most, keep.dataReady());
  }
  assert.ok(most <= burst, `at most one burst waited at the end of a cycle (saw ${most}): a fixed budget of 256 a step fell behind for ever`);
  assert.deepEqual(got, Array.from({ length: bursts * burst }, (_, i) => i), "everything, in order");
});

test("once a shutdown has been read, deliveries queue (no fused call), and the loop drains them before it ends", () => {
  const h = new Harness();
  const c = h.activate(new Keep());
  h.runUntilIdle();
  // The handler reads a producerFinished itself: from then on its next step decides, so nothing may fuse.
  c.onMessage = (m) => {
    if (m !== 1) return;
    c.control.deliver(producerFinished(), "test");
    assert.equal(c.checkShutdown(), "finish");
  };
  c.inbox.deliver(1, "test");
  assert.deepEqual(c.got, [1], "fused while idle");
  c.inbox.deliver(2, "test");
  assert.deepEqual(c.got, [1], "queued: a shutdown is known");
  assert.equal(c.dataReady(), 1);
  h.runUntilIdle();
  assert.deepEqual(c.got, [1, 2]);
  assert.ok(c.isFinished());
});

test("while a handler waits for room, deliveries queue behind it; once it is done they fuse again", () => {
  const { h, c, out } = keepSendingIntoOne();
  c.inbox.deliver(1, "test");
  c.inbox.deliver(2, "test");
  assert.deepEqual(c.got, [1, 2], "1 is sent; 2's handler now waits for room");
  c.inbox.deliver(3, "test");
  assert.deepEqual(c.got, [1, 2], "3 queues behind the wait");
  assert.deepEqual(out.take(), [10]);
  h.runUntilIdle();
  assert.deepEqual(c.got, [1, 2, 3]);
  assert.deepEqual(out.take(), [20]);
  h.runUntilIdle();
  assert.deepEqual(out.take(), [30]);
  h.runUntilIdle();
  c.onMessage = () => undefined;
  c.inbox.deliver(4, "test");
  assert.deepEqual(c.got, [1, 2, 3, 4], "idle again with no wait kept: fused");
});

/** Handles messages with processMessages until told to finish, then reads its inbox itself. */
class ThenReads extends Component<number, never> {
  handled: number[] = [];
  readAfter: number[] = [];
  *main() {
    yield* this.processMessages((n) => {
      this.handled.push(n);
    });
    for (;;) this.readAfter.push(yield* this.waitRecv());
  }
}

test("once the loop has ended, deliveries are stored for the generator: the ended loop's handler is never called", () => {
  const h = new Harness();
  const c = h.activate(new ThenReads());
  h.runUntilIdle();
  c.inbox.deliver(1, "test");
  assert.deepEqual(c.handled, [1], "fused while the loop runs");
  assert.notEqual(c.inbox.handler, null, "the inbox holds the loop's handler while it runs");
  c.control.deliver(producerFinished(), "test");
  h.runUntilIdle();
  assert.equal(c.inbox.handler, null, "the loop has ended: no handler to fuse into");
  c.inbox.deliver(2, "test");
  assert.deepEqual(c.handled, [1], "not handed to the ended loop's handler");
  assert.equal(c.dataReady(), 1, "stored");
  h.runUntilIdle();
  assert.deepEqual(c.readAfter, [2], "read by the generator after its loop");
  c.stop();
  h.runUntilIdle();
  c.inbox.deliver(3, "test");
  assert.deepEqual(c.handled, [1]);
  assert.equal(c.inbox.handler, null, "closed");
});
