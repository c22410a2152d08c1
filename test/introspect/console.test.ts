/**
 * The console, over real TCP connections (right token, wrong token, no
 * token, token from the environment) and on local streams.
 */
import assert from "node:assert/strict";
import { connect, createServer, type Socket } from "node:net";
import { PassThrough } from "node:stream";
import { describe, it } from "node:test";
import { Component, System, type Wait } from "../../src/index.js";
import { ConsoleError, Introspector, Registry, startLocalConsole, startNetworkConsole } from "../../src/introspect/index.js";
import { until } from "../net/helpers.js";
import { onCleanup, stopAfter } from "../support/cleanup.js";

/** Keeps what it receives. */
class Keeper extends Component<unknown, never> {
  got: unknown[] = [];
  *main(): Wait {
    yield* this.processMessages((m) => void this.got.push(m));
  }
}

/** Sends each message it receives, doubled if a number. */
class Doubler extends Component<number, number> {
  *main(): Wait {
    yield* this.processMessages((n) => this.send(n * 2));
  }
}

/** A real TCP client: collects everything the server says. */
class Client {
  readonly socket: Socket;
  text = "";
  closed = false;
  constructor(port: number) {
    this.socket = connect({ port, host: "127.0.0.1" });
    this.socket.setEncoding("utf8");
    this.socket.on("data", (d: string) => (this.text += d));
    this.socket.on("error", () => undefined);
    this.socket.on("close", () => (this.closed = true));
    onCleanup(() => this.socket.destroy());
  }
  async say(line: string, expect: RegExp): Promise<void> {
    const before = this.text.length;
    this.socket.write(`${line}\n`);
    // Done when the answer matches and the next prompt has arrived (so it is not left for the next line).
    await until(() => expect.test(this.text.slice(before)) && this.text.endsWith("kamaelia> "), `${JSON.stringify(line)} to answer ${expect}`);
  }
}

async function setup(options: { token?: string } = {}) {
  const system = stopAfter(new System());
  const keeper = new Keeper().activate(system);
  keeper.name = "KEEP";
  const spy = new Introspector(system);
  onCleanup(() => spy.close());
  const registry = new Registry().add(Doubler);
  const con = await startNetworkConsole(spy, { registry, ...options });
  onCleanup(() => con.close());
  return { system, keeper, spy, con };
}

describe("console over TCP", () => {
  it("with the right token: list, boxes, send, link, unlink, activate, trace, stop", async () => {
    const { keeper, con } = await setup();
    assert.match(con.token, /^[A-Za-z0-9_-]{20,}$/, "a random token");
    const c = new Client(con.port);
    await c.say(con.token, /welcome[^]*kamaelia> /);
    await c.say("ls()", /KEEP \(Keeper, paused\)/);
    await c.say('send("KEEP", "inbox", { hello: 1 })', /sent to KEEP\.inbox/);
    await until(() => keeper.got.length === 1, "the message delivered");
    // The REPL has its own realm (its objects have their own Object prototype): compare as JSON.
    assert.equal(JSON.stringify(keeper.got), '[{"hello":1}]');
    await c.say("boxes(\"KEEP\")", /-> inbox: depth 0, 1 messages, 0 dead/);
    await c.say('const d = activate("Doubler")', /activated Doubler_\d+/);
    await c.say('link(d.name + ".outbox", "KEEP.inbox")', /linked Doubler_\d+\.outbox -> KEEP\.inbox/);
    await c.say("trace(d.name + \".outbox\")", /tracing Doubler_\d+\.outbox/);
    await c.say('send(d.name, "inbox", 21)', /trace Doubler_\d+\.outbox: 42/);
    await until(() => keeper.got.length === 2, "the doubled message");
    assert.equal(keeper.got[1], 42);
    await c.say("untrace()", /not tracing/);
    await c.say('unlink(d.name + ".outbox")', /unlinked Doubler_\d+\.outbox -> KEEP\.inbox/);
    await c.say("stop(d.id)", /stopping Doubler_\d+/);
    await c.say("stop(\"KEEP\")", /stopping KEEP/);
    await until(() => keeper.isFinished(), "KEEP stopped");
  });

  it("a helper naming something that does not exist prints one line and changes nothing", async () => {
    const { keeper, con } = await setup();
    const c = new Client(con.port);
    await c.say(con.token, /kamaelia> /);
    await c.say('boxes("NOPE")', /^error: no component named "NOPE" \(ls\(\) lists them\)\nkamaelia> $/);
    await c.say('send("KEEP", "nobox", 1)', /^error: KEEP has no inbox named "nobox" \(its inboxes are: inbox, control\)\nkamaelia> $/);
    await c.say('link("KEEP.outbox", "GONE.inbox")', /^error: no component named "GONE"/);
    await c.say('unlink("KEEP.outbox")', /^error: KEEP\.outbox has no outgoing link\n/);
    await c.say('activate("Nope")', /^error: activate\("Nope"\): unknown component type "Nope" \(registered: Doubler\)\n/);
    await c.say("stop(12345678)", /^error: no component named "12345678"/);
    await c.say("throw new Error('typed by hand')", /Uncaught Error: typed by hand/);
    assert.ok(keeper.isActive(), "the system is untouched");
    assert.deepEqual(keeper.got, []);
  });

  it("a wrong token is refused with one line and the connection closed; what followed it never reaches a REPL", async () => {
    const { con } = await setup();
    (globalThis as { consolePwned?: boolean }).consolePwned = false;
    const c = new Client(con.port);
    c.socket.write("not-the-token\nglobalThis.consolePwned = true\nls()\n");
    await until(() => c.closed, "the connection closed");
    assert.equal(c.text, "kamaelia console: wrong token\n");
    assert.equal((globalThis as { consolePwned?: boolean }).consolePwned, false);
  });

  it("a client that sends no token, or an endless first line, is refused too", async () => {
    const system = stopAfter(new System());
    const spy = new Introspector(system);
    onCleanup(() => spy.close());
    const con = await startNetworkConsole(spy, { tokenTimeoutMs: 200 });
    onCleanup(() => con.close());
    const quiet = new Client(con.port);
    await until(() => quiet.closed, "the silent client closed");
    assert.equal(quiet.text, "kamaelia console: no token within 200 ms\n");
    const flood = new Client(con.port);
    flood.socket.write("x".repeat(5000));
    await until(() => flood.closed, "the flooding client closed");
    assert.equal(flood.text, "kamaelia console: wrong token\n");
  });

  it("takes its token from KAMAELIA_CONSOLE_TOKEN; an empty one is an error", async () => {
    const saved = process.env.KAMAELIA_CONSOLE_TOKEN;
    onCleanup(() => (saved === undefined ? delete process.env.KAMAELIA_CONSOLE_TOKEN : (process.env.KAMAELIA_CONSOLE_TOKEN = saved)));
    process.env.KAMAELIA_CONSOLE_TOKEN = "sesame-from-env";
    const { con, spy } = await setup();
    assert.equal(con.token, "sesame-from-env");
    const c = new Client(con.port);
    await c.say("sesame-from-env", /welcome/);
    process.env.KAMAELIA_CONSOLE_TOKEN = "";
    await assert.rejects(startNetworkConsole(spy), (e: unknown) => e instanceof ConsoleError && e.message === "console: the token is empty (KAMAELIA_CONSOLE_TOKEN is set but empty)");
  });

  it("a port in use is a one-line error naming the port", async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, "127.0.0.1", r));
    onCleanup(() => blocker.close());
    const port = (blocker.address() as { port: number }).port;
    const system = stopAfter(new System());
    const spy = new Introspector(system);
    onCleanup(() => spy.close());
    await assert.rejects(startNetworkConsole(spy, { port }), (e: unknown) => e instanceof ConsoleError && e.message === `console: port ${port} on 127.0.0.1 is already in use (choose another with --console=PORT)`);
  });

  it("a client that disconnects mid-session leaves the system running", async () => {
    const { keeper, con } = await setup();
    const c = new Client(con.port);
    await c.say(con.token, /kamaelia> /);
    c.socket.write('send("KEEP", "inbox", "half');
    c.socket.destroy();
    const d = new Client(con.port);
    await d.say(con.token, /kamaelia> /);
    await d.say("ls()", /KEEP \(Keeper, paused\)/);
    assert.ok(keeper.isActive());
  });
});

describe("local console", () => {
  it("runs the same helpers on local streams", async () => {
    const system = stopAfter(new System());
    const keeper = new Keeper().activate(system);
    const spy = new Introspector(system);
    onCleanup(() => spy.close());
    const input = new PassThrough();
    const output = new PassThrough();
    let text = "";
    output.setEncoding("utf8");
    output.on("data", (d: string) => (text += d));
    const r = startLocalConsole(spy, input, output);
    onCleanup(() => r.close());
    input.write(`send(${keeper.id}, "inbox", "from the terminal")\n`);
    await until(() => keeper.got.length === 1, "the message");
    input.write("ls()\n");
    await until(() => text.includes(`${keeper.name} (Keeper, paused)`), "the listing");
    assert.match(text, /^kamaelia console: help\(\) lists the helpers\n/);
  });
});
