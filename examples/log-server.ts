/**
 * The seeds' log server: one Follow + Grep, shared by every client through
 * a Backplane.
 *
 *   npx tsx examples/log-server.ts /var/log/syslog --port 8000 --grep pants
 *   nc 127.0.0.1 8000
 *
 * Every connected client receives each new line of FILE matching REGEX,
 * from the moment it connects; the file is followed once, however many
 * clients there are.
 *
 * @module
 */
import { pathToFileURL } from "node:url";
import { Backplane, Graphline, NullSink, Pipeline, PublishTo, SubscribeTo, System, UsageError, runMain, shutdownOnSignals } from "../src/index.js";
import { Follow, Grep } from "../src/file/index.js";
import { LineFramer, ServerCore } from "../src/net/index.js";

/** Start following `file` for lines matching `pattern`, and serve them on `port`; resolves once listening. */
export async function startLogServer(file: string, pattern: RegExp | string, options: { port?: number; system?: System } = {}) {
  const system = options.system ?? System.default;
  const backplane = Backplane<string>("LOG").activate(system);
  const follow = new Follow(file);
  Pipeline(follow, new Grep(pattern), PublishTo<string>("LOG")).activate(system);
  // Each client gets the shared lines; what a client types goes nowhere (a NullSink), so it cannot upset the framer.
  const protocol = () =>
    Graphline(
      { IGNORE: new NullSink(), LOG: SubscribeTo<string>("LOG"), FRAME: new LineFramer() },
      { "self.inbox": "IGNORE.inbox", "LOG.outbox": "FRAME.inbox", "FRAME.outbox": "self.outbox" },
    );
  const server = ServerCore.create({ port: options.port ?? 8000, protocol });
  const done = server.run(system);
  // Awaited below; if listening fails first, that failure is the one reported (this one is the same).
  done.catch(() => undefined);
  const address = await server.listening();
  // Follow failing (a missing file, a directory) before it starts fails the system; report that instead of waiting.
  await Promise.race([follow.started(), done.then(() => undefined)]);
  return { server, follow, backplane, address, done };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await runMain("log-server", async () => {
    const args = process.argv.slice(2);
    const opt = (n: string, d: string) => (args.includes(`--${n}`) ? args[args.indexOf(`--${n}`) + 1]! : d);
    const file = args.find((a, i) => !a.startsWith("--") && (i === 0 || !args[i - 1]!.startsWith("--")));
    if (file === undefined) throw new UsageError("usage: npx tsx examples/log-server.ts FILE [--port N] [--grep REGEX]");
    let pattern: RegExp;
    try {
      pattern = new RegExp(opt("grep", ""));
    } catch (e) {
      throw new UsageError(`bad --grep REGEX: ${(e as Error).message}`);
    }
    const { address, server, follow, backplane, done } = await startLogServer(file, pattern, { port: Number(opt("port", "8000")) });
    // Clients first (each gets what was already sent, then FIN), then the file is read to its end.
    shutdownOnSignals([server, follow, backplane]);
    console.log(`Serving new lines of ${file} matching ${String(pattern)} on ${address.host}:${address.port}; try: nc ${address.host} ${address.port}`);
    await done;
  });
}
