/**
 * Chat server load: N clients × M lines each on the Backplane chat, over
 * loopback. Prints throughput (lines delivered per second, counting each
 * line once per receiving client) and the latency from a line being written
 * by its sender to its arrival at each client (p50, p99, max). Measured, not
 * asserted.
 *
 *   npx tsx bench/net/chat-load.ts [--clients 200] [--lines 50]
 */
import { connect, type Socket } from "node:net";
import { System } from "../../src/index.js";
import { startChat } from "../../examples/chat-server.js";

const arg = (n: string, d: number) => (process.argv.includes(`--${n}`) ? Number(process.argv[process.argv.indexOf(`--${n}`) + 1]) : d);
const clients = arg("clients", 200);
const lines = arg("lines", 50);

const system = new System();
const { address, done } = await startChat({ port: 0, system });
const t0 = performance.now();
const latencies: number[] = [];
let delivered = 0;
const expected = clients * clients * lines;
let finish!: () => void;
const allIn = new Promise<void>((r) => (finish = r));
const sockets: Socket[] = [];
let joined = 0;
let allJoined!: () => void;
const everyoneJoined = new Promise<void>((r) => (allJoined = r));

for (let i = 0; i < clients; i++) {
  const s = connect(address.port, "127.0.0.1");
  s.setEncoding("utf8");
  let tail = "";
  let me = "";
  s.on("connect", () => (me = `* 127.0.0.1:${s.localPort} joined`));
  s.on("data", (d: string) => {
    const now = performance.now();
    const parts = (tail + d).split("\n");
    tail = parts.pop()!;
    for (const p of parts) {
      if (p.startsWith("* ")) {
        if (p === me && ++joined === clients) allJoined();
        continue;
      }
      const at = Number(p.slice(p.lastIndexOf(" ") + 1));
      latencies.push(now - at);
      if (++delivered === expected) finish();
    }
  });
  sockets.push(s);
}
await everyoneJoined;
const joinMs = performance.now() - t0;
const start = performance.now();
sockets.forEach((s, i) => {
  for (let j = 0; j < lines; j++) s.write(`${i} ${j} ${performance.now()}\n`);
});
await allIn;
const secs = (performance.now() - start) / 1000;
latencies.sort((a, b) => a - b);
const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))]!;
console.log(`chat load: ${clients} clients × ${lines} lines = ${clients * lines} lines sent, ${delivered} deliveries`);
console.log(`  all joined in ${joinMs.toFixed(0)} ms`);
console.log(`  throughput: ${(delivered / secs).toFixed(0)} deliveries/s (${((clients * lines) / secs).toFixed(0)} lines in/s), ${secs.toFixed(2)} s`);
console.log(`  latency: p50 ${pct(50).toFixed(1)} ms, p99 ${pct(99).toFixed(1)} ms, max ${latencies.at(-1)!.toFixed(1)} ms`);
for (const s of sockets) s.destroy();
system.stop();
await done;
