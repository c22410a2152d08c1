/**
 * BoardStore: the one component that owns the bulletin board's users and
 * messages and writes them to disk.
 *
 * @module
 */
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from "node:crypto";
import { mkdir, stat, unlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { Component, KamaeliaError, type Inbox } from "../../src/index.js";
import { readJson, removeLeftovers, writeJsonAtomic } from "./atomic-json.js";
import type { BoardState } from "./state.js";

/** The name the store is registered under in the services registry. */
export const STORE_SERVICE = "BULLETIN_BOARD_STORE";

/** A message on the board. */
export interface BoardMessage {
  /** Its number: given once, never reused, so `read 5` means the same message to everyone. */
  readonly id: number;
  readonly author: string;
  readonly subject: string;
  readonly body: readonly string[];
  /** When it was posted (ISO 8601). */
  readonly posted: string;
}

/** What the store keeps about a user. */
interface UserRecord {
  salt: string;
  hash: string;
  created: string;
  lastLogin: string | null;
  lastRead: number;
}

/** What a user finds when they log in. */
export interface Welcome {
  /** Messages on the board. */
  readonly total: number;
  /** Messages numbered above the user's saved read position. */
  readonly unread: number;
  /** The saved read position. */
  readonly lastRead: number;
  /** The previous login, if any. */
  readonly lastLogin: string | null;
}

/** Each request the store takes: its arguments and its result. */
export interface StoreOps {
  /** Check a password, registering the user if the name is new. */
  login: {
    args: { user: string; password: string; address?: string };
    /** `throttled`: too many failures from this address; seconds until it may try again (the password was not checked). */
    result: { ok: true; registered: boolean } | { ok: false; throttled?: number };
  };
  /** Load the user's saved state into `session` and list them as online. */
  retrieve: { args: { session: BoardState }; result: Welcome };
  list: { args: Record<string, never>; result: BoardMessage[] };
  read: { args: { id: number }; result: BoardMessage | null };
  post: { args: { author: string; subject: string; body: string[] }; result: BoardMessage };
  delete: { args: { user: string; id: number }; result: "deleted" | "missing" | "not yours" };
  who: { args: Record<string, never>; result: string[] };
  /** Save the session's state and take it off the online list. */
  logout: { args: { session: BoardState }; result: null };
}

/** The name of a request. */
export type StoreOp = keyof StoreOps;

/** A request to the store; the answer is delivered to `reply`. */
export interface StoreRequest<K extends StoreOp = StoreOp> {
  readonly op: K;
  readonly args: StoreOps[K]["args"];
  readonly reply: Inbox<StoreReply>;
}

/** The store's answer: the result, or why it failed (nothing was changed then). */
export type StoreReply = { ok: true; value: unknown } | { ok: false; error: Error };

/** Raised for a request the store does not understand. */
export class StoreError extends KamaeliaError {}

const SCRYPT: ScryptOptions = { N: 16384, r: 8, p: 1 };
const KEY_LENGTH = 32;

function hashPassword(password: string, salt: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize("NFC"), salt, KEY_LENGTH, SCRYPT, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

/**
 * Owns the board: users (passwords as salted scrypt hashes, never in clear,
 * and each user's read position) and messages, kept in `dir` as
 * `users.json` and `messages.json`. Every connection's stages send it
 * requests; it handles them one at a time, so concurrent users cannot
 * clobber each other, and each change is on disk (written atomically:
 * temporary file, fsync, rename) before it is answered. If a write fails the
 * change is undone in memory and the request answered with the error.
 *
 * Register it with `system.services.register(STORE_SERVICE, store)` (done by
 * `startBulletinBoard`); stages find it with `waitService(STORE_SERVICE)`.
 *
 * Shutdown: `producerFinished` answers every request already waiting, then
 * saves the read position of everyone still online and stops;
 * `shutdownMicroprocess` answers waiting requests with an error instead,
 * then saves likewise. Either is then passed on.
 */
export class BoardStore extends Component<StoreRequest, never> {
  static override inboxes = {
    inbox: "StoreRequests from the stages of every connection; each answered on its own reply inbox",
    control: "producerFinished: answer what waits, save who is online, stop; shutdownMicroprocess: refuse what waits, save, stop",
  };
  static override outboxes = { outbox: "unused", signal: "the shutdown message, passed on once everything is saved" };

  /** The directory holding users.json and messages.json. */
  dir = "";
  /** Failed logins allowed from one address within `failureWindowMs`; then its logins are refused until the window ends. */
  maxFailuresPerAddress = 10;
  /** The window for `maxFailuresPerAddress`, in ms. */
  failureWindowMs = 10 * 60_000;
  /** Temporary files left by a crash, removed when the board started. */
  leftovers: string[] = [];
  // Per address: failures and when the first of them was. Bounded: the oldest address is forgotten first.
  private readonly failures = new Map<string, { count: number; since: number }>();

  private users = new Map<string, UserRecord>();
  private messages: BoardMessage[] = [];
  private nextId = 1;
  private readonly sessions = new Set<BoardState>();
  private loaded: Promise<void> | null = null;

  private get usersFile(): string {
    return join(this.dir, "users.json");
  }

  private get messagesFile(): string {
    return join(this.dir, "messages.json");
  }

  /** Read the files in `dir` (once); rejects with the reason if they cannot be read. */
  load(): Promise<void> {
    return (this.loaded ??= this.readFiles());
  }

  private async readFiles(): Promise<void> {
    if (this.dir === "") throw new StoreError("BAD_SETTING", `${this.name}: no data directory: give one, e.g. BoardStore.create({ dir: "./board" })`);
    try {
      await mkdir(this.dir, { recursive: true });
      if (!(await stat(this.dir)).isDirectory()) throw Object.assign(new Error("it is not a directory"), { code: "ENOTDIR" });
      this.leftovers = await removeLeftovers(this.dir);
      // Find out now, not at the first post, whether it can be written.
      const probe = join(this.dir, `.probe.${process.pid}`);
      await writeFile(probe, "");
      await unlink(probe);
    } catch (e) {
      throw new StoreError("BAD_DATA_DIR", `${this.name}: cannot use "${this.dir}" as the data directory: ${explainFsError(e)}`, { cause: e });
    }
    const u = (await readJson(this.usersFile, { users: {} })) as { users?: Record<string, UserRecord> };
    const m = (await readJson(this.messagesFile, { nextId: 1, messages: [] })) as { nextId?: number; messages?: BoardMessage[] };
    if (typeof u.users !== "object" || u.users === null) throw new StoreError("BAD_DATA", `${this.name}: ${this.usersFile} has no "users" object`);
    if (!Array.isArray(m.messages) || typeof m.nextId !== "number") {
      throw new StoreError("BAD_DATA", `${this.name}: ${this.messagesFile} lacks "nextId" (a number) or "messages" (an array)`);
    }
    this.users = new Map(Object.entries(u.users));
    this.messages = m.messages;
    this.nextId = m.nextId;
  }

  async main(): Promise<void> {
    await this.load();
    for (;;) {
      const kind = this.checkShutdown();
      if (kind === "stop") break;
      if (this.dataReady() > 0) {
        await this.handle(this.recv());
        continue;
      }
      if (kind === "finish") break;
      await this.readyAsync();
    }
    while (this.dataReady() > 0) {
      const req = this.recv();
      this.answer(req, { ok: false, error: new StoreError("STOPPED", `${this.name}: the board is shutting down; request "${String(req.op)}" was not carried out`) });
    }
    for (const s of [...this.sessions]) await this.logout({ session: s }).catch(() => undefined);
    this.passOnShutdown();
  }

  private answer(req: StoreRequest, reply: StoreReply): void {
    req.reply.deliver(reply, this.name);
  }

  private async handle(req: StoreRequest): Promise<void> {
    let reply: StoreReply;
    try {
      reply = { ok: true, value: await this.perform(req) };
    } catch (e) {
      reply = { ok: false, error: e instanceof Error ? e : new Error(String(e)) };
    }
    this.answer(req, reply);
  }

  private perform(req: StoreRequest): Promise<unknown> {
    switch (req.op) {
      case "login":
        return this.login(req.args as StoreOps["login"]["args"]);
      case "retrieve":
        return this.retrieve(req.args as StoreOps["retrieve"]["args"]);
      case "list":
        return Promise.resolve(this.messages.slice());
      case "read":
        return Promise.resolve(this.messages.find((m) => m.id === (req.args as StoreOps["read"]["args"]).id) ?? null);
      case "post":
        return this.post(req.args as StoreOps["post"]["args"]);
      case "delete":
        return this.remove(req.args as StoreOps["delete"]["args"]);
      case "who":
        return Promise.resolve([...new Set([...this.sessions].map((s) => s.user!))].sort());
      case "logout":
        return this.logout(req.args as StoreOps["logout"]["args"]);
      default:
        return Promise.reject(new StoreError("BAD_REQUEST", `${this.name}.inbox: unknown request ${JSON.stringify(String((req as { op: unknown }).op))}`));
    }
  }

  private async login({ user, password, address }: StoreOps["login"]["args"]): Promise<StoreOps["login"]["result"]> {
    const now = Date.now();
    const tried = address === undefined ? undefined : this.failures.get(address);
    if (tried !== undefined && now - tried.since >= this.failureWindowMs) this.failures.delete(address!);
    else if (tried !== undefined && tried.count >= this.maxFailuresPerAddress) {
      return { ok: false, throttled: Math.ceil((tried.since + this.failureWindowMs - now) / 1000) };
    }
    const known = this.users.get(user);
    if (known !== undefined) {
      const key = await hashPassword(password, Buffer.from(known.salt, "hex"));
      if (timingSafeEqual(key, Buffer.from(known.hash, "hex"))) return { ok: true, registered: false };
      if (address !== undefined) this.failed(address, now);
      return { ok: false };
    }
    const salt = randomBytes(16);
    const key = await hashPassword(password, salt);
    const record: UserRecord = { salt: salt.toString("hex"), hash: key.toString("hex"), created: new Date().toISOString(), lastLogin: null, lastRead: 0 };
    this.users.set(user, record);
    await this.change(() => this.users.delete(user), this.usersFile);
    return { ok: true, registered: true };
  }

  private async retrieve({ session }: StoreOps["retrieve"]["args"]): Promise<Welcome> {
    const record = this.userRecord(session.user);
    const welcome: Welcome = {
      total: this.messages.length,
      unread: this.messages.filter((m) => m.id > record.lastRead).length,
      lastRead: record.lastRead,
      lastLogin: record.lastLogin,
    };
    const previous = record.lastLogin;
    record.lastLogin = new Date().toISOString();
    await this.change(() => (record.lastLogin = previous), this.usersFile);
    session.lastRead = record.lastRead;
    session.online = true;
    this.sessions.add(session);
    return welcome;
  }

  private async post({ author, subject, body }: StoreOps["post"]["args"]): Promise<BoardMessage> {
    const message: BoardMessage = { id: this.nextId++, author, subject, body, posted: new Date().toISOString() };
    this.messages.push(message);
    await this.change(() => {
      this.messages.pop();
      this.nextId--;
    }, this.messagesFile);
    return message;
  }

  private async remove({ user, id }: StoreOps["delete"]["args"]): Promise<StoreOps["delete"]["result"]> {
    const i = this.messages.findIndex((m) => m.id === id);
    if (i < 0) return "missing";
    const message = this.messages[i]!;
    if (message.author !== user) return "not yours";
    this.messages.splice(i, 1);
    await this.change(() => this.messages.splice(i, 0, message), this.messagesFile);
    return "deleted";
  }

  private async logout({ session }: StoreOps["logout"]["args"]): Promise<null> {
    if (!this.sessions.delete(session)) return null;
    session.online = false;
    const record = this.userRecord(session.user);
    const previous = record.lastRead;
    // Two sessions of one user: the furthest either has read wins.
    record.lastRead = Math.max(record.lastRead, session.lastRead);
    await this.change(() => (record.lastRead = previous), this.usersFile);
    return null;
  }

  private userRecord(user: string | null): UserRecord {
    const record = user === null ? undefined : this.users.get(user);
    if (record === undefined) throw new StoreError("NO_SUCH_USER", `${this.name}: no user ${JSON.stringify(user)}`);
    return record;
  }

  /** Count a failed login from `address`. */
  private failed(address: string, now: number): void {
    const r = this.failures.get(address);
    if (r !== undefined && now - r.since < this.failureWindowMs) {
      r.count++;
      return;
    }
    this.failures.delete(address);
    if (this.failures.size >= 10_000) this.failures.delete(this.failures.keys().next().value!);
    this.failures.set(address, { count: 1, since: now });
  }

  /** Write `file` with the change just made in memory; if that fails, `undo` it and rethrow. */
  private async change(undo: () => unknown, file: string): Promise<void> {
    try {
      if (file === this.usersFile) await writeJsonAtomic(file, { users: Object.fromEntries(this.users) });
      else await writeJsonAtomic(file, { nextId: this.nextId, messages: this.messages });
    } catch (e) {
      undo();
      throw new StoreError("WRITE_FAILED", `${this.name}: could not save ${file}: ${(e as Error).message}`, { cause: e });
    }
  }
}

function explainFsError(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === "ENOTDIR" || code === "EEXIST") return "a file is in the way (it, or a folder on its path, is not a directory)";
  if (code === "EACCES" || code === "EPERM") return `permission denied (${code})`;
  if (code === "EROFS") return "the filesystem is read-only (EROFS)";
  if (code === "ENOSPC") return "no space left on the device (ENOSPC)";
  return e instanceof Error ? e.message : String(e);
}
