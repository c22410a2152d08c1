/**
 * examples/chat-server.ts --nats: two chat servers (real processes, on
 * different ports) share one chat through a real nats-server: a client on
 * one sees lines from a client on the other, once, in order.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { connect, type Socket } from "node:net";
import { fileURLToPath } from "node:url";
import { onCleanup } from "../support/cleanup.js";
import { until } from "../parallel/helpers.js";
import { freePort, NatsServer } from "./server.js";

const root = fileURLToPath(new URL("../..", import.meta.url));

function chatServer(nats: string) {
  const child = spawn(process.execPath, ["--import", "tsx", "examples/chat-server.ts", "--port", "0", "--nats", nats], { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
  const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
  onCleanup(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGKILL");
      await exited;
    }
  });
  let out = "";
  let err = "";
  child.stdout.setEncoding("utf8").on("data", (d: string) => (out += d));
  child.stderr.setEncoding("utf8").on("data", (d: string) => (err += d));
  return {
    child,
    exited,
    get err() {
      return err;
    },
    async port(): Promise<number> {
      await until(() => /running on 127\.0\.0\.1:(\d+)/.test(out) || child.exitCode !== null, 60_000, "the chat server to listen");
      const m = /running on 127\.0\.0\.1:(\d+)/.exec(out);
      assert.ok(m, `no port in ${JSON.stringify(out)}; stderr: ${err}`);
      return Number(m[1]);
    },
  };
}

function client(port: number) {
  const s: Socket = connect(port, "127.0.0.1");
  onCleanup(() => s.destroy());
  const lines: string[] = [];
  let tail = "";
  s.setEncoding("utf8").on("data", (d: string) => {
    const parts = (tail + d).split("\n");
    tail = parts.pop()!;
    lines.push(...parts);
  });
  const ready = new Promise<void>((r) => s.once("connect", () => r()));
  return { s, lines, ready, me: () => `127.0.0.1:${s.localPort}` };
}

test("chat-server --nats: two servers share one chat; lines cross once, in order", async () => {
  const nats = await NatsServer.start();
  const [s1, s2] = [chatServer(nats.url), chatServer(nats.url)];
  const [p1, p2] = await Promise.all([s1.port(), s2.port()]);
  assert.notEqual(p1, p2);
  const x = client(p1);
  await x.ready;
  await until(() => x.lines.includes(`* ${x.me()} joined`), 30_000, "x joined");
  const y = client(p2);
  await y.ready;
  await until(() => x.lines.includes(`* ${y.me()} joined`), 30_000, "x to see y join through NATS");
  for (let i = 1; i <= 20; i++) x.s.write(`hello ${i}\n`);
  y.s.write("hi from y\n");
  const fromX = (ls: string[]) => ls.filter((l) => l.startsWith(`${x.me()}: `));
  await until(() => fromX(y.lines).length >= 20, 30_000, "y to get x's lines");
  await until(() => x.lines.includes(`${y.me()}: hi from y`), 30_000, "x to get y's line");
  await new Promise((r) => setTimeout(r, 300)); // room for a duplicate to show up, if there were one
  const want = Array.from({ length: 20 }, (_, i) => `${x.me()}: hello ${i + 1}`);
  assert.deepEqual(fromX(y.lines), want, "once each, in order, on the other server");
  assert.deepEqual(fromX(x.lines), want, "and once each on its own server");
  assert.equal(y.lines.filter((l) => l === `${y.me()}: hi from y`).length, 1);
  for (const s of [s1, s2]) s.child.kill("SIGTERM");
  assert.deepEqual(await Promise.all([s1.exited, s2.exited]), [0, 0]);
});

test("chat-server --nats with no NATS there: exits non-zero with one line naming the server", async () => {
  const port = await freePort();
  const s = chatServer(`nats://127.0.0.1:${port}`);
  const code = await s.exited;
  assert.notEqual(code, 0);
  assert.match(s.err, new RegExp(`cannot connect to NATS at nats://127\\.0\\.0\\.1:${port}`));
  assert.equal(s.err.trim().split("\n").length, 1, s.err);
});
