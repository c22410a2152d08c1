/**
 * The connection's life with a real nats-server: down at start, lost and
 * back (reconnect), gone for good, and a slow consumer.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { Component, ComponentFailure, Pipeline, type Wait } from "../../src/index.js";
import {
  connectNats,
  NatsConnectionError,
  NatsPublisher,
  NatsSubscriber,
  type NatsSubscriberComponent,
  type TransportStatus,
} from "../../src/nats/index.js";
import { onCleanup } from "../support/cleanup.js";
import { system, until } from "../parallel/helpers.js";
import { freePort, NatsServer } from "./server.js";

class Keep<T> extends Component<T, never> {
  got: T[] = [];
  *main(): Wait {
    yield* this.processMessages((m) => {
      this.got.push(m);
    });
  }
}

/** Sends 0, 1, 2, … every `ms` until stopped. */
class Ticker extends Component<never, number> {
  sent = 0;
  constructor(readonly ms: number) {
    super();
  }
  *main(): Wait {
    for (;;) {
      this.send(this.sent++);
      if ((yield* this.waitReadyFor(this.ms, "control")) !== null) break;
    }
    this.passOnShutdown();
  }
}

async function failureOf(run: Promise<void>): Promise<ComponentFailure> {
  try {
    await run;
  } catch (e) {
    assert.ok(e instanceof ComponentFailure, String(e));
    return e;
  }
  assert.fail("expected a failure");
}

test("a server that is down at start: one clear line naming the component and the server", async () => {
  const port = await freePort();
  await assert.rejects(connectNats(`nats://127.0.0.1:${port}`), (e: Error) => e instanceof NatsConnectionError && new RegExp(`^cannot connect to NATS at nats://127\\.0\\.0\\.1:${port}: [^\\n]+$`).test(e.message));
  const sys = system();
  Pipeline(new Ticker(10), NatsPublisher("x", { url: `nats://127.0.0.1:${port}` })).activate(sys);
  const f = await failureOf(sys.run());
  assert.ok(f.cause instanceof NatsConnectionError);
  assert.match(f.cause.message, new RegExp(`^NatsPublisherComponent_\\d+: cannot connect to NATS at nats://127\\.0\\.0\\.1:${port}: `));
  assert.equal(f.cause.message.split("\n").length, 1);
});

test("the server goes away and comes back: disconnect and reconnect on status, then messages flow again, in order, no duplicates", async () => {
  const server = await NatsServer.start();
  const pubT = await connectNats({ servers: server.url, reconnectTimeWait: 100 });
  const subT = await connectNats({ servers: server.url, reconnectTimeWait: 100 });
  onCleanup(() => Promise.all([pubT.close(), subT.close()]));
  const sys = system();
  const got = new Keep<number>();
  const statuses = new Keep<TransportStatus>();
  const sub = NatsSubscriber<number>("ticks", { transport: subT });
  Pipeline(sub, got).activate(sys);
  statuses.activate(sys);
  sub.link(sub.status, statuses.inbox);
  await until(() => sub.ready, 30_000, "the subscription");
  const ticker = new Ticker(2);
  Pipeline(ticker, NatsPublisher("ticks", { transport: pubT })).activate(sys);
  await until(() => got.got.length > 50, 30_000, "ticks before the outage");
  await server.stop();
  await until(() => statuses.got.some((s) => s.type === "disconnect"), 30_000, "the disconnect");
  const sentBeforeRestart = ticker.sent;
  await server.restart();
  await until(() => statuses.got.some((s) => s.type === "reconnect"), 30_000, "the reconnect");
  await until(() => got.got.some((n) => n > sentBeforeRestart + 50), 30_000, "ticks after the reconnect");
  const g = got.got;
  for (let i = 1; i < g.length; i++) assert.ok(g[i]! > g[i - 1]!, `in order and no duplicates (at ${i}: ${g[i - 1]} then ${g[i]})`);
  sys.stop();
});

test("the server gone for good: the component fails, naming the connection", async () => {
  const server = await NatsServer.start();
  const t = await connectNats({ servers: server.url, maxReconnectAttempts: 2, reconnectTimeWait: 50 });
  const sys = system();
  Pipeline(NatsSubscriber("gone", { transport: t }), new Keep()).activate(sys);
  const running = sys.run();
  await new Promise((r) => setTimeout(r, 200));
  await server.stop();
  const f = await failureOf(running);
  assert.match(f.message, /NatsSubscriberComponent_\d+: the NATS connection nats:\/\/127\.0\.0\.1:\d+ closed: /);
});

test("a slow consumer: at most maxPending held, the rest dropped, counted and said on status", async () => {
  const server = await NatsServer.start();
  const t = await connectNats(server.url);
  onCleanup(() => t.close());
  const sys = system();
  class Never extends Component<number, never> {
    *main(): Wait {
      this.setInboxSize("inbox", 1);
      yield* this.waitRecv("control");
    }
  }
  const statuses = new Keep<TransportStatus>();
  const sub: NatsSubscriberComponent<number> = NatsSubscriber<number>("flood", { transport: t, maxPending: 100 });
  Pipeline(sub, new Never()).activate(sys);
  statuses.activate(sys);
  sub.link(sub.status, statuses.inbox);
  await until(() => sub.ready, 30_000, "the subscription");
  for (let i = 0; i < 1000; i++) t.publish("flood", new TextEncoder().encode(String(i)));
  await until(() => sub.received === 1000, 30_000, "all 1000 received");
  // 100 held here, and at most 1 in the consumer's bounded inbox (if it was handed over before the burst ended): the rest dropped.
  assert.ok(sub.dropped === 900 || sub.dropped === 899, `dropped ${sub.dropped}`);
  await until(() => statuses.got.length > 0, 30_000, "the status");
  assert.equal(statuses.got.filter((s) => s.type === "slow-consumer").length, 1, "said once");
  sys.stop();
});
