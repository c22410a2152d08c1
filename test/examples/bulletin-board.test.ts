import { after, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Component, Seq, System, producerFinished, shutdownMicroprocess, type Inbox, type Wait } from "../../src/index.js";
import {
  Authenticator,
  BoardState,
  BoardStore,
  MessageBoardUI,
  STORE_SERVICE,
  StateSaverLogout,
  UserRetriever,
  startBulletinBoard,
} from "../../examples/bulletin-board.js";
import type { StoreReply, StoreRequest } from "../../examples/bulletin-board/store.js";
import { client, until, within, type Client } from "../net/helpers.js";
import { killAfter, stopAfter } from "../support/cleanup.js";

const children = new Set<ReturnType<typeof spawn>>();
// A failed test must not leave its server running (and this file waiting for it).
after(() => {
  for (const c of children) if (c.exitCode === null) c.kill("SIGKILL");
});

/** The board as a real process; resolves once it prints its address. */
async function startBoard(dir: string) {
  const child = spawn(process.execPath, ["--import", "tsx", "examples/bulletin-board.ts", "--port", "0", "--data", dir], { stdio: ["ignore", "pipe", "pipe"] });
  killAfter(child);
  children.add(child);
  let out = "";
  child.stdout.on("data", (d: Buffer) => (out += d));
  child.stderr.on("data", (d: Buffer) => (out += d));
  const exited = new Promise<number | null>((r) => child.on("exit", (code) => r(code)));
  await until(() => /127\.0\.0\.1:(\d+)/.test(out) || child.exitCode !== null, "the board to start", 60_000);
  const m = /127\.0\.0\.1:(\d+)/.exec(out);
  assert.ok(m, `it printed its address: ${out}`);
  return {
    port: Number(m[1]),
    out: () => out,
    /** SIGTERM: a clean stop; resolves with the exit code. */
    stop: async () => {
      child.kill("SIGTERM");
      return within(exited, "the board to exit");
    },
  };
}

/** A conversation with the board: lines are consumed in order as they are expected. */
class Session {
  private seen = 0;
  constructor(readonly c: Client) {}

  send(...lines: string[]): void {
    this.c.write(lines.map((l) => `${l}\n`).join(""));
  }

  /** Wait for the next line matching `re` (skipping others); returns it. */
  async expect(re: RegExp): Promise<string> {
    let found: string | undefined;
    await until(() => {
      const lines = this.c.lines();
      for (; this.seen < lines.length; this.seen++) {
        if (re.test(lines[this.seen]!)) {
          found = lines[this.seen++];
          return true;
        }
      }
      return false;
    }, `a line matching ${re} (after: ${JSON.stringify(this.c.lines().slice(-5))})`);
    return found!;
  }

  /** The lines up to and including the next one matching `re`. */
  async upTo(re: RegExp): Promise<string[]> {
    const from = this.seen;
    await this.expect(re);
    return this.c.lines().slice(from, this.seen);
  }

  /** Log in (registering if new); resolves with the greeting line. */
  async login(user: string, password: string): Promise<string> {
    await this.expect(/^Username:$/);
    this.send(user);
    await this.expect(/^Password:$/);
    this.send(password);
    const hello = await this.expect(/^Hello /);
    await this.expect(/^Type help for the commands\.$/);
    return hello;
  }
}

async function connectTo(port: number): Promise<Session> {
  return new Session(await client(port));
}

test("two users concurrently: register, post, list, read, who, delete, quit; all of it survives a restart", async () => {
  const dir = mkdtempSync(join(tmpdir(), "board-"));
  let board = await startBoard(dir);
  const [alice, bob] = await Promise.all([connectTo(board.port), connectTo(board.port)]);
  const [ga, gb] = await Promise.all([alice.login("alice", "alice-pw"), bob.login("Bob", "bob pw")]);
  assert.match(ga, /^Hello alice\. 0 messages on the board, 0 new\./);
  assert.match(gb, /^Hello bob\./, "usernames are case-insensitive");

  alice.send("who");
  assert.equal(await alice.expect(/^Online/), "Online (2): alice, bob");

  alice.send("post", "Hello from alice", "first line", "..leading dot", ".");
  assert.equal(await alice.expect(/^Posted/), "Posted #1.");
  bob.send("post", "Bob here", "hi", ".");
  assert.equal(await bob.expect(/^Posted/), "Posted #2.");

  bob.send("list");
  assert.deepEqual(await bob.upTo(/messages\.$/), ["#1 (new) alice: Hello from alice", "#2 (new) bob: Bob here", "2 messages."]);
  bob.send("read 1");
  const shown = await bob.upTo(/^\(end of #1\)$/);
  assert.match(shown[0]!, /^#1 from alice at \d{4}-\d\d-\d\dT/);
  assert.deepEqual(shown.slice(1), [
    "Subject: Hello from alice",
    "  first line",
    "  .leading dot",
    "(end of #1)",
  ]);
  bob.send("list");
  assert.deepEqual(await bob.upTo(/messages\.$/), ["#1 alice: Hello from alice", "#2 (new) bob: Bob here", "2 messages."]);

  alice.send("delete 2");
  assert.equal(await alice.expect(/^#2 is not yours/), "#2 is not yours; you can delete only your own messages.");
  alice.send("post", "Doomed", "x", ".");
  assert.equal(await alice.expect(/^Posted/), "Posted #3.");
  alice.send("delete 3");
  assert.equal(await alice.expect(/^Deleted/), "Deleted #3.");

  alice.send("quit");
  assert.equal(await alice.expect(/^Goodbye/), "Goodbye, alice.");
  await within(alice.c.closedPromise, "the board to close alice's connection");
  bob.send("who");
  assert.equal(await bob.expect(/^Online/), "Online (1): bob");
  bob.send("quit");
  await bob.expect(/^Goodbye, bob\.$/);
  await within(bob.c.closedPromise, "the board to close bob's connection");

  // Passwords are stored as salted hashes only.
  const users = JSON.parse(readFileSync(join(dir, "users.json"), "utf8")) as { users: Record<string, { salt: string; hash: string; lastRead: number }> };
  assert.deepEqual(Object.keys(users.users).sort(), ["alice", "bob"]);
  assert.ok(!readFileSync(join(dir, "users.json"), "utf8").includes("alice-pw"));
  assert.match(users.users.alice!.hash, /^[0-9a-f]{64}$/);
  assert.notEqual(users.users.alice!.salt, users.users.bob!.salt);

  assert.equal(await board.stop(), 0);
  board = await startBoard(dir);
  const bob2 = await connectTo(board.port);
  assert.match(await bob2.login("bob", "bob pw"), /^Hello bob\. 2 messages on the board, 1 new \(you had read up to #1\)\. Last login: /);
  bob2.send("list");
  assert.deepEqual(await bob2.upTo(/messages\.$/), ["#1 alice: Hello from alice", "#2 (new) bob: Bob here", "2 messages."]);
  bob2.send("read");
  await bob2.expect(/^#2 from bob at /);
  bob2.send("read");
  await bob2.expect(/^No unread messages\.$/);
  bob2.send("post", "After the restart", "still numbered on", ".");
  assert.equal(await bob2.expect(/^Posted/), "Posted #4.", "message numbers are never reused, even after a delete and a restart");
  bob2.send("quit");
  await bob2.expect(/^Goodbye/);
  assert.equal(await board.stop(), 0);
  rmSync(dir, { recursive: true, force: true });
});

test("a wrong password is rejected; three failures close the connection; the right one still works", async () => {
  const dir = mkdtempSync(join(tmpdir(), "board-"));
  const board = await startBoard(dir);
  const a = await connectTo(board.port);
  await a.login("carol", "right");
  a.send("quit");
  await within(a.c.closedPromise, "close");

  const b = await connectTo(board.port);
  for (let i = 0; i < 3; i++) {
    await b.expect(/^Username:$/);
    b.send("carol");
    await b.expect(/^Password:$/);
    b.send(`wrong${i}`);
    await b.expect(/^Login incorrect\.$/);
  }
  assert.equal(await b.expect(/^Too many/), "Too many failed logins (3); goodbye.");
  await within(b.c.closedPromise, "the board to close the connection");
  assert.ok(!b.c.lines().some((l) => l.startsWith("Hello")));

  const c = await connectTo(board.port);
  await c.expect(/^Username:$/);
  c.send("carol");
  await c.expect(/^Password:$/);
  c.send("nope");
  await c.expect(/^Login incorrect\.$/);
  assert.match(await c.login("carol", "right"), /^Hello carol\./);
  c.send("quit");
  await c.expect(/^Goodbye/);
  assert.equal(await board.stop(), 0);
  rmSync(dir, { recursive: true, force: true });
});

test("malformed input gets a clear reply and the session goes on", async () => {
  const dir = mkdtempSync(join(tmpdir(), "board-"));
  const board = await startBoard(dir);
  const s = await connectTo(board.port);
  await s.expect(/^Username:$/);
  s.send("no spaces allowed");
  await s.expect(/^A username is 1 to 32 letters/);
  await s.login("dave", "pw");
  s.send("frobnicate 7");
  assert.equal(await s.expect(/^Unknown/), 'Unknown command "frobnicate"; type help for the commands.');
  s.send("read abc");
  assert.equal(await s.expect(/^read:/), 'read: expected a message number, e.g. read 3 (got "abc").');
  s.send("read -1");
  await s.expect(/^read: expected a message number/);
  s.send("delete");
  assert.equal(await s.expect(/^delete:/), "delete: expected a message number, e.g. delete 3 (got nothing).");
  s.send("read 99");
  assert.equal(await s.expect(/^No message/), "No message #99; list shows the messages there are.");
  s.send("x".repeat(100_000));
  assert.match(await s.expect(/^Line ignored/), /^Line ignored: LineDeFramer\S*\.inbox: line longer than the limit of 4096 bytes/);
  s.send("post", "", "body", ".");
  assert.equal(await s.expect(/^Not posted/), "Not posted: a subject is 1 to 200 characters.");
  s.send("help");
  assert.deepEqual((await s.upTo(/^ {2}quit/)).slice(0, 1), ["Commands:"]);
  s.send("who");
  assert.equal(await s.expect(/^Online/), "Online (1): dave");
  s.send("quit");
  await s.expect(/^Goodbye, dave\.$/);
  assert.equal(await board.stop(), 0);
  rmSync(dir, { recursive: true, force: true });
});

test("a client that disconnects mid-session still has its read position saved", async () => {
  const dir = mkdtempSync(join(tmpdir(), "board-"));
  let board = await startBoard(dir);
  const w = await connectTo(board.port);
  await w.login("erin", "pw");
  for (let i = 1; i <= 3; i++) {
    w.send("post", `subject ${i}`, "body", ".");
    await w.expect(/^Posted/);
  }
  w.send("quit");
  await within(w.c.closedPromise, "close");

  const r = await connectTo(board.port);
  assert.match(await r.login("frank", "pw"), /3 new\./);
  r.send("read 2");
  await r.expect(/^\(end of #2\)$/);
  await r.c.close(); // no quit: the connection just drops, mid-session
  const usersFile = join(dir, "users.json");
  await until(() => (JSON.parse(readFileSync(usersFile, "utf8")) as { users: Record<string, { lastRead: number }> }).users.frank?.lastRead === 2, "frank's read position to be saved");
  const again = await connectTo(board.port);
  assert.match(await again.login("frank", "pw"), /3 messages on the board, 1 new \(you had read up to #2\)/);
  // Still logged in when the server is stopped: the store saves where it had got to.
  again.send("read 3");
  await again.expect(/^\(end of #3\)$/);
  assert.equal(await board.stop(), 0);
  board = await startBoard(dir);
  const last = await connectTo(board.port);
  assert.match(await last.login("frank", "pw"), /0 new \(you had read up to #3\)/);
  await last.c.close();
  assert.equal(await board.stop(), 0);
  rmSync(dir, { recursive: true, force: true });
});

test("many users posting at once: every message kept once, numbered without gaps", async () => {
  const dir = mkdtempSync(join(tmpdir(), "board-"));
  const board = await startBoard(dir);
  const users = 8;
  const posts = 5;
  await Promise.all(
    Array.from({ length: users }, async (_, u) => {
      const s = await connectTo(board.port);
      await s.login(`user${u}`, `pw${u}`);
      // Typed ahead: every post sent at once, without waiting for replies.
      for (let p = 0; p < posts; p++) s.send("post", `u${u} p${p}`, `from user${u}`, ".");
      s.send("quit");
      await s.expect(/^Goodbye/);
      assert.equal(s.c.lines().filter((l) => l.startsWith("Posted #")).length, posts);
    }),
  );
  const saved = JSON.parse(readFileSync(join(dir, "messages.json"), "utf8")) as { nextId: number; messages: { id: number; subject: string }[] };
  assert.equal(saved.messages.length, users * posts);
  assert.deepEqual(saved.messages.map((m) => m.id), Array.from({ length: users * posts }, (_, i) => i + 1));
  assert.equal(new Set(saved.messages.map((m) => m.subject)).size, users * posts);
  assert.equal(saved.nextId, users * posts + 1);
  const savedUsers = JSON.parse(readFileSync(join(dir, "users.json"), "utf8")) as { users: Record<string, unknown> };
  assert.equal(Object.keys(savedUsers.users).length, users);
  assert.equal(await board.stop(), 0);
  rmSync(dir, { recursive: true, force: true });
});

test("a data file that is not JSON stops the board from starting, naming the file; it is left untouched", async () => {
  const dir = mkdtempSync(join(tmpdir(), "board-"));
  writeFileSync(join(dir, "messages.json"), "{ torn");
  const child = spawn(process.execPath, ["--import", "tsx", "examples/bulletin-board.ts", "--port", "0", "--data", dir], { stdio: ["ignore", "pipe", "pipe"] });
  killAfter(child);
  let out = "";
  child.stdout.on("data", (d: Buffer) => (out += d));
  child.stderr.on("data", (d: Buffer) => (out += d));
  const code = await within(new Promise<number | null>((r) => child.on("exit", (c) => r(c))), "the board to exit", 60_000);
  assert.notEqual(code, 0);
  assert.match(out, /messages\.json is not valid JSON/);
  assert.equal(readFileSync(join(dir, "messages.json"), "utf8"), "{ torn");
  rmSync(dir, { recursive: true, force: true });
});

/** Sends the store requests and collects its replies. */
class Asker extends Component<never, StoreRequest> {
  readonly replies = this.addInbox<StoreReply>("replies");
  *main(): Wait {
    for (;;) {
      this.pause();
      yield;
    }
  }
  ask(req: Omit<StoreRequest, "reply">): void {
    this.send({ ...req, reply: this.replies as Inbox<StoreReply> } as StoreRequest);
  }
}

for (const kind of ["finish", "stop"] as const) {
  test(`BoardStore: ${kind === "finish" ? "producerFinished answers what waits" : "shutdownMicroprocess refuses what waits"}, saves who is online, passes it on`, async () => {
    const dir = mkdtempSync(join(tmpdir(), "board-"));
    const system = new System();
    const store = BoardStore.create<BoardStore>({ dir });
    await store.load();
    const asker = new Asker();
    const signals: unknown[] = [];
    const sink = new (class extends Component {
      *main(): Wait {
        for (;;) {
          signals.push(yield* this.waitRecv("control"));
        }
      }
    })();
    asker.link(asker.outbox, store.inbox);
    store.link(store.signal, sink.control);
    for (const c of [store, asker, sink]) c.activate(system);
    const done = system.run();
    const session = new BoardState({ peer: "127.0.0.1", peerPort: 1, localIp: "127.0.0.1", localPort: 2 });
    asker.ask({ op: "login", args: { user: "gina", password: "pw" } });
    await until(() => asker.replies.length === 1, "login");
    session.user = "gina";
    asker.ask({ op: "retrieve", args: { session } });
    await until(() => asker.replies.length === 2, "retrieve");
    session.lastRead = 7;
    // A request and the shutdown arrive together.
    asker.ask({ op: "post", args: { author: "gina", subject: "s", body: [] } });
    store.control.deliver(kind === "finish" ? producerFinished() : shutdownMicroprocess(), "test");
    await within(store.finished(), "the store to finish");
    await until(() => signals.length === 1, "the shutdown passed on");
    assert.equal(signals[0]?.constructor.name, kind === "finish" ? "ProducerFinished" : "ShutdownMicroprocess");
    const replies = [asker.replies.take(), asker.replies.take(), asker.replies.take()];
    assert.ok(replies[0]!.ok && replies[1]!.ok);
    const posted = replies[2]!;
    if (kind === "finish") {
      assert.ok(posted.ok);
      const messages = JSON.parse(readFileSync(join(dir, "messages.json"), "utf8")) as { messages: unknown[] };
      assert.equal(messages.messages.length, 1);
    } else {
      assert.ok(!posted.ok);
      assert.match(posted.error.message, /BoardStore\S*: the board is shutting down; request "post" was not carried out/);
    }
    const users = JSON.parse(readFileSync(join(dir, "users.json"), "utf8")) as { users: Record<string, { lastRead: number }> };
    assert.equal(users.users.gina!.lastRead, 7, "the online user's read position is saved");
    asker.stop();
    sink.stop();
    await within(done, "the system to finish");
    rmSync(dir, { recursive: true, force: true });
  });
}

/** Records what arrives on its inbox and control. */
class Recorder extends Component<string> {
  readonly lines: string[] = [];
  readonly signals: unknown[] = [];
  *main(): Wait {
    for (;;) {
      while (this.dataReady() > 0) this.lines.push(this.recv());
      while (this.dataReady("control") > 0) this.signals.push(this.recv("control"));
      this.pause();
      yield;
    }
  }
}

for (const kind of ["finish", "stop"] as const) {
  test(`the Seq of stages: ${kind === "finish" ? "input ending runs the remaining phases, saving state" : "shutdownMicroprocess stops the running phase and skips the rest"}`, async () => {
    const dir = mkdtempSync(join(tmpdir(), "board-"));
    const system = new System();
    const store = BoardStore.create<BoardStore>({ dir });
    await store.load();
    system.services.register(STORE_SERVICE, store);
    const state = new BoardState({ peer: "127.0.0.1", peerPort: 1, localIp: "127.0.0.1", localPort: 2 });
    const seq = Seq(new Authenticator(state), new UserRetriever(state), new MessageBoardUI(state), new StateSaverLogout(state));
    const out = new Recorder();
    out.link(seq.outbox, out.inbox);
    out.link(seq.signal, out.control);
    for (const c of [store, seq, out]) c.activate(system);
    const done = system.run();
    // Typed ahead in one go: what one phase was handed but did not read goes to the next.
    for (const line of ["hana", "pw", "post", "subject", "body", ".", "read 1"]) seq.inbox.deliver(line, "test");
    await until(() => out.lines.includes("(end of #1)"), "the message to be read");
    assert.equal(state.lastRead, 1);
    seq.control.deliver(kind === "finish" ? producerFinished() : shutdownMicroprocess(), "test");
    await within(seq.finished(), "the Seq to finish");
    await until(() => out.signals.length === 1, "the Seq's signal");
    assert.equal(out.signals[0]?.constructor.name, kind === "finish" ? "ProducerFinished" : "ShutdownMicroprocess");
    const saved = () => (JSON.parse(readFileSync(join(dir, "users.json"), "utf8")) as { users: Record<string, { lastRead: number }> }).users.hana!.lastRead;
    if (kind === "finish") {
      assert.equal(state.online, false, "StateSaverLogout ran and logged the user out");
      assert.equal(saved(), 1);
    } else {
      assert.equal(state.online, true, "StateSaverLogout was skipped");
      assert.equal(saved(), 0);
    }
    store.control.deliver(producerFinished(), "test");
    await within(store.finished(), "the store to finish");
    // Whoever is still online when the store stops has their state saved then.
    assert.equal(saved(), 1);
    out.stop();
    await within(done, "the system to finish");
    rmSync(dir, { recursive: true, force: true });
  });
}

test("start-up removes temporary files a crash left; the data itself is intact", async () => {
  const dir = mkdtempSync(join(tmpdir(), "board-"));
  writeFileSync(join(dir, "messages.json"), JSON.stringify({ nextId: 2, messages: [{ id: 1, author: "ann", subject: "kept", body: [], posted: "2026-01-01T00:00:00.000Z" }] }));
  writeFileSync(join(dir, "messages.json.4242.7.tmp"), "{ half a wri");
  writeFileSync(join(dir, "users.json.4242.8.tmp"), "");
  writeFileSync(join(dir, "notes.txt"), "not ours");
  const board = await startBoard(dir);
  assert.deepEqual(readdirSync(dir).sort(), ["messages.json", "notes.txt"]);
  const s = await connectTo(board.port);
  await s.login("dan", "pw");
  s.send("list");
  assert.deepEqual(await s.upTo(/messages?\.$/), ["#1 (new) ann: kept", "1 message."]);
  s.send("quit");
  await s.expect(/^Goodbye/);
  assert.equal(await board.stop(), 0);
  rmSync(dir, { recursive: true, force: true });
});

test("control characters and terminal escape sequences are stripped from what a user sends before others see it", async () => {
  const dir = mkdtempSync(join(tmpdir(), "board-"));
  const board = await startBoard(dir);
  const [eve, fay] = await Promise.all([connectTo(board.port), connectTo(board.port)]);
  await eve.login("eve", "pw");
  await fay.login("fay", "pw");
  eve.send("post", "\x1b[2J\x1b]0;pwned\x07Hello\x07 there\x9b31m", "a \x1b[31mred\x1b[0m line\x08\x08", "tab\tkept\x00", ".");
  await eve.expect(/^Posted #1\.$/);
  fay.send("read 1");
  const shown = await fay.upTo(/^\(end of #1\)$/);
  assert.deepEqual(shown.slice(1), ["Subject: Hello there", "  a red line", "  tab\tkept", "(end of #1)"]);
  // eslint-disable-next-line no-control-regex -- looking for control characters
  assert.ok(!/[\x00-\x08\x0b-\x1f\x7f-\x9f]/.test(readFileSync(join(dir, "messages.json"), "utf8").replace(/\\u00[0-9a-f]{2}/g, (m) => JSON.parse(`"${m}"`) as string)));
  eve.send("quit");
  fay.send("quit");
  await eve.expect(/^Goodbye/);
  assert.equal(await board.stop(), 0);
  rmSync(dir, { recursive: true, force: true });
});

test("a post over the size cap is refused with a clear message and nothing is stored", async () => {
  const dir = mkdtempSync(join(tmpdir(), "board-"));
  const board = await startBoard(dir);
  const s = await connectTo(board.port);
  await s.login("gus", "pw");
  const line = "x".repeat(200);
  s.send("post", "big", ...Array.from({ length: 100 }, () => line), ".");
  assert.equal(await s.expect(/^Not posted/), `Not posted: a message is at most 16384 bytes (this one had ${3 + 100 * 201}).`);
  s.send("list");
  await s.expect(/^No messages yet/);
  s.send("quit");
  await s.expect(/^Goodbye/);
  assert.equal(await board.stop(), 0);
  rmSync(dir, { recursive: true, force: true });
});

test("failed logins are throttled per address as well as per connection: reconnecting does not buy more guesses", async () => {
  const dir = mkdtempSync(join(tmpdir(), "board-"));
  const system = stopAfter(new System());
  const board = await startBulletinBoard({ dir, port: 0, system, maxFailuresPerAddress: 4 });
  try {
    const a = await connectTo(board.address.port);
    await a.login("hal", "right");
    a.send("quit");
    await within(a.c.closedPromise, "close");
    const guess = async (s: Session, password: string) => {
      await s.expect(/^Username:$/);
      s.send("hal");
      await s.expect(/^Password:$/);
      s.send(password);
    };
    const b = await connectTo(board.address.port);
    for (let i = 0; i < 3; i++) {
      await guess(b, `wrong${i}`);
      await b.expect(/^Login incorrect\.$/);
    }
    await within(b.c.closedPromise, "the per-connection limit to close it");
    const c = await connectTo(board.address.port);
    await guess(c, "wrong3");
    await c.expect(/^Login incorrect\.$/);
    // The fifth try from this address is refused without the password being checked, even the right one.
    await guess(c, "right");
    assert.equal(await c.expect(/^Too many/), "Too many failed logins from your address; try again in 10 minute(s). Goodbye.");
    await within(c.c.closedPromise, "the connection to close");
    assert.ok(!c.c.lines().some((l) => l.startsWith("Hello")));
  } finally {
    await board.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a --data path it cannot use is one line on stderr and exit status 1", async () => {
  const dir = mkdtempSync(join(tmpdir(), "board-"));
  const file = join(dir, "a-file");
  writeFileSync(file, "");
  for (const data of [file, join(file, "below")]) {
    const child = killAfter(spawn(process.execPath, ["--import", "tsx", "examples/bulletin-board.ts", "--port", "0", "--data", data], { stdio: ["ignore", "pipe", "pipe"] }));
    let err = "";
    child.stderr.on("data", (d: Buffer) => (err += d));
    const code = await within(new Promise<number | null>((r) => child.on("exit", (c) => r(c))), "the board to exit", 60_000);
    assert.equal(code, 1);
    assert.match(err, /^bulletin-board: BoardStore_\d+: cannot use ".*" as the data directory: a file is in the way \(it, or a folder on its path, is not a directory\)\n$/);
  }
  rmSync(dir, { recursive: true, force: true });
});
