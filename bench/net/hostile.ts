/**
 * Hostile clients against the example servers, run as child processes:
 * prints the server's peak RSS (from /proc/PID/status) while the clients
 * misbehave. Measured, not asserted (the regression tests assert the bounds).
 *
 *   node --import tsx bench/net/hostile.ts flood      [--seconds 15]   # chat: one client writes as fast as TCP allows (and reads)
 *   node --import tsx bench/net/hostile.ts slow       [--seconds 15]   # chat: a flooder, a client that never reads, and a normal reader
 *   node --import tsx bench/net/hostile.ts trickle    [--seconds 15]   # chat: a writer (~5 MB/s offered), a client reading ~128 KB per 100 ms, and a normal reader
 *   node --import tsx bench/net/hostile.ts never-read [--seconds 20]   # greeter: a client that writes and never reads
 *
 * For `slow` and `trickle` it also prints the longest gap the normal reader saw between
 * two lines (how long the chat stalled for everyone else); for `trickle`,
 * whether the slow reader was disconnected (its last line) and how many
 * lines the normal reader got.
 */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { connect, type Socket } from "node:net";

const scenario = process.argv[2] ?? "flood";
const arg = (n: string, d: number) => (process.argv.includes(`--${n}`) ? Number(process.argv[process.argv.indexOf(`--${n}`) + 1]) : d);
const seconds = arg("seconds", scenario === "never-read" ? 20 : 15);
const example = scenario === "never-read" ? "examples/greeter-server.ts" : "examples/chat-server.ts";

const child = spawn(process.execPath, ["--import", "tsx", example, "--port", "0"], { stdio: ["ignore", "pipe", "inherit"] });
const port = await new Promise<number>((resolve, reject) => {
  let out = "";
  child.stdout.setEncoding("utf8");
  child.stdout.on("data", (d: string) => {
    out += d;
    const m = /127\.0\.0\.1:(\d+)/.exec(out);
    if (m) resolve(Number(m[1]));
  });
  child.once("exit", (code) => reject(new Error(`${example} exited early (${code})`)));
});

const rss = (): number => {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, "utf8"));
  return m ? Number(m[1]) / 1024 : 0;
};
const startRss = rss();
let peak = startRss;
const sampler = setInterval(() => (peak = Math.max(peak, rss())), 100);

const sockets: Socket[] = [];
function client(read: boolean): Socket {
  const s = connect(port, "127.0.0.1");
  s.on("error", () => undefined);
  if (!read) s.pause();
  else s.resume();
  sockets.push(s);
  return s;
}

/** Write `line` as fast as the socket takes it, until stopped. */
function flood(s: Socket, line: string): void {
  const chunk = Buffer.from(line.repeat(Math.max(1, Math.floor(65536 / line.length))));
  const go = (): void => {
    while (!s.destroyed && s.write(chunk));
  };
  s.on("drain", go);
  s.once("connect", go);
}

let gap = 0;
let normalBytes = 0;
let slowTail = "";
/** Record the longest gap between two reads of `reader`. */
function watchGaps(reader: Socket): void {
  let last = 0;
  reader.on("data", (d: Buffer) => {
    normalBytes += d.length;
    const now = performance.now();
    if (last !== 0) gap = Math.max(gap, now - last);
    last = now;
  });
}
if (scenario === "flood") {
  flood(client(true), "x".repeat(100) + "\n");
} else if (scenario === "slow") {
  flood(client(true), "y".repeat(100) + "\n");
  client(false);
  watchGaps(client(true));
} else if (scenario === "trickle") {
  const writer = client(true);
  const line = "t".repeat(1000) + "\n";
  const pump = setInterval(() => {
    if (writer.destroyed) clearInterval(pump);
    else if (writer.writableLength < 1 << 20) writer.write(line.repeat(50));
  }, 10);
  const slow = client(true);
  slow.setEncoding("utf8");
  let quota = 0;
  slow.on("data", (d: string) => {
    slowTail = (slowTail + d).slice(-300);
    quota -= d.length;
    if (quota <= 0) slow.pause();
  });
  const tick = setInterval(() => {
    if (slow.destroyed) return clearInterval(tick);
    quota = Math.min(quota, 0) + 128 * 1024;
    slow.resume();
  }, 100);
  watchGaps(client(true));
} else if (scenario === "never-read") {
  flood(client(false), "world\n");
} else {
  throw new Error(`unknown scenario ${scenario}: flood, slow, trickle or never-read`);
}

await new Promise((r) => setTimeout(r, seconds * 1000));
clearInterval(sampler);
peak = Math.max(peak, rss());
for (const s of sockets) s.destroy();
child.kill("SIGKILL");
console.log(
  `${scenario} (${example}, ${seconds} s): RSS at start ${startRss.toFixed(0)} MB, peak ${peak.toFixed(0)} MB` +
    (scenario === "slow" || scenario === "trickle" ? `; longest gap seen by a normal reader ${gap.toFixed(0)} ms` : "") +
    (scenario === "trickle"
      ? `; normal reader got ${(normalBytes / 1e6).toFixed(1)} MB; slow reader ${/you were disconnected/.test(slowTail) ? `disconnected: ${slowTail.slice(slowTail.lastIndexOf("* you")).trim()}` : "NOT disconnected"}`
      : ""),
);
