/**
 * Regressions found in review: each test reproduces a defect that was fixed.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { EventEmitter } from "node:events";
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  AddSink,
  Carousel,
  Component,
  DirectoryWatcher,
  EventSource,
  Follow,
  KamaeliaError,
  LineDeFramer,
  ErrorInformation,
  producerFinished,
  Splitter,
  Supervisor,
  System,
  TPipe,
  shutdownMicroprocess,
} from "../../src/index.js";
import { Harness } from "../../src/testing/index.js";
import { startLogServer } from "../../examples/log-server.js";

class Once extends Component<string, string> {
  constructor(readonly tag: string) {
    super();
  }
  *main() {
    const m = yield* this.waitRecv();
    this.send(`${this.tag}:${m}`);
    yield;
    yield;
  }
}
class Rest extends Component<string, string> {
  constructor(readonly tag: string) {
    super();
  }
  *main() {
    yield* this.processMessages((m) => this.waitSend(`${this.tag}:${m}`));
  }
}

test("Carousel: input handed to a child that ends without reading it goes to the next child", () => {
  const h = new Harness();
  const car = h.activate(Carousel((t: string) => (t === "A" ? new Once(t) : new Rest(t))));
  const out = h.collect(car.outbox);
  h.send(car, "inbox", "1", "2", "3");
  h.send(car, "next", "A");
  h.runUntilIdle();
  h.send(car, "next", "B");
  h.runUntilIdle();
  assert.deepEqual(out.take(), ["A:1", "B:2", "B:3"]);
});

test("TPipe: a stop while waiting for room in a bounded action is passed on at once", () => {
  class Lazy extends Component<number, number> {
    *main() {
      for (;;) {
        if (this.checkShutdown()) break;
        this.pause();
        yield;
      }
      this.passOnShutdown();
    }
  }
  const h = new Harness();
  const action = new Lazy();
  action.inbox.setSize(1);
  const tp = h.activate(TPipe({ condition: (n: number) => n % 2 === 0, action }));
  const sig = h.collect(tp.signal);
  h.send(tp, "inbox", 2, 4);
  h.runUntilIdle();
  h.control(tp, shutdownMicroprocess());
  h.runUntilIdle();
  assert.ok(tp.isFinished() && action.isFinished());
  assert.equal(sig.take().length, 1);
});

test("Splitter: a malformed AddSink is reported on error and the Splitter carries on", () => {
  const h = new Harness();
  const s = h.activate(new Splitter<number>());
  const err = h.collect(s.error);
  h.send(s, "configuration", new AddSink(null as never));
  h.runUntilIdle();
  assert.ok(s.isActive());
  assert.deepEqual(h.failures, []);
  assert.equal(err.take().length, 1);
});

test("Supervisor all-for-one does not re-make a child that had finished normally", () => {
  let made = 0;
  class Src extends Component<never, number> {
    *main() {
      made++;
      for (const n of [1, -1, 2]) yield* this.waitSend(n);
      this.passOnShutdown();
    }
  }
  class Flaky extends Component<number, number> {
    *main() {
      yield* this.processMessages((n) => {
        if (n < 0) throw new Error(`bad ${n}`);
        return this.waitSend(n);
      });
    }
  }
  for (const strategy of ["one-for-one", "all-for-one"] as const) {
    made = 0;
    const h = new Harness();
    const sup = h.activate(Supervisor({ strategy, children: [() => new Src(), () => new Flaky()], intensity: { maxRestarts: 5, withinMs: 60_000 } }));
    const out = h.collect(sup.outbox);
    h.runUntilIdle();
    assert.deepEqual(out.take(), [1, 2], strategy);
    assert.equal(made, 1, `${strategy}: the finished source was not made again`);
    assert.equal(sup.restarts, 1);
    assert.deepEqual(h.failures, []);
  }
});

test("EventSource: an 'error' emitted before it first runs does not crash the process; it fails the component", async () => {
  const em = new EventEmitter();
  const sys = new System();
  const src = new EventSource(em, "data").activate(sys);
  em.emit("error", new Error("early"));
  await assert.rejects(sys.run(), /early/);
  assert.ok(src.isFinished());
});

test("bad constructor arguments name the component", () => {
  assert.throws(() => new DirectoryWatcher(42 as never), (e: unknown) => e instanceof KamaeliaError && /DirectoryWatcher_\d+: the directory must be a path/.test(e.message));
  assert.throws(() => new Follow(42 as never), (e: unknown) => e instanceof KamaeliaError && /Follow_\d+: the file to follow must be a path/.test(e.message));
  assert.throws(() => new EventSource(null as never, "data"), (e: unknown) => e instanceof KamaeliaError && /EventSource_\d+: the emitter must be an EventEmitter/.test(e.message));
});

test("log-server: a client that types is not disconnected, and still gets every matching line", async () => {
  const dir = mkdtempSync(join(tmpdir(), "log-server-"));
  const file = join(dir, "log");
  writeFileSync(file, "");
  const system = new System();
  const { address, done } = await startLogServer(file, /x/, { port: 0, system });
  const s = connect(address.port, "127.0.0.1");
  let got = "";
  s.on("data", (d: Buffer) => (got += d.toString()));
  s.on("error", () => undefined);
  try {
    await new Promise((r) => s.once("connect", r));
    s.write("hello\n");
    await new Promise((r) => setTimeout(r, 200));
    appendFileSync(file, "x marks the spot\nno match\n");
    for (let i = 0; i < 100 && !got.includes("x marks"); i++) await new Promise((r) => setTimeout(r, 50));
    assert.equal(got, "x marks the spot\n");
    assert.equal(s.destroyed, false);
  } finally {
    s.destroy();
    system.stop();
    await done.catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
});

test("LineDeFramer: a line that is not valid UTF-8 is reported on errors and skipped; the others carry on", () => {
  const h = new Harness();
  const d = h.activate(new LineDeFramer());
  const out = h.collect(d.outbox);
  const errs = h.collect(d.errors);
  h.send(d, "inbox", Buffer.from("before\n"), Buffer.from([0x62, 0x61, 0x64, 0xff, 0xfe, 0x0a]), Buffer.from("after\nlast"));
  h.control(d, producerFinished());
  h.runUntilIdle();
  assert.deepEqual(out.take(), ["before", "after", "last"]);
  const e = errs.take();
  assert.equal(e.length, 1);
  assert.ok(e[0] instanceof ErrorInformation);
  assert.match(e[0]!.error.message, /LineDeFramer_\d+\.inbox: a line that is not valid UTF-8 \(5 bytes\) was skipped/);
  assert.ok(d.isFinished());
});

test("LengthPrefixDeFramer: a large frame arriving in many small chunks comes out whole, once", async () => {
  const { LengthPrefixDeFramer } = await import("../../src/index.js");
  const h = new Harness();
  const d = h.activate(new LengthPrefixDeFramer());
  const out = h.collect(d.outbox);
  const size = 1_000_003;
  const wire = Buffer.alloc(2 * (4 + size) + 3);
  wire.writeUInt32BE(size, 0);
  for (let i = 0; i < size; i++) wire[4 + i] = i % 251;
  wire.writeUInt32BE(size, 4 + size);
  wire.fill(9, 8 + size, 8 + 2 * size);
  wire.writeUInt32BE(0, 8 + 2 * size - 1); // and the start of a third frame header (incomplete)
  for (let i = 0; i < wire.length; i += 1000) {
    h.send(d, "inbox", wire.subarray(i, i + 1000));
    h.runUntilIdle();
  }
  const frames = out.take() as Buffer[];
  assert.equal(frames.length, 2);
  assert.equal(frames[0]!.length, size);
  assert.ok(frames[0]!.every((b, i) => b === i % 251));
  assert.equal(frames[1]!.length, size);
});

test("ConsoleReader: a line that is not valid UTF-8 is reported on error and skipped; reading carries on", async () => {
  const { ConsoleReader } = await import("../../src/index.js");
  const { PassThrough } = await import("node:stream");
  const input = new PassThrough();
  const h = new Harness();
  const r = h.activate(new ConsoleReader({ input }));
  const out = h.collect(r.outbox);
  const errs = h.collect(r.error);
  input.write(Buffer.from("first\r\n"));
  input.write(Buffer.from([0x62, 0xff, 0x0a]));
  input.end("last");
  for (let i = 0; i < 100 && !r.isFinished(); i++) await h.settle();
  assert.deepEqual(out.take(), ["first", "last"]);
  const e = errs.take();
  assert.equal(e.length, 1);
  assert.match(e[0]!.error.message, /not valid UTF-8/);
});
