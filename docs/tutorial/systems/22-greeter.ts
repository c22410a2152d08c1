// The tutorial's greeter server. As in the slides, a server is a ServerCore
// with inheritable defaults: the port, and a protocol factory that makes
// one component for each connection. LineDeFramer/LineFramer turn the
// socket's bytes into lines and back (Python's sockets gave the slides
// strings; Node gives Buffers).
import { DataSource, LineDeFramer, LineFramer, Pipeline, PureTransformer, ServerCore, TCPClient } from "../../../src/index.js";

function greeter() {
  return Pipeline(new LineDeFramer(), PureTransformer((x: string) => "hello " + x), new LineFramer());
}

class GreeterServer extends ServerCore {
  override port = 1601;
  override protocol = greeter;
}

// GreeterServer.create().run() serves on 1601 for ever; here, port 0 (any
// free port), one client, then stop.
const server = GreeterServer.create({ port: 0 });
const serving = server.run();
const { port } = await server.listening();

// The client: send two lines, close our side, print what comes back.
// (run() would wait for the whole system, server included: finished()
// waits for this one component.)
const client = Pipeline(
  DataSource("world\n", "Europython\n"),
  new TCPClient("127.0.0.1", port),
  new LineDeFramer(),
  PureTransformer((reply: string) => console.log(reply)),
);
await client.activate().finished();

server.stop();
await serving;
