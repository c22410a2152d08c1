/**
 * NatsBackplane across real processes and a real nats-server: everyone gets
 * everything once, in order per publisher; a peer killed mid-stream leaves
 * the others a gap-free prefix of its messages (at-most-once, never
 * duplicated or reordered).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { Pipeline, PublishTo, SubscribeTo, System } from "../../src/index.js";
import { connectNats, NatsBackplane, openNatsBackplane } from "../../src/nats/index.js";
import { Sink, Source, until } from "../parallel/helpers.js";
import { onCleanup, stopAfter } from "../support/cleanup.js";
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

test("without echo: backplanes on connections of their own share everything once; two of one name on one such connection fail clearly", async () => {
  const server = await NatsServer.start();
  const sysA = stopAfter(new System());
  const sysB = stopAfter(new System());
  // openNatsBackplane opens its connection without echo: the server never sends A's messages back to A.
  const a = (await openNatsBackplane<number>("T.noecho", server.url)).activate(sysA);
  const b = (await openNatsBackplane<number>("T.noecho", server.url)).activate(sysB);
  assert.equal(a.transport?.echo, false);
  const gotA = new Sink<number>();
  const gotB = new Sink<number>();
  Pipeline(SubscribeTo<number>("T.noecho"), gotA).activate(sysA);
  Pipeline(SubscribeTo<number>("T.noecho"), gotB).activate(sysB);
  await until(() => a.ready && b.ready && a.local.subscribers() >= 2 && b.local.subscribers() >= 2, 30_000, "both bridges and subscribers");
  Pipeline(new Source(range(50)), PublishTo<number>("T.noecho")).activate(sysA);
  Pipeline(new Source(range(50).map((n) => 1000 + n)), PublishTo<number>("T.noecho")).activate(sysB);
  await until(() => gotA.got.length >= 100 && gotB.got.length >= 100, 60_000, "every message at both");
  for (const got of [gotA.got, gotB.got]) {
    assert.equal(got.length, 100, "each message once (none echoed back to its own side)");
    assert.deepEqual(got.filter((n) => n < 1000), range(50));
    assert.deepEqual(got.filter((n) => n >= 1000), range(50).map((n) => 1000 + n));
  }

  const shared = await connectNats({ servers: server.url, noEcho: true });
  onCleanup(() => shared.close());
  const sysC = stopAfter(new System());
  const sysD = stopAfter(new System());
  NatsBackplane("T.twice", { transport: shared }).activate(sysC);
  const second = NatsBackplane("T.twice", { transport: shared }).activate(sysD);
  await assert.rejects(sysD.run(), (e: Error) => {
    const cause = (e as { cause?: Error }).cause ?? e;
    assert.match(cause.message, /^NatsBackplaneComponent_\d+: another NatsBackplane "T\.twice" already uses nats:\/\/.*, a connection without echo: they would not hear each other; give each its own connection$/);
    return true;
  });
  assert.equal(second.isFinished(), true);
});
