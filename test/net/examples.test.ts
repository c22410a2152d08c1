import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { System } from "../../src/index.js";
import { multicastFile } from "../../examples/file-multicast.js";
import { startLogServer } from "../../examples/log-server.js";
import { client, until, within } from "./helpers.js";
import { killAfter, stopAfter } from "../support/cleanup.js";

/** Run an example as a real process; resolves with the port it prints and a way to end it. */
async function runExample(file: string, args: string[]) {
  const child = spawn(process.execPath, ["--import", "tsx", file, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  killAfter(child);
  let out = "";
  child.stdout.on("data", (d: Buffer) => (out += d));
  child.stderr.on("data", (d: Buffer) => (out += d));
  const exited = new Promise<number | null>((r) => child.on("exit", (code) => r(code)));
  await until(() => /127\.0\.0\.1:(\d+)/.test(out) || child.exitCode !== null, `${file} to start`, 60_000);
  const m = /127\.0\.0\.1:(\d+)/.exec(out);
  assert.ok(m, `it printed its address: ${out}`);
  return {
    port: Number(m[1]),
    out: () => out,
    stop: async () => {
      child.kill("SIGTERM");
      await within(exited, "the example to exit");
    },
  };
}

test("examples/greeter-server.ts: runs, replies hello <line>", async () => {
  const ex = await runExample("examples/greeter-server.ts", ["--port", "0"]);
  const c = await client(ex.port);
  c.write("world\nkamaelia\n");
  await c.waitLines(2);
  assert.deepEqual(c.lines(), ["hello world", "hello kamaelia"]);
  await c.close();
  await ex.stop();
});

test("examples/chat-server.ts: runs, prints how to join, relays lines", async () => {
  const ex = await runExample("examples/chat-server.ts", ["--port", "0"]);
  assert.match(ex.out(), /join with: nc 127\.0\.0\.1 \d+/);
  const c = await client(ex.port);
  await c.waitLines(1);
  c.write("hi all\n");
  await c.waitLines(2);
  assert.equal(c.lines()[1], `127.0.0.1:${c.socket.localPort}: hi all`);
  await c.close();
  await ex.stop();
});

test("examples/log-server.ts: every client receives each new matching line", async () => {
  const dir = mkdtempSync(join(tmpdir(), "logserver-"));
  const file = join(dir, "system.log");
  writeFileSync(file, "old pants line\n");
  const system = stopAfter(new System());
  const { address, done } = await startLogServer(file, /pants/, { port: 0, system });
  const a = await client(address.port);
  const b = await client(address.port);
  // Subscriptions take effect a moment after connecting: prime until both hear something.
  let k = 0;
  await until(() => {
    appendFileSync(file, `pants primer ${k++}\n`);
    return a.lines().length > 0 && b.lines().length > 0;
  }, "both clients to be subscribed");
  appendFileSync(file, "pants A\nno match here\npants B\n");
  for (const c of [a, b]) {
    await until(() => c.lines().includes("pants B"), "pants B");
    const tail = c.lines().filter((l) => !l.startsWith("pants primer"));
    assert.deepEqual(tail, ["pants A", "pants B"]);
    assert.ok(!c.lines().includes("old pants line"));
  }
  await Promise.all([a.close(), b.close()]);
  system.stop();
  await within(done, "the log server to stop");
  rmSync(dir, { recursive: true, force: true });
});

test("examples/file-multicast.ts: the received copy is identical to the file", async () => {
  const dir = mkdtempSync(join(tmpdir(), "mcast-"));
  const file = join(dir, "in.bin");
  const out = join(dir, "out.bin");
  const data = Buffer.from(Array.from({ length: 40_000 }, (_, i) => (i * 7) % 251));
  writeFileSync(file, data);
  await within(multicastFile(file, out, { group: "239.255.42.98" }), "the copy");
  assert.ok(readFileSync(out).equals(data));
  rmSync(dir, { recursive: true, force: true });
});

test("examples/chat-server.ts on Ctrl-C: every client gets what was said, then FIN (no reset), and it exits 0", async () => {
  const child = killAfter(spawn(process.execPath, ["--import", "tsx", "examples/chat-server.ts", "--port", "0"], { stdio: ["ignore", "pipe", "pipe"] }));
  let out = "";
  let err = "";
  child.stdout.on("data", (d: Buffer) => (out += d));
  child.stderr.on("data", (d: Buffer) => (err += d));
  const exited = new Promise<number | null>((r) => child.on("exit", (code) => r(code)));
  await until(() => /127\.0\.0\.1:(\d+)/.test(out) || child.exitCode !== null, "the chat to start", 60_000);
  const port = Number(/127\.0\.0\.1:(\d+)/.exec(out)![1]);
  const a = await client(port);
  const b = await client(port);
  await a.waitLines(2);
  await b.waitLines(1);
  a.write("last words\n");
  const said = `127.0.0.1:${a.socket.localPort}: last words`;
  await until(() => b.lines().includes(said), "b to hear a");
  child.kill("SIGINT");
  assert.equal(await within(exited, "the chat to exit"), 0, err);
  for (const c of [a, b]) {
    await c.waitEnd();
    assert.equal(c.error, null, "closed with FIN, not reset");
    assert.ok(c.ended, "FIN received");
    assert.ok(c.lines().includes(said));
  }
  assert.equal(err, "");
  await a.close();
  await b.close();
});

test("examples/greeter-server.ts: a port already in use is one clear line on stderr and exit status 1", async () => {
  const first = await runExample("examples/greeter-server.ts", ["--port", "0"]);
  const r = spawnSync(process.execPath, ["--import", "tsx", "examples/greeter-server.ts", "--port", String(first.port)], { encoding: "utf8", timeout: 60_000 });
  assert.equal(r.status, 1);
  assert.equal(r.stderr, `greeter-server: TCPServer_${/TCPServer_(\d+)/.exec(r.stderr)?.[1]}: cannot listen on 127.0.0.1:${first.port}: address already in use (EADDRINUSE)\n`);
  await first.stop();
});

test("examples/file-multicast.ts: a FILE it cannot read is one clear line on stderr and exit status 1", () => {
  const r = spawnSync(process.execPath, ["--import", "tsx", "examples/file-multicast.ts", "/nonexistent/file"], { encoding: "utf8", timeout: 60_000 });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /^file-multicast: ReadFileAdaptor_\d+ cannot read "\/nonexistent\/file": no such file or directory \(ENOENT\)\n$/);
});
