/**
 * The greeter: replies `hello <line>` to each line.
 *
 *   npx tsx examples/greeter-server.ts --port 1502
 *   echo world | nc 127.0.0.1 1502      # hello world
 *
 * Ctrl-C or SIGTERM: every connection is answered and closed (FIN), exit 0.
 * A port in use is one line on stderr and exit status 1.
 *
 * @module
 */
import { pathToFileURL } from "node:url";
import { Pipeline, PureTransformer, System, runMain, shutdownOnSignals } from "../src/index.js";
import { LineDeFramer, LineFramer, ServerCore } from "../src/net/index.js";

/** One connection: lines in, `hello <line>` out. */
export function greeter() {
  return Pipeline(new LineDeFramer(), PureTransformer((line: string) => `hello ${line}`), new LineFramer());
}

/** The greeter server, on port 1502 by default. */
export class GreeterServer extends ServerCore {
  override port = 1502;
  override protocol = greeter;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await runMain("greeter-server", async () => {
    const i = process.argv.indexOf("--port");
    const server = GreeterServer.create({ port: i >= 0 ? Number(process.argv[i + 1]) : 1502 });
    const done = server.run(System.default);
    // Awaited below; if listening fails first, that failure is the one reported (this one is the same).
    done.catch(() => undefined);
    const a = await server.listening();
    shutdownOnSignals(server);
    console.log(`Greeter running on ${a.host}:${a.port}; try: echo world | nc ${a.host} ${a.port}`);
    await done;
  });
}
