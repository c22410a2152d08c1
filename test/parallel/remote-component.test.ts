import { test } from "node:test";
import assert from "node:assert/strict";
import {
  Component,
  ComponentFailure,
  Pipeline,
  ProducerFinished,
  ShutdownMicroprocess,
  Supervisor,
  producerFinished,
  shutdownMicroprocess,
  type InOf,
  type OutOf,
  type Wait,
} from "../../src/index.js";
import {
  ParallelArgumentError,
  ProcessComponent,
  RemoteComponent,
  RemoteError,
  RemoteLoadError,
  UncloneableMessageError,
  WorkerComponent,
  WorkerCrashedError,
  type RemoteOptions,
} from "../../src/parallel/index.js";
import type { BufferEcho, Doubler, Lookahead, TwoBoxes } from "./fixtures.js";
import { alive, FIXTURES, range, Sink, Source, system, until } from "./helpers.js";

const KINDS = ["worker", "process"] as const;
const make = (kind: (typeof KINDS)[number], o: Omit<RemoteOptions, "module"> & { serialization?: "json" | "advanced" }) =>
  kind === "worker" ? WorkerComponent({ module: FIXTURES, ...o }) : ProcessComponent({ module: FIXTURES, ...o });

/** Run `c` on a fresh system; resolve with the failure it ended with (or null). */
async function runFor(c: Component): Promise<ComponentFailure | null> {
  const sys = system();
  c.activate(sys);
  try {
    await sys.run();
    return null;
  } catch (e) {
    assert.ok(e instanceof ComponentFailure, `expected a ComponentFailure, got ${String(e)}`);
    return e;
  }
}

for (const kind of KINDS) {
  test(`${kind}: messages cross in order, none lost or duplicated; producerFinished crosses after the data`, async () => {
    const sink = new Sink<number>();
    const remote = make(kind, { export: "Doubler", window: 16 }) as RemoteComponent<number, number>;
    assert.equal(await runFor(Pipeline(new Source(range(20_000)), remote, sink)), null);
    assert.deepEqual(sink.got, range(20_000).map((n) => n * 2));
    assert.equal(sink.signals.length, 1);
    assert.ok(sink.signals[0] instanceof ProducerFinished);
    assert.equal(alive(remote.pid), false, "no process left behind");
  });

  test(`${kind}: a batch is stored in the remote inbox, not worked through inside the delivery, so credit returns before the work`, async () => {
    // Were the batch handed to the component's handler message by message as it is delivered (fusion), the
    // next message would never be waiting while it works on one, and the credit for a batch would go back
    // only after all of it was done: the proxy's next batch could not be on its way, and a CPU-bound remote
    // component would sit idle for a round trip after every batch (W8).
    const sink = new Sink<number>();
    const remote = make(kind, { export: "Lookahead", window: 4 }) as RemoteComponent<InOf<Lookahead>, OutOf<Lookahead>>;
    assert.equal(await runFor(Pipeline(new Source(range(40)), remote, sink)), null);
    assert.equal(sink.got.length, 40);
    assert.ok(sink.got.some((n) => n > 0), `the next message was never waiting: ${sink.got.join(",")}`);
    assert.ok(sink.got.every((n) => n < 4), `at most the window waits there: ${sink.got.join(",")}`);
  });

  test(`${kind}: a whole Pipeline made by a factory export, with args`, async () => {
    const sink = new Sink<number>();
    assert.equal(await runFor(Pipeline(new Source([1, 2, 3]), make(kind, { export: "AddThenDouble", args: [10] }) as RemoteComponent<number, number>, sink)), null);
    assert.deepEqual(sink.got, [22, 24, 26]);
  });

  test(`${kind}: extra boxes are bridged by name`, async () => {
    const sys = system();
    const remote = make(kind, { export: "TwoBoxes", inboxes: ["config"], outboxes: ["log"] }) as RemoteComponent<number, number>;
    const out = new Sink<number>();
    const log = new Sink<unknown>();
    class Top extends Component {
      *main(): Wait {
        this.addChildren(remote, out, log);
        this.link(remote.outbox, out.inbox);
        this.link(remote.signal, out.control);
        this.link(remote.outboxNamed("log"), log.inbox);
        for (const c of [remote, out, log]) c.activate(this.system!);
        remote.inboxNamed("config").deliver("hello", "test");
        remote.inbox.deliver(41, "test");
        while (out.got.length === 0 || log.got.length === 0) {
          yield new Promise((r) => setTimeout(r, 5));
        }
        remote.control.deliver(producerFinished(), "test");
        log.control.deliver(producerFinished(), "test");
        while (!this.childrenDone()) {
          this.pause();
          yield;
        }
      }
    }
    new Top().activate(sys);
    await sys.run();
    assert.deepEqual(out.got, [42]);
    assert.deepEqual(log.got, ["HELLO"]);
    assert.ok(out.signals[0] instanceof ProducerFinished);
  });

  test(`${kind}: shutdownMicroprocess crosses at once and comes back out of signal`, async () => {
    const sys = system();
    const sink = new Sink<number>();
    const remote = make(kind, { export: "Doubler" }) as RemoteComponent<number, number>;
    const p = Pipeline(remote, sink).activate(sys);
    p.inbox.deliver(5, "test");
    await until(() => sink.got.length === 1, 60_000, "the first reply");
    p.control.deliver(shutdownMicroprocess(), "test");
    await sys.run();
    assert.deepEqual(sink.got, [10]);
    assert.ok(sink.signals[0] instanceof ShutdownMicroprocess);
  });

  test(`${kind}: a failure there arrives as a ComponentFailure with the remote stack`, async () => {
    const remote = make(kind, { export: "Doubler" });
    const f = await runFor(Pipeline(new Source([1, -1, 2]), remote, new Sink()));
    assert.ok(f !== null);
    assert.ok(f.cause instanceof RemoteError);
    assert.match(f.message, /RemoteComponent_\d+: .*Doubler.* failed: RangeError: Doubler cannot take -1/);
    assert.match(f.stack ?? "", /fixtures\.ts/, "the remote stack is kept");
    assert.equal(f.cause.remoteName, "RangeError");
    assert.equal(alive((remote as RemoteComponent).pid), false);
  });

  test(`${kind}: a crashed ${kind} is a failure a Supervisor restarts`, async () => {
    const sys = system();
    const made: RemoteComponent[] = [];
    const sup = Supervisor({
      children: [() => {
        const r = make(kind, { export: "Doubler" }) as RemoteComponent<number, number>;
        made.push(r as RemoteComponent);
        return r;
      }],
    });
    const sink = new Sink<number>();
    const p = Pipeline(sup, sink).activate(sys);
    p.inbox.deliver(1, "test");
    await until(() => sink.got.length === 1, 60_000, "the first reply");
    p.inbox.deliver(999_999, "test"); // the fixture exits the thread/process with code 3
    await until(() => sup.restarts === 1, 60_000, "the restart");
    p.inbox.deliver(3, "test");
    await until(() => sink.got.length === 2, 60_000, "the reply after the restart");
    p.control.deliver(producerFinished(), "test");
    await sys.run();
    assert.deepEqual(sink.got, [2, 6]);
    assert.ok(sup.failures[0]!.cause instanceof WorkerCrashedError);
    assert.match(sup.failures[0]!.message, /died \(exit code 3\) before its component finished/);
    for (const r of made) assert.equal(alive(r.pid), false);
  });

  test(`${kind}: killed mid-stream under a Supervisor, it loses at most 4 × window + 1 consecutive messages; the rest arrive once, in order`, async () => {
    const W = 4;
    const sys = system();
    const made: RemoteComponent[] = [];
    const sup = Supervisor({
      children: [() => {
        const r = make(kind, { export: "Doubler", window: W }) as RemoteComponent<number, number>;
        made.push(r as RemoteComponent);
        return r;
      }],
    });
    const sink = new Sink<number>();
    // 999_999 makes the fixture exit its thread or process at once (code 3), in the middle of the stream.
    const input = range(300).map((n) => (n === 150 ? 999_999 : n));
    await Promise.race([
      Pipeline(new Source(input), sup, sink).run(sys),
      new Promise((_, reject) => setTimeout(() => reject(new Error("the stream did not end")), 120_000).unref()),
    ]);
    assert.equal(sup.restarts, 1);
    const got = sink.got.map((n) => n / 2);
    const lost = range(300).filter((n) => !got.includes(n));
    assert.ok(lost.includes(150), "the message that killed it");
    assert.ok(lost.length <= 4 * W + 1, `lost ${lost.length}: ${lost.join(",")}`);
    assert.equal(lost[lost.length - 1]! - lost[0]! + 1, lost.length, `lost a run of consecutive messages: ${lost.join(",")}`);
    assert.deepEqual(got, range(300).filter((n) => !lost.includes(n)), "everything else once, in order");
    for (const r of made) assert.equal(alive(r.pid), false);
  });

  test(`${kind}: credit bounds what crosses: a slow consumer here holds the remote producer back`, async () => {
    const sys = system();
    const remote = make(kind, { export: "Counter", args: [3000], window: 8 }) as RemoteComponent<never, number>;
    class Slow extends Component<number, never> {
      got: number[] = [];
      maxBacklog = 0;
      *main(): Wait {
        this.setInboxSize("inbox", 4);
        for (;;) {
          if (this.dataReady()) {
            this.got.push(this.recv());
            this.maxBacklog = Math.max(this.maxBacklog, remote.backlog());
            if (this.got.length % 100 === 0) yield new Promise((r) => setTimeout(r, 1));
            continue;
          }
          if (this.dataReady("control")) return;
          this.pause();
          yield;
        }
      }
    }
    const slow = new Slow();
    Pipeline(remote, slow).activate(sys);
    await sys.run();
    assert.deepEqual(slow.got, range(3000));
    assert.ok(slow.maxBacklog <= 8, `the proxy held ${slow.maxBacklog} messages, more than the window of 8`);
  });

  test(`${kind}: bad module, export or box: one clear line naming the component`, async () => {
    const cases: [Partial<RemoteOptions>, RegExp][] = [
      [{ module: new URL("./no-such-file.ts", import.meta.url), export: "X" }, /RemoteComponent_\d+: cannot import module .*no-such-file\.ts/],
      [{ export: "Nope" }, /RemoteComponent_\d+: module .*fixtures\.ts has no export "Nope" \(it exports: .*Doubler/],
      [{ export: "notAComponent" }, /export "notAComponent" of .* is a number, not a component class or factory/],
      [{ export: "BadConstructor" }, /export "BadConstructor" .* threw while building the component: Error: cannot build me/],
      [{ export: "Doubler", inboxes: ["config"] }, /Doubler_\d+ has no inbox named "config"/],
    ];
    for (const [o, re] of cases) {
      const f = await runFor(kind === "worker" ? WorkerComponent({ module: FIXTURES, ...o } as RemoteOptions) : ProcessComponent({ module: FIXTURES, ...o } as RemoteOptions));
      assert.ok(f?.cause instanceof RemoteLoadError, `${String(o.export)}: ${String(f?.cause)}`);
      assert.match(f.cause.message, re);
      assert.equal(f.cause.message.split("\n").length, 1);
    }
  });

  test(`${kind}: a message that cannot be copied back is a clear failure naming the outbox`, async () => {
    const f = await runFor(Pipeline(new Source([kind === "worker" ? 0 : 1]), make(kind, { export: "SendsUncopyable" }), new Sink()));
    assert.ok(f?.cause instanceof RemoteError, String(f));
    assert.match(f.cause.message, /RemoteComponent_\d+: .*SendsUncopyable from fixtures\.ts.* failed: Error: the remote component sent a message on "outbox" that cannot be copied back \(/);
  });

  test(`${kind}: a ${kind} that crashes at start is reported`, async () => {
    const f = await runFor(Pipeline(new Source([1]), make(kind, { export: "CrashAtStart" }), new Sink()));
    assert.ok(f?.cause instanceof WorkerCrashedError, String(f));
    assert.match(f.cause.message, /RemoteComponent_\d+: .* running CrashAtStart died \(exit code 7\)/);
  });
}

test("bad options are one-line errors naming the component, at once", () => {
  assert.throws(() => WorkerComponent({ module: "./fixtures.ts", export: "Doubler" }), (e: Error) => e instanceof ParallelArgumentError && /RemoteComponent_\d+: module must be a URL or an absolute path/.test(e.message));
  assert.throws(() => WorkerComponent({ module: FIXTURES, export: "" }), /RemoteComponent_\d+: export must be the name of an export/);
  assert.throws(() => WorkerComponent({ module: FIXTURES, export: "Doubler", window: 0 }), /window must be a whole number ≥ 1, got a number \(0\)/);
  assert.throws(() => WorkerComponent({ module: FIXTURES, export: "Doubler", inboxes: ["control"] }), /inboxes must be an array of extra box names/);
  assert.throws(() => ProcessComponent({ module: FIXTURES, export: "Doubler", serialization: "xml" as "json" }), /serialization must be "json" or "advanced"/);
});

test("worker: a message that cannot be cloned fails the proxy naming the box; those after it go to its replacement", async () => {
  const f = await runFor(Pipeline(new Source<unknown>([1, () => 3]) as Source<number>, WorkerComponent<Doubler>({ module: FIXTURES, export: "Doubler" }), new Sink()));
  assert.ok(f?.cause instanceof UncloneableMessageError);
  assert.match(f.cause.message, /^RemoteComponent_\d+: a message sent to its "inbox" cannot be copied by structured clone to Doubler from fixtures\.ts in worker thread \d+ \(DataCloneError[^\n]*$/);

  const sink = new Sink<number>();
  const sup = Supervisor({ children: [() => WorkerComponent<Doubler>({ module: FIXTURES, export: "Doubler" })] });
  const sys = system();
  const p = Pipeline(sup, sink).activate(sys);
  await until(() => sup.children()[0]?.isActive() === true, 60_000, "the first worker");
  p.inbox.deliver(() => 3, "test");
  p.inbox.deliver(4, "test");
  await until(() => sink.got.length === 1, 60_000, "the reply from the replacement");
  p.control.deliver(producerFinished(), "test");
  await sys.run();
  assert.deepEqual(sink.got, [8]);
  assert.equal(sup.restarts, 1);
});

test("process: JSON by default refuses a BigInt; advanced serialization carries Map and BigInt", async () => {
  const f = await runFor(Pipeline(new Source<unknown>([1n]), ProcessComponent({ module: FIXTURES, export: "TwoBoxes" }), new Sink()));
  assert.ok(f?.cause instanceof UncloneableMessageError);
  assert.match(f.cause.message, /a message sent to its "inbox" cannot be copied as JSON .*BigInt/);
  const sink = new Sink<unknown>();
  assert.equal(await runFor(Pipeline(new Source<unknown>([new Map([["a", 1n]])]), ProcessComponent({ module: FIXTURES, export: "AddThenDouble", args: [0], serialization: "advanced" }), sink)), null);
  // Map + 0 is "[object Map]0" * 2 = NaN: what matters is that the Map crossed and the answer came back.
  assert.equal(sink.got.length, 1);
});

test("worker: large ArrayBuffers are transferred (the sender's copy is detached), small ones copied", async () => {
  const big = new ArrayBuffer(2 << 20);
  const small = new ArrayBuffer(64);
  const sink = new Sink<{ size: number; buf: ArrayBuffer }>();
  assert.equal(await runFor(Pipeline(new Source([big, small]), WorkerComponent<BufferEcho>({ module: FIXTURES, export: "BufferEcho" }), sink)), null);
  assert.deepEqual(sink.got.map((r) => r.size), [2 << 20, 64]);
  assert.equal(big.byteLength, 0, "the big buffer was transferred");
  assert.equal(small.byteLength, 64, "the small one was copied");
  assert.equal(sink.got[0]!.buf.byteLength, 2 << 20, "and came back whole");
});

test("typed: the proxy carries the remote component's box types", () => {
  const r = WorkerComponent<TwoBoxes>({ module: FIXTURES, export: "TwoBoxes" });
  const typed: RemoteComponent<number, number> = r;
  // @ts-expect-error a string source cannot feed a number inbox
  Pipeline(new Source(["x"]), r);
  assert.ok(typed);
});
