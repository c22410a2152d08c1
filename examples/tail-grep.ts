/**
 * The seeds' Follow/Grep walk-through: follow FILE from its current end,
 * like `tail -f`, and print each newly appended line matching REGEX.
 *
 *   npx tsx examples/tail-grep.ts /var/log/syslog 'error|warn'
 *
 * Ctrl-C (SIGINT) stops it cleanly: a shutdownMicroprocess travels down the
 * Pipeline, every component closes what it opened, and the process exits 0.
 */
import { ConsoleEchoer, Follow, Grep, Pipeline, System, shutdownMicroprocess } from "../src/index.js";

const [file, pattern] = process.argv.slice(2);
if (file === undefined || pattern === undefined) {
  console.error("usage: tail-grep FILE REGEX");
  process.exit(2);
}

const system = new System();
const follow = new Follow(file);
const pipeline = Pipeline(follow, new Grep(new RegExp(pattern)), new ConsoleEchoer({ eol: "\n" }));
process.once("SIGINT", () => follow.control.deliver(shutdownMicroprocess(), "SIGINT"));
try {
  await pipeline.run(system);
  process.exitCode = 0;
} catch (e) {
  console.error(String(e instanceof Error ? e.message : e));
  process.exitCode = 1;
}
