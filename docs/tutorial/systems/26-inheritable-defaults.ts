// Inheritable defaults, as in the slides: settings are fields with default
// values; a subclass overrides them; create({...}) overrides them per
// instance, and a misspelt setting does not compile. ServerCore's listener
// and per-connection socket adapter (Kamaelia's TCPS and CSA) are settings
// too, so a server can be reconfigured deep down without rewriting it.
import type { Socket } from "node:net";
import {
  ConnectedSocketAdapter,
  DataSource,
  LineDeFramer,
  LineFramer,
  Pipeline,
  PureTransformer,
  ServerCore,
  TCPClient,
} from "../../../src/index.js";

/** Not SMTP: it answers every line with "250 ok". */
const SMTPProtocol = () => Pipeline(new LineDeFramer(), PureTransformer((line: string) => `250 ok: ${line}`), new LineFramer());

class MailServer extends ServerCore {
  override port = 25;
  override protocol = SMTPProtocol;
}

/** The slides' MyDebugWrapper(ConnectedSocketAdapter): says when it takes a socket. */
class DebugAdapter extends ConnectedSocketAdapter {
  override attach(socket: Socket): this {
    console.log("debug: adapter attached to a new connection");
    return super.attach(socket);
  }
}

class MyReconfiguredMailServer extends MailServer {
  override ConnectedSocketAdapter = DebugAdapter;
}

// MailServer.create().run() would listen on 25; MailServer.create({ port: 8025 })
// on 8025. Port 0 lets the system choose one that is free.
const server = MyReconfiguredMailServer.create({ port: 0 });
console.log("protocol inherited from MailServer:", server.protocol === SMTPProtocol);
const serving = server.run();
const { port } = await server.listening();

await Pipeline(
  DataSource("HELO europython\n"),
  new TCPClient("127.0.0.1", port),
  new LineDeFramer(),
  PureTransformer((reply: string) => console.log(reply)),
)
  .activate()
  .finished();

server.stop();
await serving;
