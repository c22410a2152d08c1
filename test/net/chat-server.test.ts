import { test } from "node:test";
import assert from "node:assert/strict";
import { PureTransformer, ShutdownMicroprocess, System, shutdownMicroprocess } from "../../src/index.js";
import { Harness } from "../../src/testing/index.js";
import type { ServerEvent } from "../../src/net/index.js";
import { Speaker, startChat } from "../../examples/chat-server.js";
import { until, within } from "./helpers.js";
import { LineClient } from "./line-client.js";
import { stopAfter } from "../support/cleanup.js";

async function joined(port: number): Promise<LineClient> {
  const c = new LineClient(port);
  await within(c.connected, "connect");
  const me = `${c.socket.localAddress}:${c.socket.localPort}`;
  await until(() => c.lines.includes(`* ${me} joined`), "the client's own join line");
  return c;
}

test("chat: every line goes once to every client, the sender too, prefixed with the sender, in order", async () => {
  const system = stopAfter(new System());
  const { address, done } = await startChat({ port: 0, system });
  const a = await joined(address.port);
  const b = await joined(address.port);
  const aId = `127.0.0.1:${a.socket.localPort}`;
  const bId = `127.0.0.1:${b.socket.localPort}`;
  a.socket.write("hello\nhow are you\n");
  b.socket.write("fine\n");
  const said = (c: LineClient) => c.lines.filter((l) => !l.startsWith("* "));
  await until(() => said(a).length === 3 && said(b).length === 3, "three lines each");
  for (const c of [a, b]) {
    const fromA = said(c).filter((l) => l.startsWith(aId));
    assert.deepEqual(fromA, [`${aId}: hello`, `${aId}: how are you`]);
  }
  assert.ok(a.lines.includes(`* ${bId} joined`));
  b.socket.end();
  await until(() => a.lines.includes(`* ${bId} left`), "b's leave line");
  a.socket.destroy();
  system.stop();
  await within(done, "the system to stop");
});

test("chat: a speaker stopped while the chat is full still says it left (waiting for room), before it passes the stop on", () => {
  const h = new Harness();
  const say = h.activate(new Speaker("me"));
  const out = h.collect(say.outbox);
  const signal = h.collect(say.signal);
  out.setLimit(1);
  h.runUntilIdle();
  assert.equal(out.pending, 1, "the join line fills the box");
  // A slow consumer's CloseConnection reaches the Speaker as a shutdownMicroprocess.
  h.control(say, shutdownMicroprocess());
  h.runUntilIdle();
  assert.equal(signal.pending, 0, "the stop is not passed on before the leave line is out");
  assert.deepEqual(out.messages, ["* me joined\n"]);
  h.runUntilIdle();
  assert.deepEqual(out.messages, ["* me joined\n", "* me left\n"]);
  assert.equal(signal.messages.length, 1);
  assert.ok(signal.messages[0] instanceof ShutdownMicroprocess);
  assert.ok(say.isFinished());
});

test("chat: a client that never reads is disconnected as a slow consumer, with one last line saying why; the others get every line, then its leave line", async () => {
  const system = new System();
  const { address, server, backplane, done } = await startChat({ port: 0, system, sendQ: 64 });
  // Long enough for the sleeper to wake and read its last line, however loaded the machine.
  server.closeTimeoutMs = 60_000;
  const closed: string[] = [];
  const tap = PureTransformer((e: ServerEvent) => {
    if (e.type === "closed") closed.push(e.reason);
    return undefined;
  });
  tap.activate(system);
  tap.link(server.outbox, tap.inbox);
  const reader = await joined(address.port);
  const sleeper = await joined(address.port);
  sleeper.socket.pause();
  const sleeperId = `127.0.0.1:${sleeper.socket.localPort}`;
  const big = "z".repeat(2000);
  const me = `127.0.0.1:${reader.socket.localPort}`;
  // Write until the sleeper's buffers (kernel and queue) are full and it is dropped; at most 200 MB.
  let n = 0;
  while (backplane.disconnected === 0 && n < 100_000) {
    for (let k = 0; k < 100; k++) reader.socket.write(`${n++} ${big}\n`);
    if (reader.socket.writableLength > 1 << 20) await new Promise((r) => reader.socket.once("drain", r));
    else await new Promise((r) => setImmediate(r));
  }
  await until(() => backplane.disconnected === 1, "the sleeper to be disconnected", 60_000);
  sleeper.socket.resume();
  const mine = () => reader.lines.filter((l) => l.startsWith(`${me}: `));
  await until(() => mine().length === n, `all ${n} lines back to the reader`, 60_000);
  mine().forEach((l, i) => assert.equal(l, `${me}: ${i} ${big}`));
  await until(() => sleeper.closed, "the sleeper's connection to end", 60_000);
  const last = sleeper.lines[sleeper.lines.length - 1]!;
  assert.match(last, /^\* you were disconnected: you did not keep up \(slow consumer: \d+ messages were waiting for SubscribeToComponent_\d+ on backplane "CHAT" \(publishers waited \d+ ms for it in the last \d+ ms\)\)$/);
  assert.ok(backplane.dropped > 0);
  await until(() => closed.length === 1, "the closed event");
  assert.match(closed[0]!, /^slow consumer: /);
  // The server closed the sleeper's socket; its Speaker is still told, so the others hear it leave.
  await until(() => reader.lines.includes(`* ${sleeperId} left`), "the sleeper's leave line");
  reader.socket.destroy();
  system.stop();
  await within(done, "the system to stop");
});

test("chat: a client that keeps reading, but at a tenth of the chat's rate, is disconnected with a last line saying why; a normal reader gets every line and never stalls long", async () => {
  const system = new System();
  const { address, server, backplane, done } = await startChat({ port: 0, system, sendQ: 64 });
  server.closeTimeoutMs = 60_000;
  const writer = await joined(address.port);
  const me = `127.0.0.1:${writer.socket.localPort}`;
  // The normal reader checks order as lines arrive (kept linear) and measures its longest gap while the chat runs.
  const normal = new LineClient(address.port, false);
  await within(normal.connected, "connect");
  let got = 0;
  let outOfOrder = "";
  normal.onLine = (l) => {
    if (!l.startsWith(`${me}: `)) return;
    if (!l.startsWith(`${me}: ${got} `)) outOfOrder ||= `expected line ${got}, got ${l.slice(0, 40)}`;
    got++;
  };
  let writing = true;
  let lastData = 0;
  let gap = 0;
  normal.socket.on("data", () => {
    const now = performance.now();
    if (writing && lastData !== 0) gap = Math.max(gap, now - lastData);
    lastData = now;
  });
  // The slow reader: about 128 KB every 100 ms, a small fraction of what the writer offers, in reads often enough
  // that no single wait on it reaches maxWaitMs (500 ms): only the waiting it causes in total gives it away.
  const slow = await joined(address.port);
  let quota = 0;
  slow.socket.on("data", (d: string) => {
    quota -= d.length;
    if (writing && quota <= 0) slow.socket.pause();
  });
  const tick = setInterval(() => {
    quota = Math.min(quota, 0) + 128 * 1024;
    slow.socket.resume();
  }, 100);
  // The writer: 50 lines of 1 KB every 10 ms (up to 5 MB/s; the chat carries what it can), holding back while its own socket is full.
  const line = "w".repeat(1000);
  let n = 0;
  const pump = setInterval(() => {
    if (writer.socket.writableLength > 1 << 20) return;
    for (let k = 0; k < 50; k++) writer.socket.write(`${n++} ${line}\n`);
  }, 10);
  try {
    await until(() => backplane.disconnected === 1, "the slow reader to be disconnected", 60_000);
  } finally {
    writing = false;
    clearInterval(pump);
    clearInterval(tick);
  }
  slow.socket.resume();
  await until(() => slow.closed, "the slow reader's connection to end", 60_000);
  const last = slow.lines[slow.lines.length - 1]!;
  assert.match(last, /^\* you were disconnected: you did not keep up \(slow consumer: \d+ messages were waiting for SubscribeToComponent_\d+ on backplane "CHAT" \(publishers waited \d+ ms for it in the last \d+ ms\)\)$/);
  await until(() => got === n, `all ${n} lines to the normal reader`, 60_000);
  assert.equal(outOfOrder, "");
  assert.ok(gap < 3000, `the normal reader's longest gap was ${gap.toFixed(0)} ms`);
  // Only the slow one went: the writer is still connected and reading.
  assert.equal(backplane.disconnected, 1);
  assert.equal(writer.closed, false);
  for (const c of [writer, normal]) c.socket.destroy();
  system.stop();
  await within(done, "the system to stop");
});

test("chat load: 200 clients × 50 lines: every client receives every line exactly once, in per-sender order", async () => {
  const clients = 200;
  const perClient = 50;
  const system = stopAfter(new System());
  const { address, done } = await startChat({ port: 0, system });
  const all: LineClient[] = [];
  const counts: Map<string, number>[] = [];
  const errors: string[] = [];
  for (let i = 0; i < clients; i++) {
    const c = new LineClient(address.port, false);
    const seen = new Map<string, number>();
    counts.push(seen);
    let joinedSelf = false;
    c.onLine = (line) => {
      if (line.startsWith("* ")) {
        if (line === `* 127.0.0.1:${c.socket.localPort} joined`) joinedSelf = true;
        return;
      }
      const m = /^(\S+): (\d+) (\d+)$/.exec(line);
      if (m === null) return void errors.push(`unexpected line ${JSON.stringify(line)}`);
      const key = m[1]!;
      const j = Number(m[3]);
      const expect = seen.get(key) ?? 0;
      if (j !== expect) errors.push(`client ${i}: from ${key} got line ${j}, expected ${expect}`);
      seen.set(key, expect + 1);
    };
    all.push(c);
    Object.defineProperty(c, "joinedSelf", { get: () => joinedSelf });
  }
  await within(Promise.all(all.map((c) => c.connected)), "all clients to connect", 60_000);
  await until(() => all.every((c) => (c as unknown as { joinedSelf: boolean }).joinedSelf), "every client to join", 60_000);
  all.forEach((c, i) => {
    let text = "";
    for (let j = 0; j < perClient; j++) text += `${i} ${j}\n`;
    c.socket.write(text);
  });
  const expected = clients * perClient;
  const received = () => counts.reduce((n, m) => n + [...m.values()].reduce((a, b) => a + b, 0), 0);
  await until(() => received() === clients * expected || errors.length > 0, `every line to every client`, 120_000);
  assert.deepEqual(errors.slice(0, 5), []);
  for (const seen of counts) {
    assert.equal(seen.size, clients);
    for (const v of seen.values()) assert.equal(v, perClient);
  }
  for (const c of all) c.socket.destroy();
  system.stop();
  await within(done, "the system to stop");
});

test("chat: a client flooding as fast as TCP allows is paced: no box between its socket and the backplane grows past its limit; every line comes back in order", async () => {
  const system = new System();
  const { address, backplane, server, done } = await startChat({ port: 0, system });
  const c = await joined(address.port);
  const me = `127.0.0.1:${c.socket.localPort}: `;
  let most = 0;
  let mostSpeaker = 0;
  const sampler = setInterval(() => {
    most = Math.max(most, backplane.inbox.length);
    for (const k of system.components()) if (k.name.startsWith("Speaker")) mostSpeaker = Math.max(mostSpeaker, k.inbox.length);
  }, 1);
  const n = 60_000;
  const pad = "p".repeat(90);
  let i = 0;
  while (i < n) {
    let chunk = "";
    for (let k = 0; k < 500; k++) chunk += `${i++} ${pad}\n`;
    if (!c.socket.write(chunk)) await new Promise((r) => c.socket.once("drain", r));
  }
  const mine = () => c.lines.filter((l) => l.startsWith(me));
  await until(() => mine().length === n, `all ${n} lines back`, 120_000);
  clearInterval(sampler);
  mine().forEach((l, j) => assert.equal(l, `${me}${j} ${pad}`));
  // The backplane's limit plus what a publisher may hold before it has found the backplane.
  assert.ok(most <= 64 + 64, `the backplane held ${most} messages`);
  assert.ok(mostSpeaker <= server.pipewidth, `a speaker held ${mostSpeaker} lines (pipewidth ${server.pipewidth})`);
  c.socket.destroy();
  system.stop();
  await within(done, "the system to stop");
});
