import { test } from "node:test";
import assert from "node:assert/strict";
import { PassThrough as StreamPassThrough, Writable } from "node:stream";
import {
  ArgumentError,
  ConsoleEchoer,
  ConsoleReader,
  DataSource,
  Pipeline,
  ProducerFinished,
  PureTransformer,
  producerFinished,
  type Outbox,
} from "../../src/index.js";
import { Harness } from "../../src/testing/index.js";
import { Idle, bounded, runAll } from "./support.js";

/** Wait until `cond()` holds, checking every few ms; fail after a generous bound. */
async function until(cond: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((res) => setTimeout(res, 2));
  }
}

function text(stream: StreamPassThrough): string {
  const parts: Buffer[] = [];
  let chunk: Buffer | null;
  while ((chunk = stream.read() as Buffer | null) !== null) parts.push(chunk);
  return Buffer.concat(parts).toString("utf8");
}

test("ConsoleReader sends each line of its stream, then producerFinished at end of input", async () => {
  const h = new Harness();
  const input = new StreamPassThrough();
  const r = h.activate(new ConsoleReader({ input, eol: "\n" }));
  const out = h.collect(r.outbox);
  const sig = h.collect(r.signal);
  const running = h.run();
  input.write("first line\nsec");
  input.write("ond\r\nthird");
  input.end();
  await bounded(running);
  assert.deepEqual(out.take(), ["first line\n", "second\n", "third\n"]);
  assert.ok(sig.take()[0] instanceof ProducerFinished);
  assert.equal(input.listenerCount("data"), 0, "it stops listening to the stream");
});

test("ConsoleReader writes its prompt before each line it waits for", async () => {
  const h = new Harness();
  const input = new StreamPassThrough();
  const output = new StreamPassThrough();
  output.setEncoding("utf8");
  let shown = "";
  output.on("data", (s: string) => (shown += s));
  const r = h.activate(new ConsoleReader({ input, output, prompt: "> " }));
  const out = h.collect(r.outbox);
  const running = h.run();
  await until(() => shown === "> ");
  input.write("a\n");
  await until(() => shown === "> > ");
  input.write("b\n");
  await until(() => shown === "> > > ");
  input.end();
  await bounded(running);
  assert.deepEqual(out.take(), ["a", "b"]);
  assert.equal(shown, "> > > ");
});

test("ConsoleReader loses no line when its consumer is bounded and slow (the stream is paused meanwhile)", async () => {
  const h = new Harness();
  const input = new StreamPassThrough();
  const r = new ConsoleReader({ input });
  const sink = new Idle<string>();
  sink.inbox.setSize(2);
  h.system.scheduler.start();
  const parent = new Idle();
  parent.link(r.outbox, sink.inbox);
  r.activate(h.system);
  const lines = Array.from({ length: 500 }, (_, i) => `line ${i}`);
  input.end(lines.join("\n") + "\n");
  const got: string[] = [];
  while (got.length < lines.length) {
    await new Promise((res) => setTimeout(res, 1));
    got.push(...(sink.inbox.takeAll() as string[]));
  }
  await bounded(r.finished());
  assert.deepEqual(got, lines);
});

test("ConsoleReader: producerFinished while waiting for input ends it without waiting for the stream", async () => {
  const h = new Harness();
  const input = new StreamPassThrough();
  const r = h.activate(new ConsoleReader({ input }));
  const sig = h.collect(r.signal);
  const running = h.run();
  input.write("one\n");
  await new Promise((res) => setTimeout(res, 20));
  const pf = producerFinished();
  h.control(r, pf);
  await bounded(running);
  assert.deepEqual(sig.take(), [pf]);
  assert.ok(!input.readableEnded, "the input never ended; the reader stopped anyway");
});

test("ConsoleEchoer writes strings and bytes as they are, other values inspected, with tag and eol", async () => {
  const h = new Harness();
  const output = new StreamPassThrough();
  const e = new ConsoleEchoer({ output, tag: "> ", eol: "\n" });
  h.activate(Pipeline(DataSource<unknown>("text", Buffer.from("bytes"), { a: 1 }, 42), e));
  await runAll(h);
  assert.equal(text(output), "> text\n> bytes\n> { a: 1 }\n> 42\n");
  const repr = new StreamPassThrough();
  const h2 = new Harness();
  h2.activate(Pipeline(DataSource("s"), new ConsoleEchoer({ output: repr, useRepr: true })));
  await runAll(h2);
  assert.equal(text(repr), "'s'");
});

test("ConsoleEchoer waits for a slow stream to drain: nothing lost, order kept", async () => {
  const h = new Harness();
  const written: string[] = [];
  const slow = new Writable({
    highWaterMark: 4,
    write(chunk: Buffer, _enc, done) {
      written.push(chunk.toString());
      setTimeout(done, 0);
    },
  });
  const items = Array.from({ length: 200 }, (_, i) => `${i};`);
  h.activate(Pipeline(DataSource(...items), new ConsoleEchoer({ output: slow })));
  await runAll(h);
  await new Promise<void>((res) => slow.end(res));
  assert.deepEqual(written, items);
});

test("ConsoleEchoer as a forwarder passes each message on after writing it", async () => {
  const h = new Harness();
  const output = new StreamPassThrough();
  const p = h.activate(Pipeline(DataSource(1, 2), new ConsoleEchoer<number>({ output, forwarder: true, eol: "," }), PureTransformer((n: number) => n * 2)));
  const out = h.collect(p.outbox as Outbox<number>);
  await runAll(h);
  assert.deepEqual(out.take(), [2, 4]);
  assert.equal(text(output), "1,2,");
});

test("ConsoleReader/ConsoleEchoer reject things that are not streams, naming the component", () => {
  assert.throws(() => new ConsoleReader({ input: {} as StreamPassThrough }), (e: unknown) => e instanceof ArgumentError && /^ConsoleReader_\d+: options.input must be a readable stream/.test(e.message));
  assert.throws(() => new ConsoleEchoer({ output: "stdout" as unknown as Writable }), (e: unknown) => e instanceof ArgumentError && /^ConsoleEchoer_\d+: options.output must be a writable stream/.test(e.message));
});
