/**
 * The seeds' bulletin board: a multi-user message board whose per-connection
 * protocol is a Seq of phases (authenticate, load the user, the board, save
 * and log out) sharing one state, as in the Europython '09 tutorial.
 *
 *   npx tsx examples/bulletin-board.ts --port 1503 --data ./board
 *   nc 127.0.0.1 1503
 *
 * Log in with any new username and a password to register; then `help`.
 * Users (passwords as salted scrypt hashes) and messages live in the data
 * directory as JSON, written atomically, so a restart or a crash loses
 * nothing that was acknowledged (temporary files a crash leaves are removed
 * at start-up). What users type reaches others without control characters or
 * escape sequences; posts are capped in size; failed logins are limited per
 * connection and per address. Ctrl-C or SIGTERM ends it cleanly (exit 0); a
 * data directory it cannot use is one line on stderr and exit status 1.
 *
 * @module
 */
import { pathToFileURL } from "node:url";
import { Graphline, Seq, System, UsageError, producerFinished, runMain, shutdownMicroprocess, shutdownOnSignals } from "../src/index.js";
import { LineDeFramer, LineFramer, ServerCore, type ConnectionInfo } from "../src/net/index.js";
import { Authenticator } from "./bulletin-board/authenticator.js";
import { MessageBoardUI } from "./bulletin-board/message-board-ui.js";
import { BoardState } from "./bulletin-board/state.js";
import { StateSaverLogout } from "./bulletin-board/state-saver-logout.js";
import { BoardStore, STORE_SERVICE } from "./bulletin-board/store.js";
import { UserRetriever } from "./bulletin-board/user-retriever.js";

export { Authenticator, BoardState, BoardStore, MessageBoardUI, STORE_SERVICE, StateSaverLogout, UserRetriever };

/**
 * One connection (Kamaelia's `CompositeBulletinBoardProtocol`): lines in,
 * `Seq(Authenticator, UserRetriever, MessageBoardUI, StateSaverLogout)`, lines
 * out. A Graphline rather than the original Pipeline so that a line too long
 * to read (over `maxLineLength` bytes) is skipped and reported to the stage
 * running, which tells the user, instead of closing the connection.
 */
export function bulletinBoardProtocol(info: ConnectionInfo, maxLineLength = 4096) {
  const state = new BoardState(info);
  return Graphline(
    {
      IN: LineDeFramer.create<LineDeFramer>({ maxLineLength, onBadFrame: "skip" }),
      SEQ: Seq(new Authenticator(state), new UserRetriever(state), new MessageBoardUI(state), new StateSaverLogout(state)),
      OUT: new LineFramer(),
    },
    {
      "self.inbox": "IN.inbox",
      "IN.outbox": "SEQ.inbox",
      "IN.errors": "SEQ.inbox",
      "IN.signal": "SEQ.control",
      "SEQ.outbox": "OUT.inbox",
      "SEQ.signal": "OUT.control",
      "OUT.outbox": "self.outbox",
      "OUT.signal": "self.signal",
    },
  );
}

/** The bulletin board server: a ServerCore whose protocol is {@link bulletinBoardProtocol}, on port 1503 by default. */
export class BulletinBoardServer extends ServerCore {
  override port = 1503;
  /** Longest line a client may send, in bytes; longer ones are skipped with a notice. */
  maxLineLength = 4096;
  override protocol = (info: ConnectionInfo) => bulletinBoardProtocol(info, this.maxLineLength);
}

/**
 * Load the board from `dir` (failing with the reason if its files cannot be
 * read), register its store as the service {@link STORE_SERVICE}, and start
 * listening. `stop()` closes every connection, then lets the store save the
 * read position of anyone still logged in; `done` resolves when all has stopped.
 */
export async function startBulletinBoard(options: {
  dir: string;
  port?: number;
  host?: string;
  system?: System;
  /** See {@link BoardStore.maxFailuresPerAddress}. */
  maxFailuresPerAddress?: number;
}) {
  const system = options.system ?? System.default;
  const store = BoardStore.create<BoardStore>({ dir: options.dir, maxFailuresPerAddress: options.maxFailuresPerAddress ?? 10 });
  await store.load();
  system.services.register(STORE_SERVICE, store);
  store.activate(system);
  const server = BulletinBoardServer.create<BulletinBoardServer>({ port: options.port ?? 1503, host: options.host ?? "127.0.0.1" });
  server.activate(system);
  const done = system.run();
  // Awaited below; if listening fails first, that failure is the one reported (this one is the same).
  done.catch(() => undefined);
  const address = await server.listening();
  const stop = async (): Promise<void> => {
    if (!server.isFinished()) server.control.deliver(shutdownMicroprocess(), "stop()");
    await server.finished();
    if (!store.isFinished()) store.control.deliver(producerFinished(), "stop()");
    await done;
  };
  return { server, store, address, done, stop };
}

/** `--name value` from the command line. */
function option(name: string, fallback?: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await runMain("bulletin-board", async () => {
    const dir = option("data");
    if (dir === undefined) throw new UsageError("usage: npx tsx examples/bulletin-board.ts --port 1503 --data DIR");
    const board = await startBulletinBoard({ dir, port: Number(option("port", "1503")) });
    const { host, port } = board.address;
    // Sessions first (each is answered, saved and closed with FIN), then the store, which saves who was online.
    shutdownOnSignals([board.server, board.store]);
    console.log(`Bulletin board running on ${host}:${port} with data in ${dir}; log in with: nc ${host} ${port}`);
    await board.done;
  });
}
