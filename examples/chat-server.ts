/**
 * The seeds' chat server: a Backplane shared by every connection.
 *
 *   npx tsx examples/chat-server.ts --port 1501 [--nats nats://127.0.0.1:4222]
 *   nc 127.0.0.1 1501
 *
 * With `--nats URL` the backplane is a NatsBackplane: chat servers on other
 * ports or machines connected to the same NATS share one chat.
 *
 * Every line a client sends is published on the "CHAT" backplane, prefixed
 * with the sender's address and already framed (ending in a newline, so it
 * is framed once, not once per client), and every connected client (the
 * sender too) receives it once, in the order it was sent. Joining and leaving are
 * announced the same way (`* 127.0.0.1:50312 joined`). Memory is bounded:
 * a client typing faster than the chat can carry is paced (its socket stops
 * being read while the backplane is behind), and a client that falls more
 * than `sendQ` lines behind (not reading, or reading too slowly) is
 * disconnected with one last line saying why, so it never holds the others
 * back. Ctrl-C (or SIGTERM) ends it cleanly: every client's connection is
 * finished (FIN) after the lines already said reach it, and it exits 0.
 *
 * @module
 */
import { pathToFileURL } from "node:url";
import {
  Backplane,
  Component,
  Graphline,
  PublishTo,
  SlowConsumer,
  SubscribeTo,
  System,
  runMain,
  shutdownOnSignals,
  type Wait,
} from "../src/index.js";
import { openNatsBackplane } from "../src/nats/index.js";
import { CloseConnection, LineDeFramer, ServerCore, type ConnectionInfo } from "../src/net/index.js";

/**
 * Prefixes each line with who said it and frames it (a newline at the end:
 * what goes on the backplane is what every client's socket writes, with no
 * framer per client); announces the speaker joining and leaving.
 */
export class Speaker extends Component<string, string> {
  static override inboxes = { inbox: "lines the client typed", control: "producerFinished / shutdownMicroprocess" };
  static override outboxes = {
    outbox: "`* who joined\\n`, then `who: line\\n` for each line, then `* who left\\n`",
    signal: "the shutdown message, passed on",
  };

  constructor(readonly who: string) {
    super();
  }

  *main(): Wait {
    yield* this.waitSend(`* ${this.who} joined\n`);
    for (;;) {
      const kind = this.checkShutdown();
      if (kind === "stop") break;
      if (this.dataReady() > 0) yield* this.waitSend(`${this.who}: ${this.recv()}\n`);
      else if (kind === "finish") break;
      else {
        this.pause();
        yield;
      }
    }
    // Before passing shutdown on (a shutdownMicroprocess stops the publisher at once),
    // and waiting for room, as every line does: a leave is never lost for a busy chat.
    yield* this.waitSend(`* ${this.who} left\n`);
    this.passOnShutdown();
  }
}

/**
 * Sits on a subscriber's shutdown path: when the backplane disconnects the
 * client as a slow consumer, it turns the {@link SlowConsumer} into a
 * {@link CloseConnection} whose last words tell the client why; anything
 * else is passed on unchanged.
 */
export class Farewell extends Component<never, never> {
  static override inboxes = { inbox: "unused", control: "shutdown messages from the subscriber" };
  static override outboxes = { outbox: "unused", signal: "the same message, or a CloseConnection for a SlowConsumer" };

  *main(): Wait {
    while (this.dataReady("control") === 0) {
      this.pause();
      yield;
    }
    const m = this.recv("control");
    if (m instanceof SlowConsumer) {
      const why = `you were disconnected: you did not keep up (${m.reason})`;
      this.send(new CloseConnection(this, `slow consumer: ${m.reason}`, `* ${why}\n`), "signal");
    } else {
      this.send(m, "signal");
    }
  }
}

/** Settings of one chat connection. */
export interface ChatClientOptions {
  /** The backplane's name (default "CHAT"). */
  backplane?: string;
  /** Lines that may wait for a client before it is disconnected as a slow consumer (default 512). */
  sendQ?: number;
}

/**
 * One chat connection. The subscriber is listed first so it subscribes
 * before anything this client says is published: the client's own `joined`
 * line is the sign that it will receive everything said from then on. Its
 * queue on the backplane holds `sendQ` lines; a client that falls that far
 * behind is disconnected (IRC's "SendQ exceeded") with one last line saying
 * why, so it never holds the others back. The lines on the backplane are
 * framed already, so what the subscriber passes on goes straight to the
 * socket: a hop fewer per delivery than a LineFramer per client (W7).
 */
export function chatClient(info: ConnectionInfo, options: ChatClientOptions = {}) {
  const backplane = options.backplane ?? "CHAT";
  const who = `${info.peer}:${info.peerPort}`;
  return Graphline(
    {
      SUB: SubscribeTo<string>(backplane, { policy: "disconnect", queueSize: options.sendQ ?? 512 }),
      BYE: new Farewell(),
      IN: new LineDeFramer(),
      SAY: new Speaker(who),
      PUB: PublishTo<string>(backplane),
    },
    {
      "self.inbox": "IN.inbox",
      "IN.outbox": "SAY.inbox",
      "IN.signal": "SAY.control",
      "SAY.outbox": "PUB.inbox",
      "SAY.signal": "PUB.control",
      "PUB.signal": "SUB.control",
      "SUB.outbox": "self.outbox",
      "SUB.signal": "BYE.control",
      "BYE.signal": "self.signal",
    },
  );
}

/** The chat server: a ServerCore whose protocol is {@link chatClient}, on port 1501 by default. */
export class ChatServer extends ServerCore {
  override port = 1501;
  /** Lines that may wait for a client before it is disconnected as a slow consumer. */
  sendQ = 512;
  /**
   * Chat lines are small, and a line goes to every client: 64 waiting per box (not the default 16) lets a
   * connection's socket write up to 64 lines at once, a system call per 64 lines rather than per 16 (W7:
   * ≈2× the deliveries per second), for at most 4× the memory per connection (lines are at most 64 KB).
   */
  override pipewidth = 64;
  /** A chat is quiet for long stretches: silent connections are closed after 30 minutes, not the default 5. */
  override idleTimeoutMs = 30 * 60_000;
  override protocol = (info: ConnectionInfo) => chatClient(info, { backplane: "CHAT", sendQ: this.sendQ });
}

/** Settings of {@link startChat}. */
export interface ChatOptions {
  /** Port to listen on (default 1501; 0 picks a free one). */
  port?: number;
  /** Address to listen on (default 127.0.0.1). */
  host?: string;
  /** See {@link ChatServer.sendQ}. */
  sendQ?: number;
  /** The system to run on (default System.default). */
  system?: System;
  /** Share the chat through the NATS server at this URL (a NatsBackplane instead of a local one). */
  nats?: string;
}

/**
 * Start the backplane and the server on `system`; resolves once it listens.
 * For a clean end, send `producerFinished` to `server`, then to `backplane`
 * (what `shutdownOnSignals([server, backplane])` does).
 */
export async function startChat(options: ChatOptions = {}) {
  const system = options.system ?? System.default;
  // With NATS, `backplane` is the NatsBackplane's local half and `nats` the bridge (shut that down: it passes shutdown on).
  const nats = options.nats === undefined ? null : (await openNatsBackplane<string>("CHAT", options.nats)).activate(system);
  const backplane = nats?.local ?? Backplane<string>("CHAT").activate(system);
  const server = ChatServer.create<ChatServer>({ port: options.port ?? 1501, host: options.host ?? "127.0.0.1", sendQ: options.sendQ ?? 512 });
  const done = server.run(system);
  // Awaited below; if listening fails first, that failure is the one reported (this one is the same).
  done.catch(() => undefined);
  const address = await server.listening();
  return { server, backplane, nats, address, done };
}

/** The chat server's components, built but not started: what `kamaelia graph examples/chat-server.ts` draws. */
export function graph() {
  return [Backplane<string>("CHAT"), ChatServer.create<ChatServer>({ host: "127.0.0.1" })];
}

/** `--name value` from the command line. */
export function option(name: string, fallback?: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await runMain("chat-server", async () => {
    const { address, server, backplane, nats, done } = await startChat({ port: Number(option("port", "1501")), nats: option("nats") });
    shutdownOnSignals([server, nats ?? backplane]);
    console.log(`Chat server running on ${address.host}:${address.port}; join with: nc ${address.host} ${address.port}`);
    await done;
  });
}
