import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Component, Pipeline, producerFinished, type Wait } from "../../src/index.js";
import { Harness } from "../../src/testing/index.js";
import { TraceError, Tracer, parseTrace, replay } from "../../src/introspect/index.js";

/** Sends the messages it is given, then finishes. */
class Feed extends Component<never, unknown> {
  constructor(readonly items: unknown[]) {
    super();
  }
  *main(): Wait {
    for (const m of this.items) yield* this.waitSend(m);
    while (this.checkShutdown() === null) {
      this.pause();
      yield;
    }
  }
}

/** Summarises each message: strings upper-cased, byte arrays by length, objects by their keys. */
class Summary extends Component<unknown, string> {
  *main(): Wait {
    yield* this.processMessages((m) => {
      if (typeof m === "string") this.send(m.toUpperCase());
      else if (m instanceof Uint8Array) this.send(`${m.length} bytes: ${Buffer.from(m).toString()}`);
      else this.send(`object ${Object.keys(m as object).join(",")}`);
    });
  }
}

describe("tracing and replay", () => {
  it("records a linkage's traffic, dumps JSON lines, and replays it into a fresh component under the Harness with the same results", async () => {
    const h = new Harness();
    const traffic = ["hello", { user: "ann", n: 1 }, Buffer.from("bytes"), "bye"];
    const feed = new Feed(traffic);
    const p = h.activate(Pipeline(feed, new Summary()));
    const out = h.collect(p.outbox);
    h.step(); // the Pipeline's first step makes its links
    const link = p.linkages().find((l) => l.source === feed.outbox)!;
    const tracer = new Tracer({ capacity: 100 });
    tracer.trace(link);
    await h.settle();
    const live = out.take();
    assert.equal(live.length, traffic.length);
    const text = tracer.dump();
    const lines = text.trim().split("\n");
    assert.equal(lines.length, 1 + traffic.length);
    const label = `${feed.name}.outbox->${link.sink.owner.name}.inbox`;
    assert.deepEqual(JSON.parse(lines[0]!), { kamaelia: "trace", version: 1, traces: [{ link: label, box: "inbox" }], dropped: 0 });
    assert.deepEqual(JSON.parse(lines[3]!).message, { $bytes: Buffer.from("bytes").toString("base64") });

    const replayed = await replay(text, new Summary());
    assert.deepEqual(replayed, live);
    assert.deepEqual(replayed, ["HELLO", "object user,n", "5 bytes: bytes", "BYE"]);
    tracer.close();
  });

  it("the ring is bounded: the oldest records are dropped and counted", async () => {
    const h = new Harness();
    const s = h.activate(new Summary());
    const tracer = new Tracer({ capacity: 3 });
    tracer.trace(s.inbox);
    h.send(s, "inbox", "a", "b", "c", "d", "e");
    h.runUntilIdle();
    assert.equal(tracer.dropped, 2);
    assert.deepEqual(tracer.records().map((r) => r.message), ["c", "d", "e"]);
    assert.deepEqual(tracer.records().map((r) => r.seq), [3, 4, 5]);
    assert.equal(parseTrace(tracer.dump()).dropped, 2);
    tracer.close();
    h.send(s, "inbox", "f");
    h.runUntilIdle();
    assert.equal(tracer.records().length, 3, "nothing is recorded once closed");
  });

  it("control messages are recorded by kind and replayed as control messages", async () => {
    const h = new Harness();
    const s = h.activate(new Summary());
    const tracer = new Tracer();
    tracer.trace(s.control);
    h.send(s, "control", producerFinished());
    h.runUntilIdle();
    assert.deepEqual(tracer.records()[0]!.message, { $ipc: "producerFinished" });
    assert.ok(s.isFinished());
  });

  it("bad recordings: one-line errors naming the line or record", async () => {
    await assert.rejects(replay("", new Summary()), /^TraceError: trace: empty/);
    await assert.rejects(replay("{not json\n", new Summary()), (e: unknown) => e instanceof TraceError && /^trace line 1: not JSON/.test(e.message));
    await assert.rejects(replay('{"kamaelia":"graph"}\n', new Summary()), /trace line 1: not a trace header/);
    await assert.rejects(replay('{"kamaelia":"trace","version":1,"traces":[]}\n{"seq":1}\n', new Summary()), /trace line 2: a record needs seq, link and message/);
    const tracer = new Tracer();
    const h = new Harness();
    const s = h.activate(new Summary());
    tracer.trace(s.inbox);
    h.send(s, "inbox", { f: () => 1, toJSON: undefined }, new Map([[1, 2]]));
    h.runUntilIdle();
    await assert.rejects(replay(tracer.dump(), new Summary()), (e: unknown) => e instanceof TraceError && /^trace record 2 \(Summary_\d+\.inbox\) holds a message that could not be recorded \(Map/.test(e.message));
    assert.throws(() => new Tracer({ capacity: 0 }), /capacity must be a whole number of records, at least 1 \(got 0\)/);
  });
});
