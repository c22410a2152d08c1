/**
 * At-least-once on JetStream, with real processes: a consumer process is
 * killed mid-stream and a replacement with the same durable name carries on;
 * together they received every message (duplicates allowed), none lost.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { Component, Pipeline, type Wait } from "../../src/index.js";
import { connectNats, JetStreamPublisher, NatsArgumentError, type JetStreamPublisherComponent } from "../../src/nats/index.js";
import { onCleanup } from "../support/cleanup.js";
import { system, until } from "../parallel/helpers.js";
import { NatsServer } from "./server.js";
import { peer, type Peer } from "./peers.js";

class Items extends Component<never, { i: number }> {
  constructor(readonly count: number) {
    super();
  }
  *main(): Wait {
    for (let i = 0; i < this.count; i++) {
      yield* this.waitSend({ i });
      if (i % 100 === 99) yield new Promise((r) => setTimeout(r, 2));
    }
    this.passOnShutdown();
  }
}

const received = (p: Peer) => p.lines.filter((l) => "got" in l).map((l) => (l.got as { i: number }).i);

test("JetStream: every message stored; a consumer killed mid-stream is replaced and nothing is lost", async () => {
  const server = await NatsServer.start({ jetstream: true });
  const transport = await connectNats(server.url);
  onCleanup(() => transport.close());
  const N = 3000;
  const sys = system();
  const pub: JetStreamPublisherComponent<{ i: number }> = JetStreamPublisher<{ i: number }>("orders.new", { transport, stream: "ORDERS" });
  Pipeline(new Items(N), pub).activate(sys);

  const first = peer("jsconsumer", server.url, "orders.new", "ORDERS", "billing", "1000", "16");
  await first.until((ls) => received(first).length > 300 || ls.length > 300);
  await first.kill();
  const firstGot = received(first);
  assert.ok(firstGot.length < N, "killed mid-stream");

  await sys.run();
  assert.equal(pub.acked, N, "every message acknowledged by the server");

  const second = peer("jsconsumer", server.url, "orders.new", "ORDERS", "billing", "1000", "16");
  const all = () => new Set([...firstGot, ...received(second)]);
  await until(() => all().size === N, 60_000, "every message received by one consumer or the other");
  assert.deepEqual([...all()].sort((a, b) => a - b), Array.from({ length: N }, (_, i) => i));
  const secondGot = received(second);
  // The replacement starts where the first one's acknowledgements stopped: at most the unacknowledged window again.
  assert.ok(secondGot.length <= N - firstGot.length + 64, `second got ${secondGot.length}, first ${firstGot.length}`);
  await second.kill();
});

test("JetStream: bad names are one clear line naming the component", () => {
  assert.throws(() => JetStreamPublisher("orders.new", { url: "nats://127.0.0.1:1", stream: "my stream" }), (e: Error) => e instanceof NatsArgumentError && /^JetStreamPublisherComponent_\d+: stream must be a name of letters, digits, - and _, got "my stream"$/.test(e.message));
  assert.throws(() => JetStreamPublisher("orders.*", { url: "nats://127.0.0.1:1", stream: "S" }), /wildcards are only for subscribing/);
});
