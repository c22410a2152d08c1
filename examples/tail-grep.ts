/**
 * The seeds' Follow/Grep walk-through: follow FILE from its current end,
 * like `tail -f`, and print each newly appended line matching REGEX.
 *
 *   npx tsx examples/tail-grep.ts /var/log/syslog 'error|warn'
 *
 * Ctrl-C (SIGINT) or SIGTERM ends it cleanly (see `shutdownOnSignals`):
 * Follow is sent `producerFinished`, so it reads the file to its end first
 * (lines appended just before Ctrl-C are printed too), then everything
 * finishes and the process exits 0. Piped into `head`, it ends quietly when
 * `head` has had enough. A bad REGEX, a missing file or a directory is one
 * line on stderr and exit status 1 (2 for bad usage).
 */
import { ConsoleEchoer, Follow, Grep, Pipeline, System, UsageError, runMain, shutdownOnSignals, shutdownMicroprocess } from "../src/index.js";

await runMain("tail-grep", async () => {
  const [file, pattern, ...rest] = process.argv.slice(2);
  if (file === undefined || pattern === undefined || rest.length > 0) throw new UsageError("usage: tail-grep FILE REGEX");
  let regex: RegExp;
  try {
    regex = new RegExp(pattern);
  } catch (e) {
    throw new UsageError(`bad REGEX ${JSON.stringify(pattern)}: ${(e as Error).message}`);
  }
  const system = new System();
  const follow = new Follow(file);
  const echoer = new ConsoleEchoer({ eol: "\n" });
  const pipeline = Pipeline(follow, new Grep(regex), echoer);
  shutdownOnSignals(follow);
  // The reader of our output has gone (e.g. `| head`): nothing more can be printed, so stop following.
  void echoer.finished().then(() => {
    if (echoer.outputClosed && !follow.isFinished()) follow.control.deliver(shutdownMicroprocess(), "tail-grep");
  });
  await pipeline.run(system);
});
