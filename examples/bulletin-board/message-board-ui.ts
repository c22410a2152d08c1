/**
 * MessageBoardUI: the bulletin board's command phase.
 *
 * @module
 */
import type { Wait } from "../../src/index.js";
import { plainText } from "./plain-text.js";
import { BoardStage, StageStopped } from "./stage.js";
import type { BoardMessage } from "./store.js";

/** The commands, as `help` shows them. */
export const HELP = [
  "Commands:",
  "  list            the messages, numbered; (new) marks ones you have not read",
  "  read N          show message N (read alone: the next one you have not read)",
  "  post            post a message: a subject line, then the body, ended by a line with just '.'",
  "  delete N        delete message N (your own only)",
  "  who             who is online",
  "  help            this list",
  "  quit            save where you are and leave",
];

/**
 * Third phase: the command loop (see {@link HELP}). Reading a message moves
 * `state.lastRead` on; a store failure (say, the disk is full) is reported
 * to the user and the session goes on. Ends on `quit` or when the user
 * leaves; does nothing if login failed.
 */
export class MessageBoardUI extends BoardStage {
  /** Longest subject, in characters. */
  maxSubject = 200;
  /** Most body lines in one post. */
  maxBodyLines = 500;
  /** Most bytes (UTF-8) in one post, subject and body together. */
  maxPostBytes = 16 * 1024;

  protected *phase(): Wait {
    const user = this.state.user;
    if (user === null) return;
    for (;;) {
      const line = yield* this.nextLine();
      if (line === null) return;
      const [word = "", ...rest] = line.trim().split(/\s+/);
      const command = word.toLowerCase();
      const arg = rest.join(" ");
      try {
        switch (command) {
          case "":
            break;
          case "help":
          case "?":
            yield* this.say(...HELP);
            break;
          case "list":
            yield* this.list();
            break;
          case "read":
            yield* this.read(arg);
            break;
          case "post":
            if (!(yield* this.post(user))) return;
            break;
          case "delete":
            yield* this.delete(user, arg);
            break;
          case "who": {
            const online = yield* this.ask("who", {});
            yield* this.say(`Online (${online.length}): ${online.join(", ")}`);
            break;
          }
          case "quit":
          case "exit":
          case "logout":
            yield* this.say(`Goodbye, ${user}.`);
            return;
          default:
            yield* this.say(`Unknown command "${word.slice(0, 40)}"; type help for the commands.`);
        }
      } catch (e) {
        if (!(e instanceof Error) || e instanceof StageStopped) throw e;
        yield* this.say(`Sorry, that failed: ${e.message}`);
      }
    }
  }

  private *list(): Wait {
    const messages = yield* this.ask("list", {});
    if (messages.length === 0) {
      yield* this.say("No messages yet; post one with: post");
      return;
    }
    const lines = messages.map((m) => `#${m.id}${m.id > this.state.lastRead ? " (new)" : ""} ${m.author}: ${plainText(m.subject)}`);
    yield* this.say(...lines, `${messages.length} message${messages.length === 1 ? "" : "s"}.`);
  }

  /** A message number from `arg`, or null after telling the user what was wrong. */
  private *number(command: string, arg: string): Wait<number | null> {
    if (!/^#?\d{1,9}$/.test(arg)) {
      const got = arg === "" ? "nothing" : `"${arg.slice(0, 40)}"`;
      yield* this.say(`${command}: expected a message number, e.g. ${command} 3 (got ${got}).`);
      return null;
    }
    return Number(arg.replace("#", ""));
  }

  private *read(arg: string): Wait {
    let message: BoardMessage | null;
    if (arg === "") {
      const next = (yield* this.ask("list", {})).find((m) => m.id > this.state.lastRead);
      if (next === undefined) {
        yield* this.say("No unread messages.");
        return;
      }
      message = next;
    } else {
      const id = yield* this.number("read", arg);
      if (id === null) return;
      message = yield* this.ask("read", { id });
      if (message === null) {
        yield* this.say(`No message #${id}; list shows the messages there are.`);
        return;
      }
    }
    this.state.lastRead = Math.max(this.state.lastRead, message.id);
    // Stored text is shown as plain text too, should the files hold any written before input was cleaned.
    yield* this.say(
      `#${message.id} from ${message.author} at ${message.posted}`,
      `Subject: ${plainText(message.subject)}`,
      ...message.body.map((l) => `  ${plainText(l)}`),
      `(end of #${message.id})`,
    );
  }

  /** Returns false if the user left while writing (the post is dropped). */
  private *post(user: string): Wait<boolean> {
    yield* this.say("Subject:");
    const subject = yield* this.nextLine();
    if (subject === null) return false;
    const body: string[] = [];
    let lines = 0;
    yield* this.say("Type the message; end it with a line containing just '.' (start a line with '..' to begin it with '.').");
    let bytes = Buffer.byteLength(subject);
    for (;;) {
      const line = yield* this.nextLine();
      if (line === null) return false;
      if (line === ".") break;
      bytes += Buffer.byteLength(line) + 1;
      // Counted but not kept past the limits, so a runaway paste cannot use up memory.
      if (++lines <= this.maxBodyLines && bytes <= this.maxPostBytes) body.push(line.startsWith("..") ? line.slice(1) : line);
    }
    const title = subject.trim();
    if (title === "" || title.length > this.maxSubject) {
      yield* this.say(`Not posted: a subject is 1 to ${this.maxSubject} characters.`);
      return true;
    }
    if (bytes > this.maxPostBytes) {
      yield* this.say(`Not posted: a message is at most ${this.maxPostBytes} bytes (this one had ${bytes}).`);
      return true;
    }
    if (lines > this.maxBodyLines) {
      yield* this.say(`Not posted: a message has at most ${this.maxBodyLines} lines (this one had ${lines}).`);
      return true;
    }
    const posted = yield* this.ask("post", { author: user, subject: title, body });
    yield* this.say(`Posted #${posted.id}.`);
    return true;
  }

  private *delete(user: string, arg: string): Wait {
    const id = yield* this.number("delete", arg);
    if (id === null) return;
    const result = yield* this.ask("delete", { user, id });
    if (result === "deleted") yield* this.say(`Deleted #${id}.`);
    else if (result === "missing") yield* this.say(`No message #${id}.`);
    else yield* this.say(`#${id} is not yours; you can delete only your own messages.`);
  }
}
