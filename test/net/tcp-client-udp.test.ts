import { test } from "node:test";
import assert from "node:assert/strict";
import { createServer, type Socket } from "node:net";
import { Component, ErrorInformation, ShutdownMicroprocess, System, producerFinished, shutdownMicroprocess, type ControlMessage } from "../../src/index.js";
import { MulticastReceiver, MulticastSender, NetError, SocketShutdown, TCPClient, UDPReceiver, UDPSender, type Datagram } from "../../src/net/index.js";
import { until, within } from "./helpers.js";
import { stopAfter } from "../support/cleanup.js";

/** Collects a component's outbox and signal on a system. */
class Sink extends Component<unknown, never> {
  got: unknown[] = [];
  signals: ControlMessage[] = [];
  *main() {
    for (;;) {
      while (this.dataReady()) this.got.push(this.recv());
      while (this.dataReady("control")) this.signals.push(this.recv("control"));
      this.pause();
      yield;
    }
  }
}

function wire(sys: System, c: Component<never, unknown> | Component<Buffer | string, unknown>) {
  const sink = new Sink();
  sink.activate(sys);
  sink.link(c.outbox, sink.inbox);
  sink.link(c.signal, sink.control);
  return sink;
}

async function plainServer(onSocket: (s: Socket) => void) {
  const server = createServer({ allowHalfOpen: true }, onSocket);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as { port: number }).port;
  return { port, close: () => new Promise<void>((r) => server.close(() => r())) };
}

test("TCPClient: streams both ways; producerFinished half-closes and it finishes when the server closes", async () => {
  const srv = await plainServer((s) => {
    let n = 0;
    s.on("data", (d) => (n += d.length));
    s.on("end", () => s.end(`server got ${n} bytes\n`));
    s.write("welcome\n");
  });
  const sys = stopAfter(new System());
  const c = new TCPClient("127.0.0.1", srv.port);
  const sink = wire(sys, c);
  c.activate(sys);
  await until(() => sink.got.length > 0, "welcome");
  for (let i = 0; i < 100; i++) c.inbox.deliver(`${i}\n`, "test");
  c.control.deliver(producerFinished(), "test");
  await within(c.finished(), "the client to finish");
  await until(() => sink.signals.length > 0, "signal");
  const text = Buffer.concat(sink.got as Buffer[]).toString();
  const sent = Array.from({ length: 100 }, (_, i) => `${i}\n`).join("").length;
  assert.equal(text, `welcome\nserver got ${sent} bytes\n`);
  assert.ok(sink.signals[0] instanceof SocketShutdown);
  assert.equal((sink.signals[0] as SocketShutdown).reason, "peer closed the connection");
  sink.stop();
  await srv.close();
});

test("TCPClient: the server closing finishes it cleanly; shutdownMicroprocess closes at once and is passed on", async () => {
  const srv = await plainServer((s) => s.end("bye\n"));
  const sys = stopAfter(new System());
  const c = new TCPClient("127.0.0.1", srv.port);
  const sink = wire(sys, c);
  c.activate(sys);
  await within(c.finished(), "finish on server close");
  await until(() => sink.signals.length > 0, "signal");
  assert.equal(Buffer.concat(sink.got as Buffer[]).toString(), "bye\n");
  assert.ok(sink.signals[0] instanceof SocketShutdown);
  sink.stop();

  const held: Socket[] = [];
  const srv2 = await plainServer((s) => held.push(s));
  const c2 = TCPClient.create({ port: srv2.port });
  const sink2 = wire(sys, c2);
  c2.activate(sys);
  await until(() => held.length === 1, "connection");
  c2.control.deliver(shutdownMicroprocess(), "test");
  await within(c2.finished(), "stop");
  await until(() => sink2.signals.length > 0, "signal");
  assert.ok(sink2.signals[0] instanceof ShutdownMicroprocess);
  sink2.stop();
  for (const s of held) s.destroy();
  await srv.close();
  await srv2.close();
});

test("TCPClient: a refused connection is reported on signal with the reason; it finishes without failing", async () => {
  const srv = await plainServer(() => undefined);
  const port = srv.port;
  await srv.close();
  const sys = stopAfter(new System());
  const c = new TCPClient("127.0.0.1", port);
  const sink = wire(sys, c);
  c.activate(sys);
  await within(c.finished(), "finish");
  await until(() => sink.signals.length === 2, "two signals");
  const info = sink.signals[0] as ErrorInformation;
  assert.ok(info instanceof ErrorInformation);
  assert.ok(info.error instanceof NetError);
  assert.match(info.error.message, new RegExp(`TCPClient_\\d+: cannot connect to 127\\.0\\.0\\.1:${port}: connection refused \\(ECONNREFUSED\\)`));
  assert.ok(sink.signals[1] instanceof SocketShutdown);
  sink.stop();
});

test("UDP: sender to receiver on loopback, in order; a bad message is reported and the rest still sent", async () => {
  const sys = stopAfter(new System());
  const rx = new UDPReceiver();
  const sink = wire(sys, rx);
  rx.activate(sys);
  const { port } = await rx.bound();
  const tx = UDPSender.create({ port });
  const errs = new Sink();
  errs.activate(sys);
  errs.link(tx.errors, errs.inbox);
  const sig = new Sink();
  sig.activate(sys);
  sig.link(tx.signal, sig.control);
  tx.activate(sys);
  tx.inbox.deliver("one", "t");
  tx.inbox.deliver(42, "t");
  tx.inbox.deliver(Buffer.alloc(70_000), "t");
  tx.inbox.deliver("two", "t");
  tx.control.deliver(producerFinished(), "t");
  await within(tx.finished(), "sender to finish");
  await until(() => sink.got.length === 2, "two datagrams");
  assert.deepEqual((sink.got as Datagram[]).map((d) => d.data.toString()), ["one", "two"]);
  assert.equal((sink.got[0] as Datagram).address, "127.0.0.1");
  assert.equal(errs.got.length, 2);
  assert.match((errs.got[0] as ErrorInformation).error.message, /UDPSender_\d+\.inbox: cannot send a number as a datagram/);
  assert.match((errs.got[1] as ErrorInformation).error.message, /70000-byte datagram .* was not sent: message too long/);
  assert.ok(sig.signals.length === 1);
  rx.control.deliver(shutdownMicroprocess(), "t");
  await within(rx.finished(), "receiver to stop");
  await until(() => sink.signals.length === 1, "signal");
  assert.ok(sink.signals[0] instanceof ShutdownMicroprocess);
  errs.stop();
  sig.stop();
  sink.stop();
});

test("UDP: binding a port in use fails with a clear NetError", async () => {
  const sys = stopAfter(new System());
  const a = new UDPReceiver();
  a.activate(sys);
  const { port } = await a.bound();
  const b = UDPReceiver.create({ port });
  const failed = b.run(sys);
  await assert.rejects(b.bound(), /UDPReceiver_\d+: cannot listen on 127\.0\.0\.1:\d+: address already in use \(EADDRINUSE\)/);
  a.stop();
  await assert.rejects(failed, /EADDRINUSE/);
});

test("multicast: one sender, two receivers on loopback; both get every datagram in order", async () => {
  const sys = stopAfter(new System());
  const group = "239.255.42.97";
  const r1 = MulticastReceiver.create({ group });
  const s1 = wire(sys, r1);
  r1.activate(sys);
  const { port } = await r1.bound();
  const r2 = MulticastReceiver.create({ group, port });
  const s2 = wire(sys, r2);
  r2.activate(sys);
  await r2.bound();
  const tx = MulticastSender.create({ host: group, port });
  tx.activate(sys);
  for (let i = 0; i < 20; i++) tx.inbox.deliver(`m${i}`, "t");
  tx.control.deliver(producerFinished(), "t");
  await within(tx.finished(), "sender");
  const want = Array.from({ length: 20 }, (_, i) => `m${i}`);
  for (const s of [s1, s2]) {
    await until(() => s.got.length === 20, "20 datagrams");
    assert.deepEqual((s.got as Datagram[]).map((d) => d.data.toString()), want);
  }
  r1.control.deliver(producerFinished(), "t");
  r2.control.deliver(producerFinished(), "t");
  await within(Promise.all([r1.finished(), r2.finished()]), "receivers");
  s1.stop();
  s2.stop();
  const bad = MulticastSender.create({ host: "10.0.0.1", port });
  await assert.rejects(bad.run(new System()), /MulticastSender_\d+: "10\.0\.0\.1" is not an IPv4 multicast group/);
});
