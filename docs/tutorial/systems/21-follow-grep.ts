// `tail -f system.log | grep pants` as components: the blog post's first
// system. Follow sends each line appended to a file; Grep passes the lines
// that match; ConsoleEchoer prints them. Here we write the log ourselves, so
// the example runs anywhere; point Follow at a real log to use it.
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { ConsoleEchoer, Follow, Grep, Pipeline, PureTransformer } from "../../../src/index.js";

const dir = mkdtempSync(join(tmpdir(), "follow-"));
const log = join(dir, "system.log");
writeFileSync(log, "an old line about pants, there before we started\n");

let printed = 0;
const follow = new Follow(log);
const system = Pipeline(
  follow,
  new Grep(/pants/),
  PureTransformer((line: string) => `${++printed}: ${line}`),
  new ConsoleEchoer({ eol: "\n" }),
);
const done = system.run();
await follow.started(); // it has opened the file, at its end (like tail -f)

for (const line of ["boot ok", "fancy pants detected", "disk ok", "pants on fire"]) appendFileSync(log, line + "\n");

const deadline = Date.now() + 30_000;
while (printed < 2 && Date.now() < deadline) await sleep(10);
system.stop(); // Follow, like tail -f, never ends by itself
await done;
rmSync(dir, { recursive: true });
