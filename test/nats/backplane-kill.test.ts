/**
 * NatsBackplane, a peer killed mid-stream: the others get a gap-free prefix
 * of its messages (at-most-once, never duplicated or reordered).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { NatsServer } from "./server.js";
import { byPublisher, peer, range } from "./peers.js";

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
