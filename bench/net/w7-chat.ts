/**
 * W7: the chat server's deliveries per second (examples/chat-server.ts: a
 * Backplane, a Graphline per connection) against a bare `node:net`
 * broadcast loop serving the same protocol (`who: line` to every client,
 * `* who joined` on arrival), under the same load, alternating, in one run.
 *
 *   node bench/bundled.mjs bench/net/w7-chat.ts [--clients 50] [--lines 100] [--reps 3]
 *
 * Each client connects and waits to see its own `joined` line; then every
 * client writes its lines at once, and the clock stops when every client
 * has received every line (clients × clients × lines deliveries).
 */
import { connect, createServer, type Server, type Socket } from "node:net";
import { System } from "../../src/index.js";
import { startChat } from "../../examples/chat-server.js";

const arg = (n: string, d: number) => (process.argv.includes(`--${n}`) ? Number(process.argv[process.argv.indexOf(`--${n}`) + 1]) : d);
const clients = arg("clients", 50);
const lines = arg("lines", 100);
const reps = arg("reps", 3);

/** The bare loop: no framework, one write per received chunk to every socket. */
function bareServer(): Promise<{ port: number; close: () => Promise<void> }> {
  const socks = new Set<Socket>();
  const broadcast = (text: string) => {
    for (const s of socks) s.write(text);
  };
  const server: Server = createServer((s) => {
    const who = `${s.remoteAddress}:${s.remotePort}`;
    socks.add(s);
    broadcast(`* ${who} joined\n`);
    let tail = "";
    s.setEncoding("utf8");
    s.on("data", (d: string) => {
      const parts = (tail + d).split("\n");
      tail = parts.pop()!;
      let out = "";
      for (const p of parts) out += `${who}: ${p}\n`;
      if (out) broadcast(out);
    });
    s.on("close", () => socks.delete(s));
    s.on("error", () => socks.delete(s));
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () =>
      resolve({
        port: (server.address() as { port: number }).port,
        close: () => {
          for (const s of socks) s.destroy();
          return new Promise((r) => server.close(() => r()));
        },
      }),
    ),
  );
}

async function kamaeliaServer(): Promise<{ port: number; close: () => Promise<void> }> {
  const system = new System();
  const { address, done } = await startChat({ port: 0, system, sendQ: 1 << 20 });
  return {
    port: address.port,
    close: async () => {
      system.stop();
      await done.catch(() => undefined);
    },
  };
}

/** Run the load against `port`; deliveries per second. */
async function load(port: number): Promise<number> {
  const expected = clients * clients * lines;
  let delivered = 0;
  let joined = 0;
  let allJoined!: () => void;
  const everyone = new Promise<void>((r) => (allJoined = r));
  let finish!: () => void;
  const allIn = new Promise<void>((r) => (finish = r));
  const sockets: Socket[] = [];
  for (let i = 0; i < clients; i++) {
    const s = connect(port, "127.0.0.1");
    sockets.push(s);
    s.setEncoding("utf8");
    let tail = "";
    let me = "";
    s.on("connect", () => (me = `* 127.0.0.1:${s.localPort} joined`));
    s.on("error", () => undefined);
    s.on("data", (d: string) => {
      const parts = (tail + d).split("\n");
      tail = parts.pop()!;
      for (const p of parts) {
        if (p.startsWith("* ")) {
          if (p === me && ++joined === clients) allJoined();
        } else if (++delivered === expected) finish();
      }
    });
  }
  await everyone;
  // Everyone's joined line reached its own client; give the last ones a moment to reach the rest.
  await new Promise((r) => setTimeout(r, 200));
  const text = Array.from({ length: lines }, (_, i) => `line ${i}\n`).join("");
  const t0 = performance.now();
  for (const s of sockets) s.write(text);
  await allIn;
  const ms = performance.now() - t0;
  for (const s of sockets) s.destroy();
  return (expected * 1000) / ms;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
const rates: Record<"bare" | "kamaelia", number[]> = { bare: [], kamaelia: [] };
for (let i = -1; i < reps; i++) {
  for (const kind of ["bare", "kamaelia"] as const) {
    const server = kind === "bare" ? await bareServer() : await kamaeliaServer();
    const r = await load(server.port);
    await server.close();
    if (i >= 0) {
      rates[kind].push(r);
      console.error(`rep ${i} ${kind}: ${(r / 1000).toFixed(0)}k deliveries/s`);
    }
  }
}
const b = median(rates.bare);
const k = median(rates.kamaelia);
console.log(`W7 chat, ${clients} clients × ${lines} lines (${clients * clients * lines} deliveries), median of ${reps} after a warm-up round:`);
console.log(`  bare node:net broadcast loop   ${(b / 1000).toFixed(0)}k deliveries/s`);
console.log(`  chat-server (Kamaelia)          ${(k / 1000).toFixed(0)}k deliveries/s`);
console.log(`  ratio ${(k / b).toFixed(2)}× the bare loop`);
process.exit(0);
