/**
 * The seeds' chat server: a Backplane shared by every connection.
 *
 *   npx tsx examples/chat-server.ts --port 1501
 *   nc 127.0.0.1 1501
 *
 * Every line a client sends is published on the "CHAT" backplane, prefixed
 * with the sender's address, and every connected client (the sender too)
 * receives it once, in the order it was sent. Joining and leaving are
 * announced the same way (`* 127.0.0.1:50312 joined`). Backpressure runs from
 * each socket back to the backplane, so a slow client slows the chat rather
 * than lines piling up; a client that reads nothing for `stallMs` is
 * disconnected, so it cannot hold the others back for longer.
 *
 * @module
 */
import { pathToFileURL } from "node:url";
import {
  Backplane,
  Component,
  Graphline,
  KamaeliaError,
  PublishTo,
  SubscribeTo,
  System,
  type Wait,
} from "../src/index.js";
import { LineDeFramer, LineFramer, ServerCore, type ConnectionInfo } from "../src/net/index.js";

/** Prefixes each line with who said it; announces the speaker joining and leaving. */
export class Speaker extends Component<string, string> {
  static override inboxes = { inbox: "lines the client typed", control: "producerFinished / shutdownMicroprocess" };
  static override outboxes = {
    outbox: "`* who joined`, then `who: line` for each line, then `* who left`",
    signal: "the shutdown message, passed on",
  };

  constructor(readonly who: string) {
    super();
  }

  *main(): Wait {
    yield* this.waitSend(`* ${this.who} joined`);
    const kind = yield* this.processMessages((line) => this.waitSend(`${this.who}: ${line}`));
    // After passing shutdown on: the publisher's inbox still leads to the backplane.
    if (kind !== null) this.trySend(`* ${this.who} left`);
  }
}

/**
 * Passes messages on to a client as fast as it takes them. Its inbox is
 * bounded, so a slow client slows the backplane down (no message is lost or
 * buffered without bound); a client that takes nothing for `stallMs` while
 * messages wait is not reading at all, and this fails (closing that
 * connection only, with the reason), so it cannot hold everyone back.
 */
export class StallGuard<T> extends Component<T, T> {
  static override inboxes = { inbox: "messages for the client", control: "producerFinished / shutdownMicroprocess" };
  static override outboxes = { outbox: "the same messages, as fast as the client takes them", signal: "the shutdown message, passed on" };

  /** How long a client may take nothing while messages wait for it, in ms. */
  stallMs = 10_000;
  /** Most messages waiting here. */
  pipewidth = 16;

  *main(): Wait {
    this.inbox.setSize(this.pipewidth);
    let timer: NodeJS.Timeout | null = null;
    let stalled = false;
    try {
      for (;;) {
        let moved = false;
        while (this.dataReady() > 0 && !this.outbox.isFull()) {
          this.send(this.recv());
          moved = true;
        }
        if (moved || this.dataReady() === 0) {
          if (timer !== null) clearTimeout(timer);
          timer = null;
        } else if (timer === null) {
          timer = setTimeout(() => {
            stalled = true;
            this.unpause();
          }, this.stallMs);
        }
        if (stalled) {
          throw new KamaeliaError("SLOW_CLIENT", `${this.name}: the client took nothing for ${this.stallMs} ms while ${this.dataReady()} messages waited: it is not reading`);
        }
        const kind = this.checkShutdown();
        if (kind === "stop" || (kind === "finish" && this.dataReady() === 0)) break;
        this.pause();
        yield;
      }
    } finally {
      if (timer !== null) clearTimeout(timer);
    }
    this.passOnShutdown();
  }
}

/**
 * One chat connection. The subscriber is listed first so it subscribes
 * before anything this client says is published: the client's own `joined`
 * line is the sign that it will receive everything said from then on.
 */
export function chatClient(info: ConnectionInfo, backplane = "CHAT", stallMs = 10_000) {
  const who = `${info.peer}:${info.peerPort}`;
  const sub = SubscribeTo<string>(backplane);
  const out = new LineFramer();
  // Bounded all the way from the backplane to the socket: a slow client slows the backplane, nothing piles up.
  sub.inbox.setSize(16);
  out.inbox.setSize(16);
  return Graphline(
    {
      SUB: sub,
      OUT: out,
      QUEUE: StallGuard.create<StallGuard<string>>({ stallMs }),
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
      "SUB.outbox": "OUT.inbox",
      "SUB.signal": "OUT.control",
      "OUT.outbox": "QUEUE.inbox",
      "OUT.signal": "QUEUE.control",
      "QUEUE.outbox": "self.outbox",
      "QUEUE.signal": "self.signal",
    },
  );
}

/** The chat server: a ServerCore whose protocol is {@link chatClient}, on port 1501 by default. */
export class ChatServer extends ServerCore {
  override port = 1501;
  /** How long a client may take nothing while lines wait for it before it is disconnected, in ms. */
  stallMs = 10_000;
  override protocol = (info: ConnectionInfo) => chatClient(info, "CHAT", this.stallMs);
}

/** Start the backplane and the server on `system`; resolves with the server once it listens. */
export async function startChat(options: { port?: number; host?: string; stallMs?: number; system?: System } = {}) {
  const system = options.system ?? System.default;
  Backplane<string>("CHAT").activate(system);
  const server = ChatServer.create({ port: options.port ?? 1501, host: options.host ?? "127.0.0.1", stallMs: options.stallMs ?? 10_000 });
  const done = server.run(system);
  const address = await server.listening();
  return { server, address, done };
}

/** `--name value` from the command line. */
export function option(name: string, fallback?: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const port = Number(option("port", "1501"));
  const { address, done } = await startChat({ port });
  console.log(`Chat server running on ${address.host}:${address.port}; join with: nc ${address.host} ${address.port}`);
  await done;
}
