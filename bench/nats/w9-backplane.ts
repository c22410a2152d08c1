/**
 * W9: a NatsBackplane's throughput against raw nats.js publish/subscribe,
 * measured in one run on a nats-server this script starts on a free port
 * (the Debian `nats-server`; see .ci/run).
 *
 *   node bench/bundled.mjs bench/nats/w9-backplane.ts [--messages 200000] [--reps 3]
 *
 * Both sides are in this process on two connections, as in
 * shared/reference/infra.md §1.2 A: N messages of 64 bytes of JSON
 * ({"i":N,"t":"tick","p":"xxx…"}), end to end: the clock starts at the
 * first publish and stops when the subscriber has decoded message N.
 * Raw: a synchronous publish loop (JSON.stringify + encode) and a
 * subscription callback that decodes (nats.js's fastest idiom; it coalesces
 * what is published in one go into large writes, as the bridge's per-turn
 * publishing does), on a subject as long as the bridge's
 * (`kamaelia.bp.W9.<origin>`), so the same bytes cross. Kamaelia: a source → PublishTo("W9")
 * on one NatsBackplane, SubscribeTo("W9") → a counting sink on another
 * (another System; each opened with `openNatsBackplane`, so on a connection
 * of its own without echo), so every message crosses
 * PublishTo → local backplane → bridge → NATS → bridge → local backplane →
 * SubscribeTo → sink. Target (issue 11): ≥ 0.8× raw. Run it bundled
 * (`node bench/bundled.mjs bench/nats/w9-backplane.ts`) so tsx is not measured.
 */
import { spawn } from "node:child_process";
import { createServer, connect as tcpConnect } from "node:net";
import { Component, Pipeline, PublishTo, SubscribeTo, System, producerFinished, type Wait } from "../../src/index.js";
import { connectNats, openNatsBackplane } from "../../src/nats/index.js";

const arg = (n: string, d: number) => (process.argv.includes(`--${n}`) ? Number(process.argv[process.argv.indexOf(`--${n}`) + 1]) : d);
const N = arg("messages", 200_000);
const reps = arg("reps", 3);
const PAD = "x".repeat(36);
const msg = (i: number) => ({ i, t: "tick", p: PAD });
/** As long as a bridge's subject, `kamaelia.bp.W9.` + a 12-character origin. */
const RAW_SUBJECT = `w9.raw.${"r".repeat(20)}`;

async function startServer(): Promise<{ url: string; stop: () => void }> {
  const port = await new Promise<number>((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
  const child = spawn("nats-server", ["-a", "127.0.0.1", "-p", String(port)], { stdio: "ignore" });
  for (let i = 0; i < 500; i++) {
    const ok = await new Promise<boolean>((r) => {
      const c = tcpConnect(port, "127.0.0.1", () => (c.destroy(), r(true)));
      c.on("error", () => r(false));
    });
    if (ok) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  return { url: `nats://127.0.0.1:${port}`, stop: () => child.kill("SIGKILL") };
}

/** CPU µs this process spent per message since `c0` (both ends are in this process; the server is not counted). */
const cpuPer = (c0: NodeJS.CpuUsage) => {
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / N;
};

async function raw(url: string): Promise<{ rate: number; cpu: number }> {
  const pub = await connectNats(url);
  const sub = await connectNats(url);
  const enc = new TextEncoder();
  const dec = new TextDecoder();
  let got = 0;
  let done!: () => void;
  const all = new Promise<void>((r) => (done = r));
  sub.subscribe(RAW_SUBJECT, (m) => {
    const x = JSON.parse(dec.decode(m.data)) as { i: number };
    if (x.i !== got) throw new Error(`raw: got ${x.i}, expected ${got}`);
    if (++got === N) done();
  });
  await sub.flush();
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < N; i++) pub.publish(RAW_SUBJECT, enc.encode(JSON.stringify(msg(i))));
  await all;
  const ms = performance.now() - t0;
  const cpu = cpuPer(c0);
  await Promise.all([pub.close(), sub.close()]);
  return { rate: (N * 1000) / ms, cpu };
}

class Source extends Component<never, ReturnType<typeof msg>> {
  constructor(readonly go: Promise<void>) {
    super();
  }
  *main(): Wait {
    yield this.go;
    for (let i = 0; i < N; i++) yield* this.waitSend(msg(i));
  }
}

class Count extends Component<{ i: number }, never> {
  got = 0;
  constructor(readonly done: () => void) {
    super();
  }
  *main(): Wait {
    yield* this.processMessages((m) => {
      if (m.i !== this.got) throw new Error(`kamaelia: got ${m.i}, expected ${this.got}`);
      if (++this.got === N) this.done();
    });
  }
}

async function kamaelia(url: string): Promise<{ rate: number; cpu: number; dropped: number }> {
  const sysA = new System();
  const sysB = new System();
  const bpA = (await openNatsBackplane("W9", url)).activate(sysA);
  // The raw subscriber buffers without limit; so that both measure the same thing (every message, none
  // dropped), the receiving bridge may hold all N for its local subscriber (its default, 10000, drops beyond).
  const bpB = (await openNatsBackplane("W9", url, { maxPending: N })).activate(sysB);
  let done!: () => void;
  const all = new Promise<void>((r) => (done = r));
  const sub = SubscribeTo<{ i: number }>("W9");
  Pipeline(sub, new Count(done)).activate(sysB);
  let go!: () => void;
  const goP = new Promise<void>((r) => (go = r));
  Pipeline(new Source(goP), PublishTo("W9")).activate(sysA);
  // Both bridges subscribed at the server, and the subscriber at its local backplane.
  while (!bpA.ready || !bpB.ready || bpB.local.subscribers() < 2) await new Promise((r) => setTimeout(r, 10));
  await Promise.all([bpA.transport!.flush(), bpB.transport!.flush()]);
  await new Promise((r) => setTimeout(r, 100));
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  go();
  await all;
  const ms = performance.now() - t0;
  const cpu = cpuPer(c0);
  // Each bridge closes its own connection as it ends.
  for (const bp of [bpA, bpB]) bp.control.deliver(producerFinished(), "w9");
  sysA.stop();
  sysB.stop();
  await Promise.all([sysA.run(), sysB.run()]).catch(() => undefined);
  await Promise.all([bpA.transport!.closed, bpB.transport!.closed]);
  return { rate: (N * 1000) / ms, cpu, dropped: bpB.dropped };
}

const server = await startServer();
try {
  await raw(server.url); // warm both paths' JIT and the server
  await kamaelia(server.url);
  const r: number[] = [];
  const k: number[] = [];
  const rc: number[] = [];
  const kc: number[] = [];
  let dropped = 0;
  for (let i = 0; i < reps; i++) {
    const x = await raw(server.url);
    const y = await kamaelia(server.url);
    r.push(x.rate);
    rc.push(x.cpu);
    k.push(y.rate);
    kc.push(y.cpu);
    dropped += y.dropped;
    console.error(`rep ${i}: raw ${(x.rate / 1000).toFixed(0)}k/s ${x.cpu.toFixed(1)} µs CPU/msg, NatsBackplane ${(y.rate / 1000).toFixed(0)}k/s ${y.cpu.toFixed(1)} µs CPU/msg`);
  }
  const median = (xs: number[]) => [...xs].sort((p, q) => p - q)[xs.length >> 1]!;
  const rm = median(r);
  const km = median(k);
  const rcm = median(rc);
  const kcm = median(kc);
  console.log(`W9 ${N} messages of 64 B, median of ${reps}:`);
  console.log(`  raw nats.js publish/subscribe   ${(rm / 1000).toFixed(0)}k msgs/s, ${rcm.toFixed(1)} µs CPU per message in this process`);
  console.log(`  NatsBackplane (PublishTo → SubscribeTo across two connections)   ${(km / 1000).toFixed(0)}k msgs/s, ${kcm.toFixed(1)} µs CPU per message`);
  console.log(`  ratio ${(km / rm).toFixed(2)}× (target ≥ 0.8×); CPU per message raw/NatsBackplane ${(rcm / kcm).toFixed(2)}× (less sensitive to others' load); messages dropped for slow consumers: ${dropped}`);
} finally {
  server.stop();
}
