import { test } from "node:test";
import assert from "node:assert/strict";
import { connect } from "node:net";
import {
  Component,
  Pipeline,
  ProducerFinished,
  ShutdownMicroprocess,
  System,
  producerFinished,
  shutdownMicroprocess,
  type ControlMessage,
} from "../../src/index.js";
import type { Socket } from "node:net";
import {
  ConnectedSocketAdapter,
  JsonDeFramer,
  LineDeFramer,
  LineFramer,
  NetError,
  ServerCore,
  SimpleServer,
  SocketShutdown,
  TCPServer,
  type ConnectionInfo,
  type ServerEvent,
} from "../../src/net/index.js";
import { joinWritable } from "../../src/net/connected-socket-adapter.js";
import { Client, client, until, within } from "./helpers.js";
import { stopAfter } from "../support/cleanup.js";

/** Sends back every chunk it receives. */
class Echo extends Component<Buffer, Buffer> {
  *main() {
    yield* this.processMessages((m) => this.waitSend(m));
  }
}

/** Replies "hello <line>". */
class Greet extends Component<string, string> {
  *main() {
    yield* this.processMessages((line) => this.waitSend(`hello ${line}`));
  }
}

const greeter = () => Pipeline(new LineDeFramer(), new Greet(), new LineFramer());

/** Collects the server's events. */
class EventLog extends Component<ServerEvent, never> {
  events: ServerEvent[] = [];
  *main() {
    for (;;) {
      while (this.dataReady()) this.events.push(this.recv());
      if (this.checkShutdown()) return;
      this.pause();
      yield;
    }
  }
  closed(): Extract<ServerEvent, { type: "closed" }>[] {
    return this.events.filter((e): e is Extract<ServerEvent, { type: "closed" }> => e.type === "closed");
  }
}

/** Start a server on its own system, with its events logged. */
async function start(server: ServerCore) {
  const sys = stopAfter(new System());
  const log = new EventLog();
  log.activate(sys);
  const signals: ControlMessage[] = [];
  const sig = new (class extends Component<ControlMessage, never> {
    *main() {
      for (;;) {
        while (this.dataReady()) signals.push(this.recv());
        if (this.checkShutdown()) return;
        this.pause();
        yield;
      }
    }
  })();
  sig.activate(sys);
  sig.link(server.outbox, log.inbox);
  sig.link(server.signal, sig.inbox);
  const done = server.run(sys);
  const { port, host } = await within(server.listening(), "listening");
  const stop = async (msg: ControlMessage = shutdownMicroprocess()) => {
    server.control.deliver(msg, "test");
    await within(server.finished(), "the server to stop");
    await until(() => log.dataReady() === 0 && sig.dataReady() === 0, "the loggers to catch up");
    log.stop();
    sig.stop();
    await within(done, "the system to finish");
  };
  return { sys, port, host, log, stop, done, signals };
}

test("ServerCore: echoes both ways, in order, nothing lost; binds 127.0.0.1 by default", async () => {
  const s = await start(ServerCore.create({ port: 0, protocol: () => new Echo() }));
  assert.equal(s.host, "127.0.0.1");
  const c = await client(s.port);
  const lines = Array.from({ length: 2000 }, (_, i) => `line ${i}`);
  for (const l of lines) c.write(l + "\n");
  await c.waitLines(2000);
  assert.deepEqual(c.lines(), lines);
  await c.close();
  await s.stop();
});

test("ServerCore: the factory receives the peer's and the local address and port", async () => {
  const infos: ConnectionInfo[] = [];
  const s = await start(
    ServerCore.create({
      port: 0,
      protocol: (info) => {
        infos.push(info);
        return new Echo();
      },
    }),
  );
  const c = await client(s.port);
  c.write("x\n");
  await c.waitLines(1);
  assert.deepEqual(infos, [{ peer: "127.0.0.1", peerPort: c.socket.localPort, localIp: "127.0.0.1", localPort: s.port }]);
  const connected = s.log.events.find((e) => e.type === "connected");
  assert.equal(connected?.type === "connected" && connected.peerPort, c.socket.localPort);
  await c.close();
  await s.stop();
});

test("ServerCore: the peer closing sends SocketShutdown to the protocol, which may still answer; then the socket closes", async () => {
  const seen: ControlMessage[] = [];
  class Recorder extends Component<Buffer, string> {
    *main() {
      let n = 0;
      for (;;) {
        while (this.dataReady()) n += this.recv().length;
        if (this.dataReady("control")) {
          const m = this.recv("control");
          seen.push(m);
          yield* this.waitSend(`got ${n} bytes\n`);
          this.send(m, "signal");
          return;
        }
        this.pause();
        yield;
      }
    }
  }
  const s = await start(ServerCore.create({ port: 0, protocol: () => new Recorder() }));
  const c = await client(s.port);
  c.socket.end("12345");
  await c.waitEnd();
  assert.equal(c.data.toString(), "got 5 bytes\n");
  assert.equal(seen.length, 1);
  assert.ok(seen[0] instanceof SocketShutdown);
  assert.ok(seen[0] instanceof ProducerFinished);
  assert.equal((seen[0] as SocketShutdown).reason, "peer closed the connection");
  await s.stop();
});

test("ServerCore: the protocol finishing closes the socket after its output is flushed", async () => {
  class Burst extends Component<Buffer, string> {
    *main() {
      for (let i = 0; i < 5000; i++) yield* this.waitSend(`burst ${i} ${"x".repeat(100)}\n`);
      this.passOnShutdown();
    }
  }
  const s = await start(ServerCore.create({ port: 0, protocol: () => new Burst() }));
  const c = await client(s.port);
  await c.waitEnd();
  await c.closedPromise;
  const lines = c.lines();
  assert.equal(lines.length, 5000);
  assert.equal(lines[4999], `burst 4999 ${"x".repeat(100)}`);
  await until(() => s.log.closed().length === 1, "the closed event");
  assert.equal(s.log.closed()[0]!.reason, "closed: the protocol finished");
  await s.stop();
});

test("ServerCore: defaults inherit by subclassing and are overridden per instance; SimpleServer's factory takes no arguments", async () => {
  class GreeterServer extends ServerCore {
    override port = 0;
    override protocol = greeter;
  }
  const sub = new GreeterServer();
  assert.equal(sub.port, 0);
  assert.equal(sub.protocol, greeter);
  const s = await start(GreeterServer.create({ pipewidth: 4 }));
  const c = await client(s.port);
  c.write("world\n");
  await c.waitLines(1);
  assert.deepEqual(c.lines(), ["hello world"]);
  await c.close();
  await s.stop();

  let args = -1;
  const s2 = await start(
    SimpleServer.create({
      port: 0,
      protocol: (...a: unknown[]) => {
        args = a.length;
        return greeter();
      },
    }),
  );
  const c2 = await client(s2.port);
  c2.write("simple\n");
  await c2.waitLines(1);
  assert.equal(args, 0);
  await c2.close();
  await s2.stop();
});

test("ServerCore: a port already in use fails the server with a clear NetError; listening() rejects", async () => {
  const first = await start(ServerCore.create({ port: 0, protocol: () => new Echo() }));
  const sys = new System();
  const second = ServerCore.create({ port: first.port, protocol: () => new Echo() });
  const run = second.run(sys);
  await assert.rejects(second.listening(), (e: unknown) => {
    assert.ok(e instanceof NetError);
    assert.equal(e.code, "LISTEN_FAILED");
    assert.match(e.message, /TCPServer_\d+: cannot listen on 127\.0\.0\.1:\d+: address already in use \(EADDRINUSE\)/);
    return true;
  });
  await assert.rejects(within(run, "run to reject"), /ServerCore_\d+ failed: NetError: TCPServer_\d+: cannot listen .*EADDRINUSE/);
  // The first server is undisturbed.
  const c = await client(first.port);
  c.write("still here\n");
  await c.waitLines(1);
  await c.close();
  await first.stop();
});

test("ServerCore: no protocol, or a bad port, is a clear error naming the server", async () => {
  const a = ServerCore.create({ port: 0 });
  await assert.rejects(a.run(new System()), /ServerCore_\d+: no protocol factory/);
  const b = ServerCore.create({ port: 70000, protocol: () => new Echo() });
  await assert.rejects(b.run(new System()), /ServerCore_\d+: port must be an integer from 0 to 65535, got 70000/);
});

test("ServerCore: shutdownMicroprocess closes every connection cleanly (FIN, no reset) and is passed on", async () => {
  const s = await start(ServerCore.create({ port: 0, protocol: greeter }));
  const clients = await Promise.all([client(s.port), client(s.port), client(s.port)]);
  for (const c of clients) c.write("x\n");
  for (const c of clients) await c.waitLines(1);
  await s.stop(shutdownMicroprocess());
  for (const c of clients) {
    await within(c.closedPromise, "client closed");
    assert.equal(c.ended, true, "the client saw a clean end of stream");
    assert.equal(c.error, null);
  }
  assert.equal(s.log.closed().length, 3);
  for (const e of s.log.closed()) assert.equal(e.reason, "server stopped");
  assert.ok(s.signals[0] instanceof ShutdownMicroprocess);
  assert.equal(s.log.events.at(-1)?.type, "stopped");
  assert.equal(s.sys.size, 0);
});

test("ServerCore: producerFinished stops accepting and ends each connection's input: replies to what was read are written, then FIN", async () => {
  const s = await start(ServerCore.create({ port: 0, protocol: greeter }));
  const c = await client(s.port);
  c.write("before\n");
  await c.waitLines(1);
  const server = s.sys.components().find((x) => x instanceof ServerCore)!;
  server.control.deliver(producerFinished(), "test");
  // The connection is finished by the server (FIN, not a reset), having answered everything it read.
  await c.waitEnd();
  assert.deepEqual(c.lines(), ["hello before"]);
  assert.equal(c.error, null, "no reset");
  await until(() => !server.childComponents().some((k) => k.name.startsWith("TCPServer") && k.isActive()), "the listener to close");
  const refused = await new Promise<string>((resolve) => {
    const x = connect(s.port, "127.0.0.1");
    x.on("error", (e: NodeJS.ErrnoException) => resolve(e.code ?? "?"));
    x.on("connect", () => {
      x.destroy();
      resolve("connected");
    });
  });
  assert.equal(refused, "ECONNREFUSED");
  await within(server.finished(), "the server to finish after its last connection");
  // The event log is a component of its own: it may not have had its turn yet.
  await until(() => s.log.closed().length === 1, "the closed event");
  assert.equal(s.log.closed()[0]!.reason, "server shutting down");
  await c.close();
  await s.stop();
  assert.ok(s.signals[0] instanceof ProducerFinished);
});

test("ServerCore: maxConnections: one more gets a clear refusal line, then FIN, and a refused event; once one closes, a new one is served", async () => {
  const s = await start(ServerCore.create({ port: 0, protocol: greeter, maxConnections: 2 }));
  const server = s.sys.components().find((x) => x instanceof ServerCore)!;
  const a = await client(s.port);
  const b = await client(s.port);
  await until(() => server.connectionCount === 2, "two connections");
  const extra = await client(s.port);
  const extraPort = extra.socket.localPort;
  await extra.waitEnd();
  assert.deepEqual(extra.lines(), ["server busy: 2 connections are open, the most it takes; try again later"]);
  assert.equal(extra.error, null, "closed with FIN, not reset");
  assert.equal(server.refused, 1);
  await until(() => s.log.events.some((e) => e.type === "refused"), "the refused event");
  const refusedEvent = s.log.events.find((e) => e.type === "refused")!;
  assert.deepEqual(refusedEvent, {
    type: "refused",
    peer: "127.0.0.1",
    peerPort: extraPort,
    localIp: "127.0.0.1",
    localPort: s.port,
    reason: "2 connections are open (maxConnections)",
  });
  a.write("still here\n");
  await a.waitLines(1);
  assert.deepEqual(a.lines(), ["hello still here"]);
  await a.close();
  await until(() => server.connectionCount === 1, "a's connection to go");
  const d = await client(s.port);
  d.write("me too\n");
  await d.waitLines(1);
  assert.deepEqual(d.lines(), ["hello me too"]);
  for (const c of [b, d, extra]) await c.close();
  await s.stop();
});

test("ServerCore: maxConnections 0 is a clear error; the defaults are documented values", async () => {
  const bad = ServerCore.create({ port: 0, protocol: greeter, maxConnections: 0 });
  const sys = stopAfter(new System());
  await assert.rejects(bad.run(sys), /ServerCore_\d+: maxConnections must be a whole number >= 1, got 0/);
  const d = new ServerCore();
  assert.equal(d.maxConnections, 1000);
  assert.equal(d.idleTimeoutMs, 300_000);
});

test("ServerCore: its TCPServer and ConnectedSocketAdapter are inheritable defaults, overridable by subclass or create()", async () => {
  const made: string[] = [];
  class LoggingTCPServer extends TCPServer {
    override async main(): Promise<void> {
      made.push("listener");
      await super.main();
    }
  }
  class ShoutingAdapter extends ConnectedSocketAdapter {
    override attach(socket: Socket): this {
      made.push("adapter");
      return super.attach(socket);
    }
  }
  class MyServer extends ServerCore {
    override TCPServer = LoggingTCPServer;
    override ConnectedSocketAdapter = ShoutingAdapter;
    override protocol = greeter;
  }
  const s = await start(MyServer.create({ port: 0 }));
  const c = await client(s.port);
  c.write("x\n");
  await c.waitLines(1);
  assert.deepEqual(made, ["listener", "adapter"]);
  assert.ok(s.sys.components().some((k) => k instanceof ShoutingAdapter));
  await c.close();
  await s.stop();
  const s2 = await start(ServerCore.create({ port: 0, protocol: greeter, ConnectedSocketAdapter: ShoutingAdapter }));
  const c2 = await client(s2.port);
  c2.write("y\n");
  await c2.waitLines(1);
  assert.deepEqual(made, ["listener", "adapter", "adapter"]);
  await c2.close();
  await s2.stop();
});

test("ServerCore: a protocol that throws closes only its own connection, with the failure as the reason", async () => {
  class Fussy extends Component<Buffer, Buffer> {
    *main() {
      yield* this.processMessages((m) => {
        if (m.includes("boom")) throw new Error("boom received");
        return this.waitSend(m);
      });
    }
  }
  const s = await start(ServerCore.create({ port: 0, protocol: () => Pipeline(new Echo(), new Fussy()) }));
  const good = await client(s.port);
  const bad = await client(s.port);
  const badPort = bad.socket.localPort;
  good.write("a\n");
  await good.waitLines(1);
  bad.write("boom\n");
  await bad.waitEnd();
  await until(() => s.log.closed().length === 1, "closed event");
  const ev = s.log.closed()[0]!;
  assert.equal(ev.peerPort, badPort);
  assert.match(ev.reason, /Fussy_\d+ failed: Error: boom received/);
  good.write("b\n");
  await good.waitLines(2);
  assert.deepEqual(good.lines(), ["a", "b"]);
  await good.close();
  await bad.close();
  await s.stop();
});

test("ServerCore: a factory that throws, or returns a non-component, closes that connection with a reason", async () => {
  let n = 0;
  const s = await start(
    ServerCore.create({
      port: 0,
      protocol: () => {
        n++;
        if (n === 1) throw new Error("no protocol for you");
        if (n === 2) return 42 as unknown as Echo;
        return new Echo();
      },
    }),
  );
  const a = await client(s.port);
  await a.waitEnd();
  const b = await client(s.port);
  await b.waitEnd();
  const c = await client(s.port);
  c.write("ok\n");
  await c.waitLines(1);
  await until(() => s.log.closed().length === 2, "two closed events");
  assert.match(s.log.closed()[0]!.reason, /the protocol factory failed: no protocol for you/);
  assert.match(s.log.closed()[1]!.reason, /the protocol factory returned a number, not a component/);
  await Promise.all([a.close(), b.close(), c.close()]);
  await s.stop();
});

test("ServerCore: a protocol sending something that is not bytes closes that connection with a BAD_MESSAGE reason", async () => {
  class Numbers extends Component<Buffer, number> {
    *main() {
      yield* this.processMessages((m) => this.waitSend(m.length));
    }
  }
  const s = await start(ServerCore.create({ port: 0, protocol: () => new Numbers() }));
  const c = await client(s.port);
  c.write("abc");
  await c.waitEnd();
  await until(() => s.log.closed().length === 1, "closed event");
  assert.match(s.log.closed()[0]!.reason, /ConnectedSocketAdapter_\d+\.inbox: cannot write a number to a socket/);
  await c.close();
  await s.stop();
});

test("ConnectedSocketAdapter: what waits is written as one chunk, strings and Buffers in order; what came before a message it cannot write still goes out", async () => {
  assert.equal(joinWritable(["a", "b", "c"], "X"), "abc");
  assert.deepEqual(joinWritable(["a", Buffer.from("b"), "c", new Uint8Array([100])], "X"), Buffer.from("abcd"));
  assert.throws(() => joinWritable(["a", 5], "X"), /^NetError: X\.inbox: cannot write a number to a socket/);
  class Burst extends Component<Buffer, unknown> {
    *main() {
      yield* this.processMessages(() => {
        // All in one step, so all four wait in the adapter's inbox together.
        this.send("x1 ");
        this.send(Buffer.from("y2 "));
        this.send("z3\n");
        this.send(7);
      });
    }
  }
  const s = await start(ServerCore.create({ port: 0, protocol: () => new Burst() }));
  const c = await client(s.port);
  c.write("go");
  await c.waitEnd();
  assert.equal(c.data.toString(), "x1 y2 z3\n");
  await until(() => s.log.closed().length === 1, "closed event");
  assert.match(s.log.closed()[0]!.reason, /ConnectedSocketAdapter_\d+\.inbox: cannot write a number to a socket/);
  await c.close();
  await s.stop();
});

test("ServerCore: a 1 MB line with no newline closes that connection (line too long); other clients lose nothing", async () => {
  const s = await start(ServerCore.create({ port: 0, protocol: greeter }));
  const good = await client(s.port);
  const bad = await client(s.port);
  for (let i = 0; i < 100; i++) good.write(`g${i}\n`);
  bad.write(Buffer.alloc(1024 * 1024, 0x61));
  for (let i = 100; i < 200; i++) good.write(`g${i}\n`);
  await bad.waitEnd();
  await good.waitLines(200);
  assert.deepEqual(good.lines(), Array.from({ length: 200 }, (_, i) => `hello g${i}`));
  await until(() => s.log.closed().length === 1, "closed event");
  assert.match(s.log.closed()[0]!.reason, /LineDeFramer_\d+\.inbox: line longer than the limit of 65536 bytes/);
  await Promise.all([good.close(), bad.close()]);
  await s.stop();
});

test("ServerCore: garbage bytes: a line protocol carries on; a JSON protocol closes that connection as malformed", async () => {
  const s = await start(ServerCore.create({ port: 0, protocol: greeter }));
  const c = await client(s.port);
  c.write(Buffer.from([0xff, 0xfe, 0x00, 0x80, 0x0a]));
  c.write("fine\n");
  // The garbage line is not valid UTF-8: the deframer skips it (reporting it on its errors outbox) and carries on.
  await c.waitLines(1);
  assert.deepEqual(c.lines(), ["hello fine"]);
  await c.close();
  await s.stop();

  const j = await start(ServerCore.create({ port: 0, protocol: () => Pipeline(new JsonDeFramer(), new Drain()) }));
  const bad = await client(j.port);
  const good = await client(j.port);
  bad.write(Buffer.from([0x7b, 0xff, 0x00, 0x0a]));
  good.write('{"a":1}\n');
  await bad.waitEnd();
  await until(() => j.log.closed().length === 1, "closed event");
  assert.match(j.log.closed()[0]!.reason, /JsonDeFramer_\d+\.inbox: not valid JSON/);
  assert.equal(good.ended, false);
  await Promise.all([good.close(), bad.close()]);
  await j.stop();
});

class Drain extends Component<unknown, never> {
  *main() {
    yield* this.processMessages(() => undefined);
  }
}

test("ServerCore: a half-open connection (peer stops sending) still gets its replies, then is closed", async () => {
  const s = await start(ServerCore.create({ port: 0, protocol: greeter }));
  const c = await client(s.port);
  for (let i = 0; i < 50; i++) c.write(`h${i}\n`);
  c.socket.end("last line without newline");
  await c.waitEnd();
  await c.closedPromise;
  assert.equal(c.lines().length, 51);
  assert.equal(c.lines()[50], "hello last line without newline");
  await s.stop();
});

test("ServerCore: a connection reset mid-message is reported with its reason; other clients are untouched", async () => {
  const s = await start(ServerCore.create({ port: 0, protocol: greeter }));
  const good = await client(s.port);
  const bad = await client(s.port);
  bad.write("complete\nhalf a li");
  await bad.waitLines(1);
  bad.socket.resetAndDestroy();
  await until(() => s.log.closed().length === 1, "closed event");
  assert.match(s.log.closed()[0]!.reason, /connection reset by peer \(ECONNRESET\)/);
  good.write("still fine\n");
  await good.waitLines(1);
  assert.deepEqual(good.lines(), ["hello still fine"]);
  await good.close();
  await s.stop();
});

test("ServerCore: idleTimeoutMs closes a silent connection, with the reason", async () => {
  const s = await start(ServerCore.create({ port: 0, protocol: greeter, idleTimeoutMs: 200 }));
  const c = await client(s.port);
  await c.waitEnd();
  await until(() => s.log.closed().length === 1, "closed event");
  assert.equal(s.log.closed()[0]!.reason, "idle for 200 ms");
  await c.close();
  await s.stop();
});

test("ServerCore: a client that never reads makes the protocol wait; memory stays bounded; nothing is lost when it reads", async () => {
  const total = 4000;
  const chunk = "y".repeat(16 * 1024);
  let produced = 0;
  class Firehose extends Component<Buffer, string> {
    *main() {
      for (let i = 0; i < total; i++) {
        yield* this.waitSend(`${String(i).padStart(6, "0")}${chunk}\n`);
        produced = i + 1;
      }
      this.passOnShutdown();
    }
  }
  const s = await start(ServerCore.create({ port: 0, protocol: () => new Firehose() }));
  const c = new Client(s.port);
  c.socket.pause();
  await within(c.connected, "connect");
  // Wait until the producer stalls: it can get no further while the client does not read.
  let last = -1;
  for (;;) {
    await new Promise((r) => setTimeout(r, 300));
    if (produced === last) break;
    last = produced;
  }
  assert.ok(produced < total, `the protocol was held back (${produced} of ${total} sent)`);
  const adapter = s.sys.components().find((x) => x.name.startsWith("ConnectedSocketAdapter"))!;
  assert.ok(adapter.dataReady() <= 16, "the adapter's inbox stays within its limit");
  c.socket.resume();
  await c.waitEnd(60_000);
  const lines = c.lines();
  assert.equal(lines.length, total);
  for (let i = 0; i < total; i += 397) assert.equal(lines[i]!.slice(0, 6), String(i).padStart(6, "0"));
  await c.close();
  await s.stop();
});

test("ServerCore: a slow protocol pauses reading from its socket; everything arrives once it catches up", async () => {
  let open = false;
  let bytes = 0;
  class Gated extends Component<Buffer, string> {
    *main() {
      for (;;) {
        if (open) while (this.dataReady()) bytes += this.recv().length;
        const k = this.checkShutdown();
        if (k && !this.dataReady()) {
          this.send(`${bytes}\n`);
          this.passOnShutdown();
          return;
        }
        yield* this.sleep(open ? 0 : 20);
      }
    }
  }
  const s = await start(ServerCore.create({ port: 0, protocol: () => new Gated(), pipewidth: 4 }));
  const c = await client(s.port);
  const block = Buffer.alloc(64 * 1024, 0x62);
  let written = 0;
  // Write until the client's own socket buffer backs up: the server has stopped reading.
  while (c.socket.write(block)) written += block.length;
  written += block.length;
  await until(() => c.socket.writableLength > 0, "client buffer to back up");
  const gated = s.sys.components().find((x) => x instanceof Gated)!;
  await new Promise((r) => setTimeout(r, 300));
  assert.ok(gated.dataReady() <= 4, `the protocol's inbox holds at most pipewidth chunks (${gated.dataReady()})`);
  assert.ok(c.socket.writableLength > 0, "the client is held back by TCP");
  open = true;
  c.socket.end();
  await c.waitLines(1, 60_000);
  assert.equal(Number(c.lines()[0]), written);
  await c.close();
  await s.stop();
});
