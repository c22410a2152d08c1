/**
 * Request/reply and a queue-group worker pool over a real nats-server,
 * with three real worker processes, one killed mid-stream: every request
 * is answered once or reported on `error` (never silently lost, never
 * answered twice), and the work is shared.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { Component, ErrorInformation, Pipeline, PureTransformer, producerFinished, type Wait } from "../../src/index.js";
import { connectNats, NatsRequestError, NatsRequester, NatsResponder } from "../../src/nats/index.js";
import { onCleanup } from "../support/cleanup.js";
import { system, until } from "../parallel/helpers.js";
import { NatsServer } from "./server.js";
import { peer } from "./peers.js";

type Reply = { n: number; sq: number; by: number };

/** Sends n = 0.. count-1, `perTurn` at a time with a short pause (so a kill lands mid-stream). */
class Numbers extends Component<never, number> {
  constructor(readonly count: number) {
    super();
  }
  *main(): Wait {
    for (let i = 0; i < this.count; i++) {
      yield* this.waitSend(i);
      if (i % 20 === 19) yield new Promise((r) => setTimeout(r, 5));
    }
    this.passOnShutdown();
  }
}

class Keep<T> extends Component<T, never> {
  got: T[] = [];
  *main(): Wait {
    yield* this.processMessages((m) => {
      this.got.push(m);
    });
  }
}

test("request/reply in one process: replies in request order; no responder is an error carrying the request", async () => {
  const server = await NatsServer.start();
  const transport = await connectNats(server.url);
  onCleanup(() => transport.close());
  const sys = system();
  Pipeline.circular(NatsResponder<number, number>("math.sq", { transport }), PureTransformer((n: number) => n * n)).activate(sys);
  const replies = new Keep<number>();
  const errors = new Keep<ErrorInformation>();
  const req = NatsRequester<number, number>("math.sq", { transport });
  Pipeline(new Numbers(200), req, replies).activate(sys);
  await until(() => replies.got.length === 200, 60_000, "200 replies");
  assert.deepEqual(replies.got, Array.from({ length: 200 }, (_, i) => i * i));

  const lonely = NatsRequester<number, number>("math.nobody", { transport, timeoutMs: 500 });
  const p = Pipeline(new Numbers(3), lonely, new Keep()).activate(sys);
  p.addChildren(errors);
  errors.activate(sys);
  lonely.link(lonely.error, errors.inbox);
  await until(() => errors.got.length === 3, 60_000, "3 errors");
  assert.deepEqual(errors.got.map((e) => e.message), [0, 1, 2]);
  assert.ok(errors.got[0]!.error instanceof NatsRequestError);
  assert.match(errors.got[0]!.error.message, /^NatsRequesterComponent_\d+: no reply on math\.nobody: /);
  sys.stop();
});

test("queue-group worker pool of 3 processes, one killed mid-stream: each request answered once or reported", async () => {
  const server = await NatsServer.start();
  const workers = [0, 1, 2].map(() => peer("responder", server.url, "work.sq", "squarers"));
  await Promise.all(workers.map((w) => w.until((ls) => ls.some((l) => l.ready))));
  const transport = await connectNats(server.url);
  onCleanup(() => transport.close());
  const sys = system();
  const N = 600;
  const replies = new Keep<Reply>();
  const errors = new Keep<ErrorInformation>();
  const req = NatsRequester<number, Reply>("work.sq", { transport, timeoutMs: 2000, maxInFlight: 16 });
  Pipeline(new Numbers(N), req, replies).activate(sys);
  errors.activate(sys);
  req.link(req.error, errors.inbox);
  await until(() => replies.got.length > 100, 60_000, "the first 100 replies");
  await workers[0]!.kill();
  await until(() => replies.got.length + errors.got.length === N, 60_000, "every request answered or reported").catch((e) => {
    throw new Error(`${(e as Error).message}: ${replies.got.length} replies, ${errors.got.length} errors, ${req.inbox.length} waiting, ${req.replies}/${req.failures}`);
  });
  req.control.deliver(producerFinished(), "test");
  errors.control.deliver(producerFinished(), "test");
  await sys.run();

  for (const r of replies.got) assert.equal(r.sq, r.n * r.n);
  const answered = replies.got.map((r) => r.n);
  const failed = errors.got.map((e) => e.message as number);
  assert.equal(new Set(answered).size, answered.length, "no request answered twice");
  assert.deepEqual([...answered, ...failed].sort((a, b) => a - b), Array.from({ length: N }, (_, i) => i), "each request answered or reported, none lost");
  const by = new Set(replies.got.map((r) => r.by));
  assert.ok(by.size >= 2, `the work was shared (${by.size} workers answered)`);
  const killedPid = workers[0]!.child.pid;
  const afterKill = replies.got.slice(-100).filter((r) => r.by === killedPid);
  assert.equal(afterKill.length, 0, "the killed worker answers no more");
});
