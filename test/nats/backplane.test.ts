/**
 * NatsBackplane across real processes and a real nats-server: everyone gets
 * everything once, in order per publisher; a peer killed mid-stream leaves
 * the others a gap-free prefix of its messages (at-most-once, never
 * duplicated or reordered).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { NatsServer } from "./server.js";
import { peer, type Peer } from "./peers.js";

type Got = { got: { from: string; i: number } };

function byPublisher(p: Peer): Map<string, number[]> {
  const m = new Map<string, number[]>();
  for (const l of p.lines) {
    if (!("got" in l)) continue;
    const g = (l as Got).got;
    if (!m.has(g.from)) m.set(g.from, []);
    m.get(g.from)!.push(g.i);
  }
  return m;
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

test("three processes on one NATS backplane: each gets every message once, in order per publisher", async () => {
  const server = await NatsServer.start();
  const N = 300;
  const peers = ["A", "B", "C"].map((id) => peer("backplane", server.url, "T.chat", id, String(N), String(3 * N)));
  await Promise.all(peers.map((p) => p.until((ls) => ls.some((l) => l.ready))));
  for (const p of peers) p.child.stdin!.write("go\n");
  for (const p of peers) assert.equal(await p.exited, 0, p.stderr);
  for (const p of peers) {
    const m = byPublisher(p);
    for (const id of ["A", "B", "C"]) assert.deepEqual(m.get(id), range(N), `messages from ${id}`);
  }
});

test("a publisher killed mid-stream: the others get a prefix of its messages, in order, no duplicates", async () => {
  const server = await NatsServer.start();
  const N = 100_000;
  const victim = peer("backplane", server.url, "T", "V", String(N), String(N + 1));
  const watcher = peer("backplane", server.url, "T", "W", "0", String(N + 1));
  await Promise.all([victim, watcher].map((p) => p.until((ls) => ls.some((l) => l.ready))));
  victim.child.stdin!.write("go\n");
  await watcher.until((ls) => ls.length > 500);
  await victim.kill();
  // Let what was on its way arrive, then look.
  let before = -1;
  while (before !== watcher.lines.length) {
    before = watcher.lines.length;
    await new Promise((r) => setTimeout(r, 300));
  }
  const got = byPublisher(watcher).get("V")!;
  assert.ok(got.length > 500 && got.length < N, `got ${got.length}`);
  assert.deepEqual(got, range(got.length), "a gap-free prefix, in order, with no duplicates");
});
