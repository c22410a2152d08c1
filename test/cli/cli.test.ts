/**
 * The `kamaelia` command, run as a child process: run (arguments, a default
 * export, a program that starts itself, with the visualiser and both
 * consoles attached), graph (json, dot, mermaid), --help, and every
 * bad-input case as one line.
 */
import assert from "node:assert/strict";
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { get } from "node:http";
import { connect } from "node:net";
import { join } from "node:path";
import { describe, it } from "node:test";
import { until } from "../net/helpers.js";
import { killAfter, onCleanup } from "../support/cleanup.js";

const root = join(import.meta.dirname, "..", "..");
const fixtures = join("test", "cli", "fixtures");

interface Proc {
  child: ChildProcessWithoutNullStreams;
  out: () => string;
  err: () => string;
  exited: Promise<number | null>;
}

function kamaelia(args: string[], env: Record<string, string> = {}): Proc {
  const child = killAfter(spawn(process.execPath, ["--import", "tsx", join("src", "cli", "main.ts"), ...args], { cwd: root, env: { ...process.env, ...env } }));
  let out = "";
  let err = "";
  child.stdout.setEncoding("utf8").on("data", (d: string) => (out += d));
  child.stderr.setEncoding("utf8").on("data", (d: string) => (err += d));
  const exited = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
  return { child, out: () => out, err: () => err, exited };
}

async function finished(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  const p = kamaelia(args);
  const code = await p.exited;
  return { code, out: p.out(), err: p.err() };
}

function fetchJSON(url: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    get(url, (res) => {
      let body = "";
      res.setEncoding("utf8").on("data", (d: string) => (body += d));
      res.on("end", () => resolve(JSON.parse(body)));
    }).on("error", reject);
  });
}

const CONSOLE_AT = /console on 127\.0\.0\.1:(\d+); .*: (\S+)\n/;

/** `kamaelia run FILE --inspect --console=0` until FILE prints `started`; then a console session (token sent, then `ls()`). */
async function runAttached(file: string, started: string) {
  const p = kamaelia(["run", join(fixtures, file), "--inspect", "--console=0"]);
  await until(() => CONSOLE_AT.test(p.out()) && p.out().includes(started), `the addresses (stdout: ${p.out()}, stderr: ${p.err()})`, 60_000);
  const url = /visualiser on (http:\/\/127\.0\.0\.1:\d+\/)/.exec(p.out())![1]!;
  const [, port, token] = CONSOLE_AT.exec(p.out())!;
  const sock = connect(Number(port), "127.0.0.1");
  onCleanup(() => sock.destroy());
  let said = "";
  sock.setEncoding("utf8").on("data", (d: string) => (said += d));
  sock.write(`${token}\nls()\n`);
  return { p, url, sock, said: () => said };
}

describe("kamaelia CLI", { timeout: 120_000 }, () => {
  it("--help prints the usage and exits 0", async () => {
    const r = await finished(["--help"]);
    assert.equal(r.code, 0);
    assert.match(r.out, /^Usage:\n {2}kamaelia run FILE \[--inspect\[=PORT\]\] \[--console\[=PORT\]\] \[-- ARGS\.\.\.\]/);
    assert.match(r.out, /kamaelia graph FILE \[--format json\|dot\|mermaid\]/);
  });

  it("run: a default export built from ARGS runs to its end; the program sees its arguments", async () => {
    const r = await finished(["run", join(fixtures, "echo-args.ts"), "--", "one", "--two", "3"]);
    assert.equal(r.err, "");
    assert.equal(r.out, 'args ["one","--two","3"] argv ["one","--two","3"]\n');
    assert.equal(r.code, 0);
  });

  it("run: a failing program exits 1 naming the component and the error", async () => {
    const r = await finished(["run", join(fixtures, "fails.ts")]);
    assert.equal(r.code, 1);
    assert.match(r.err, /^kamaelia: Broken_\d+ failed: .*broken on purpose\n$/);
  });

  it("run with --inspect and --console=PORT: the visualiser and the network console see the program's system", async () => {
    const { p, url, said, sock } = await runAttached("self-start.ts", "program started");
    const snap = (await fetchJSON(`${url}snapshot`)) as { components: { name: string; class: string }[] };
    assert.deepEqual(snap.components.map((c) => c.class), ["PipelineComponent", "Sleeper", "Keeper"]);
    await until(() => said().includes("MAIN (PipelineComponent"), "the listing over the network");
    assert.match(said(), /^kamaelia console: welcome/);
    sock.write('stop("MAIN")\n');
    // With its components stopped, the program ends, and with it the process (the servers do not hold it open).
    assert.equal(await p.exited, 0);
  });

  it("run a program with two systems under --inspect and --console=PORT: their components are told apart", async () => {
    const { p, url, said, sock } = await runAttached("two-systems.ts", "second system started");
    const snap = (await fetchJSON(`${url}snapshot`)) as { components: { id: number; name: string }[]; links: { id: string }[] };
    assert.equal(snap.components.length, 6);
    assert.equal(new Set(snap.components.map((c) => c.id)).size, 6, `ids: ${snap.components.map((c) => c.id).join(", ")}`);
    assert.equal(new Set(snap.links.map((l) => l.id)).size, snap.links.length);
    assert.deepEqual(snap.components.map((c) => c.name).filter((n) => n.startsWith("MAIN")), ["MAIN", "MAIN@2"]);
    await until(() => said().includes("MAIN@2 (PipelineComponent"), "the listing over the network");
    sock.write('stop("MAIN@2")\n');
    await until(() => said().includes("stopping MAIN@2"), "the second system's pipeline stopped");
    // The first system's three are left (polled, with a deadline).
    let left = 6;
    for (const end = Date.now() + 20_000; left !== 3 && Date.now() < end; await new Promise((r) => setTimeout(r, 20))) {
      left = ((await fetchJSON(`${url}snapshot`)) as { components: unknown[] }).components.length;
    }
    assert.equal(left, 3);
    sock.write('stop("MAIN")\n');
    assert.equal(await p.exited, 0);
  });

  it("run with --console: the console on the terminal (stdin/stdout)", async () => {
    const p = kamaelia(["run", join(fixtures, "self-start.ts"), "--console"]);
    await until(() => p.out().includes("kamaelia console:"), `the console (stderr: ${p.err()})`, 60_000);
    p.child.stdin.write("ls()\n");
    await until(() => p.out().includes("MAIN (PipelineComponent"), "the listing");
    p.child.stdin.write('boxes("NOPE")\n');
    await until(() => p.out().includes('error: no component named "NOPE"'), "the one-line error");
    p.child.stdin.write(".exit\n");
    assert.equal(await p.exited, 0);
  });

  it("what npm start does: the chat server under run --inspect prints the chat address and the visualiser URL; Ctrl-C ends it", async () => {
    const p = kamaelia(["run", join("examples", "chat-server.ts"), "--inspect", "--", "--port", "0"]);
    await until(() => /Chat server running on 127\.0\.0\.1:\d+/.test(p.out()) && /visualiser on http/.test(p.out()), `both addresses (stdout: ${p.out()}, stderr: ${p.err()})`, 60_000);
    const url = /visualiser on (http:\/\/127\.0\.0\.1:\d+\/)/.exec(p.out())![1]!;
    const snap = (await fetchJSON(`${url}snapshot`)) as { components: { class: string }[] };
    assert.ok(snap.components.some((c) => c.class === "ChatServer"));
    p.child.kill("SIGINT");
    assert.equal(await p.exited, 0);
  });

  it("graph: json, dot and mermaid of an unstarted system", async () => {
    const json = await finished(["graph", join(fixtures, "graph.ts")]);
    assert.equal(json.code, 0, json.err);
    const doc = JSON.parse(json.out) as { type: string; components: Record<string, { type: string }>; links: Record<string, string> };
    assert.equal(doc.type, "Graphline");
    assert.deepEqual(Object.keys(doc.components), ["UP", "COUNT"]);
    assert.equal(doc.links["UP.outbox"], "COUNT.inbox");
    const dot = await finished(["graph", join(fixtures, "graph.ts"), "--format", "dot"]);
    assert.match(dot.out, /^digraph kamaelia \{/);
    assert.match(dot.out, /n1 -> n2 \[label="outbox→inbox"\];/);
    const mermaid = await finished(["graph", join(fixtures, "graph.ts"), "--format=mermaid"]);
    assert.match(mermaid.out, /^flowchart LR\n/);
    assert.match(mermaid.out, /n1\["UP : Upper"\]/);
  });

  it("bad input: one line each, exit status 2", async () => {
    const cases: [string[], string][] = [
      [[], "kamaelia: no command given (kamaelia --help lists them)\n"],
      [["launch"], 'kamaelia: unknown command "launch" (commands: run, graph; kamaelia --help)\n'],
      [["run"], 'kamaelia: "run" needs a FILE (kamaelia run FILE …)\n'],
      [["run", "no/such/file.ts"], "kamaelia: no such file: no/such/file.ts\n"],
      [["run", join(fixtures, "nothing.ts")], `kamaelia: ${join(fixtures, "nothing.ts")} exports nothing runnable and started no component (export default a component, or a function that starts one, or start a system when the file runs)\n`],
      [["run", join(fixtures, "echo-args.ts"), "--inspect=http"], "kamaelia: --inspect=http: PORT must be a number from 0 to 65535\n"],
      [["run", join(fixtures, "echo-args.ts"), "--verbose"], 'kamaelia: unknown option --verbose for "run" (kamaelia --help; program arguments go after "--")\n'],
      [["graph", join(fixtures, "graph.ts"), "--format", "xml"], 'kamaelia: --format must be json, dot or mermaid (got "xml")\n'],
      [["graph", join(fixtures, "nothing.ts")], `kamaelia: ${join(fixtures, "nothing.ts")} exports no graph (export \`graph\`: a function returning its unstarted component(s), or a default export)\n`],
      [["graph", "missing.ts"], "kamaelia: no such file: missing.ts\n"],
    ];
    const results = await Promise.all(cases.map(([args]) => finished(args)));
    results.forEach((r, i) => {
      assert.equal(r.err, cases[i]![1], `kamaelia ${cases[i]![0].join(" ")}`);
      assert.equal(r.code, 2, `kamaelia ${cases[i]![0].join(" ")}`);
      assert.equal(r.out, "");
    });
  });

  it("a port in use is one line, exit status 1", async () => {
    const first = kamaelia(["run", join(fixtures, "self-start.ts"), "--inspect"]);
    await until(() => /visualiser on http:\/\/127\.0\.0\.1:(\d+)\//.test(first.out()), "the first visualiser", 60_000);
    const port = /visualiser on http:\/\/127\.0\.0\.1:(\d+)\//.exec(first.out())![1]!;
    const second = await finished(["run", join(fixtures, "self-start.ts"), `--inspect=${port}`]);
    assert.equal(second.err, `kamaelia: visualiser: port ${port} on 127.0.0.1 is already in use (choose another with --inspect=PORT)\n`);
    assert.equal(second.code, 1);
    first.child.kill();
  });
});
