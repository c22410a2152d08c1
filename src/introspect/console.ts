/**
 * The console: a `node:repl` attached to a running system ("rummaging
 * around inside a running system", as Kamaelia's embeddable interpreter
 * did), on the terminal or over TCP.
 *
 * Helpers in the REPL: `ls()` the component tree; `boxes(c)` a component's
 * boxes; `send(c, box, message)` deliver into an inbox; `link("A.outbox",
 * "B.inbox")` and `unlink("A.outbox")`; `activate(component)` or
 * `activate("Type", settings)` (with a registry); `trace("A.outbox")` print
 * what passes a box (`untrace()` stops); `stop(c)`. A component is named by
 * name (`Speaker_17`) or id (`17`). A helper given something that does not
 * exist prints one line, `error: …`, and changes nothing. Watching several
 * systems, a component of any but the first is named `Name@N` (see
 * `names.ts`), so each name `ls()` prints addresses one component.
 *
 * Over the network, unlike Kamaelia's interpreter (which had no
 * authentication at all), the console listens on 127.0.0.1 by default and
 * requires a token as the first line: random and printed at start, or from
 * `KAMAELIA_CONSOLE_TOKEN`. A connection whose first line is not the token
 * is refused with one line and closed, and never reaches the REPL.
 *
 * @module
 */
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { createServer, type Server, type Socket } from "node:net";
import repl, { type REPLServer } from "node:repl";
import type { Readable, Writable } from "node:stream";
import { Component, Inbox, KamaeliaError, Outbox, type AnyComponent, type Box } from "../core/index.js";
import { preview } from "./describe.js";
import type { Registry } from "./graph-import.js";
import type { Introspector } from "./introspector.js";
import { tapPassing } from "./trace.js";

/** A console could not start, or a helper was given something that does not exist. */
export class ConsoleError extends KamaeliaError {
  constructor(message: string) {
    super("CONSOLE", message);
  }
}

/** What the console works on. */
export interface ConsoleOptions {
  /** Makes components for `activate("Type", settings)`. */
  registry?: Registry;
  /** The prompt (default `kamaelia> `). */
  prompt?: string;
}

/** The helpers' own error: one line, printed as `error: …`. */
function fail(message: string): never {
  throw new ConsoleError(message);
}

/**
 * The helper functions a console offers, writing to `out`. Exposed so that
 * an application can put them in its own REPL.
 */
export function consoleHelpers(spy: Introspector, out: Writable, options: ConsoleOptions = {}): Record<string, (...args: never[]) => unknown> {
  const print = (text: string) => out.write(`${text}\n`);
  // Named as the Introspector names them: a component of a second system watched is `Name@2`.
  const nameOf = (c: AnyComponent) => spy.names.nameOf(c);
  const label = (b: Box) => `${nameOf(b.owner as AnyComponent)}.${b.name}`;
  const find = (ref: unknown): AnyComponent => {
    if (ref instanceof Component) return ref as AnyComponent;
    if (typeof ref !== "string" && typeof ref !== "number") fail(`name a component by its name or id (got ${typeof ref}); ls() lists them`);
    return spy.find(ref) ?? fail(`no component named "${ref}" (ls() lists them)`);
  };
  const boxOf = (ref: unknown): Box => {
    if (typeof ref !== "string" || !ref.includes(".")) fail(`name a box as "Component.box" (got ${JSON.stringify(ref)})`);
    const dot = ref.lastIndexOf(".");
    const c = find(ref.slice(0, dot));
    try {
      return c.boxNamed(ref.slice(dot + 1));
    } catch (e) {
      return fail((e as Error).message);
    }
  };
  let untrace: (() => void) | null = null;
  const helpers: Record<string, (...args: never[]) => unknown> = {
    help: () => print("ls()  boxes(c)  send(c, box, message)  link(\"A.outbox\", \"B.inbox\")  unlink(\"A.outbox\")  activate(component | \"Type\", settings)  trace(\"A.outbox\")  untrace()  stop(c)  snapshot()"),
    ls: () => {
      const comps = spy.components();
      const depth = (c: AnyComponent): number => (c.parent === null || !comps.includes(c.parent) ? 0 : depth(c.parent) + 1);
      for (const c of comps) {
        const info = spy.describe(c);
        const waiting = info.boxes.filter((b) => b.depth > 0).map((b) => `${b.name} ${b.depth}${b.limit === null ? "" : `/${b.limit}`}`);
        print(`${"  ".repeat(depth(c))}${info.name} (${info.class}, ${info.state})${waiting.length ? ` [${waiting.join(", ")}]` : ""}`);
      }
      if (comps.length === 0) print("(no live components)");
    },
    boxes: (ref: unknown) => {
      const c = find(ref);
      for (const b of spy.describe(c).boxes) {
        const count = b.kind === "inbox" ? b.messagesIn : b.messagesOut;
        print(`${b.kind === "inbox" ? "->" : "<-"} ${b.name}: depth ${b.depth}${b.limit === null ? "" : `/${b.limit}`}, ${count ?? "?"} messages, ${b.deadLetters} dead — ${b.description}`);
      }
    },
    send: (ref: unknown, box: unknown, message: unknown) => {
      const c = find(ref);
      let inbox: Inbox;
      try {
        inbox = c.inboxNamed(String(box ?? "inbox"));
      } catch (e) {
        return fail((e as Error).message);
      }
      try {
        inbox.final.deliver(message, "the console");
      } catch (e) {
        fail((e as Error).message);
      }
      print(`sent to ${label(inbox)}`);
    },
    link: (from: unknown, to: unknown) => {
      const a = boxOf(from);
      const b = boxOf(to);
      try {
        // The link belongs to the sink's owner: it goes when that component finishes.
        (b.owner as AnyComponent).link(a as never, b as never);
      } catch (e) {
        fail((e as Error).message);
      }
      print(`linked ${label(a)} -> ${label(b)}`);
    },
    unlink: (from: unknown) => {
      const a = boxOf(from);
      for (const c of spy.components()) {
        for (const l of c.linkages()) {
          if (l.source === a && l.active) {
            c.unlink(l);
            print(`unlinked ${label(a)} -> ${label(l.sink)}`);
            return;
          }
        }
      }
      fail(`${label(a)} has no outgoing link`);
    },
    activate: (what: unknown, settings: unknown) => {
      let c: AnyComponent;
      if (what instanceof Component) c = what as AnyComponent;
      else if (typeof what === "string") {
        if (options.registry === undefined) fail(`no registry of component types: activate a component object instead`);
        c = options.registry.make(what, (settings ?? {}) as never, `activate("${what}")`);
      } else return fail(`activate a component, or a registered type name (got ${typeof what})`);
      c.activate(spy.systems()[0]);
      print(`activated ${nameOf(c)}`);
      return c;
    },
    trace: (ref: unknown) => {
      const b = boxOf(ref);
      untrace?.();
      let skipped = 0;
      const where = label(b);
      untrace = tapPassing(b, (m) => {
        // A console that does not read must not make output pile up without bound.
        if (out.writableLength > 65_536) skipped++;
        else {
          if (skipped > 0) print(`trace ${where}: (${skipped} not shown: the console was not reading)`);
          skipped = 0;
          print(`trace ${where}: ${preview(m)}`);
        }
      });
      print(`tracing ${where} (untrace() stops)`);
    },
    untrace: () => {
      untrace?.();
      untrace = null;
      print("not tracing");
    },
    stop: (ref: unknown) => {
      const c = find(ref);
      c.stop();
      print(`stopping ${nameOf(c)}`);
    },
    snapshot: () => spy.snapshot(),
  };
  // Each helper reports its own errors as one line and returns nothing, so the REPL shows no stack.
  const safe: Record<string, (...args: never[]) => unknown> = {};
  for (const [name, fn] of Object.entries(helpers)) {
    safe[name] = (...args: never[]) => {
      try {
        return fn(...args);
      } catch (e) {
        print(`error: ${e instanceof KamaeliaError ? e.message : (e as Error).message ?? String(e)}`);
        return undefined;
      }
    };
  }
  safe.close = () => untrace?.();
  return safe;
}

function startRepl(spy: Introspector, input: Readable, output: Writable, terminal: boolean, options: ConsoleOptions): REPLServer {
  const r = repl.start({ prompt: options.prompt ?? "kamaelia> ", input, output, terminal, ignoreUndefined: true, useGlobal: false });
  const helpers = consoleHelpers(spy, output, options);
  Object.assign(r.context, helpers, { spy, system: spy.systems()[0], Inbox, Outbox });
  // A console session watches (so boxes() shows message counts) until it ends.
  const watch = spy.watch(() => undefined);
  r.on("exit", () => {
    watch.close();
    helpers.close!();
  });
  return r;
}

/** A console on local streams (the terminal: `kamaelia run FILE --console`). */
export function startLocalConsole(spy: Introspector, input: Readable = process.stdin, output: Writable = process.stdout, options: ConsoleOptions = {}): REPLServer {
  const terminal = (output as { isTTY?: boolean }).isTTY === true;
  output.write("kamaelia console: help() lists the helpers\n");
  return startRepl(spy, input, output, terminal, options);
}

/** Options for {@link startNetworkConsole}. */
export interface NetworkConsoleOptions extends ConsoleOptions {
  /** The port (0, the default, picks a free one). */
  port?: number;
  /** The address to listen on (default 127.0.0.1). */
  host?: string;
  /** The token clients must send first (default: `KAMAELIA_CONSOLE_TOKEN`, else random). */
  token?: string;
  /** How long a client may take to send its token, in ms (default 10 s). */
  tokenTimeoutMs?: number;
  /** Let the process exit while the console listens (the CLI does). */
  unref?: boolean;
}

/** A network console that is listening. */
export interface NetworkConsole {
  /** The port it listens on… */
  readonly port: number;
  /** …and the address. */
  readonly host: string;
  /** The token a client must send as its first line. */
  readonly token: string;
  /** Stop listening and close every session. */
  close(): Promise<void>;
}

const digest = (s: string) => createHash("sha256").update(s).digest();

/**
 * Serve the console over TCP. The first line from a client must be the
 * token; anything else gets `kamaelia console: wrong token` and the
 * connection closes before any REPL exists for it.
 * @throws ConsoleError (one line) for a port in use or an empty token.
 */
export async function startNetworkConsole(spy: Introspector, options: NetworkConsoleOptions = {}): Promise<NetworkConsole> {
  const host = options.host ?? "127.0.0.1";
  const envToken = process.env.KAMAELIA_CONSOLE_TOKEN;
  const token = options.token ?? envToken ?? randomBytes(18).toString("base64url");
  if (token.trim() === "") throw new ConsoleError(`console: the token is empty${options.token === undefined ? " (KAMAELIA_CONSOLE_TOKEN is set but empty)" : ""}`);
  const want = digest(token);
  const sessions = new Set<Socket>();
  const timeoutMs = options.tokenTimeoutMs ?? 10_000;

  const server: Server = createServer((socket) => {
    sessions.add(socket);
    if (options.unref) socket.unref();
    socket.on("close", () => sessions.delete(socket));
    socket.on("error", () => socket.destroy());
    let pending = Buffer.alloc(0);
    const refuse = (why: string) => {
      socket.removeListener("data", onData);
      clearTimeout(timer);
      socket.end(`kamaelia console: ${why}\n`);
      // A client that does not close its side is closed for it.
      setTimeout(() => socket.destroy(), 2000).unref();
    };
    const timer = setTimeout(() => refuse(`no token within ${timeoutMs} ms`), timeoutMs);
    const onData = (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      const nl = pending.indexOf(10);
      if (nl < 0) {
        if (pending.length > 1024) refuse("wrong token");
        return;
      }
      socket.removeListener("data", onData);
      socket.pause();
      clearTimeout(timer);
      const got = pending.subarray(0, nl).toString("utf8").replace(/\r$/, "");
      const rest = pending.subarray(nl + 1);
      if (!timingSafeEqual(digest(got), want)) {
        // Whatever followed the bad token is dropped unread: it never reaches a REPL.
        refuse("wrong token");
        return;
      }
      socket.write("kamaelia console: welcome; help() lists the helpers\n");
      if (rest.length > 0) socket.unshift(rest);
      const r = startRepl(spy, socket, socket, false, options);
      r.on("exit", () => socket.end());
      socket.on("close", () => r.close());
      socket.resume();
    };
    socket.on("data", onData);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", (e: NodeJS.ErrnoException) => {
      const port = options.port ?? 0;
      reject(new ConsoleError(e.code === "EADDRINUSE" ? `console: port ${port} on ${host} is already in use (choose another with --console=PORT)` : `console: cannot listen on ${host}:${port}: ${e.message}`));
    });
    server.listen(options.port ?? 0, host, () => resolve());
  });
  if (options.unref) server.unref();
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : 0;
  return {
    port,
    host,
    token,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sessions) s.destroy();
      }),
  };
}
