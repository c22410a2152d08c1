/**
 * Drives examples/slideshow.ts as a real child process: keys are written to
 * its stdin one at a time, and each one's slide is awaited on its stdout.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { killAfter } from "../support/cleanup.js";

const root = fileURLToPath(new URL("../..", import.meta.url));

interface Show {
  child: ChildProcessWithoutNullStreams;
  /** The slide headers seen so far. */
  headers(): string[];
  out(): string;
  /** Wait until `n` headers have been shown; fail after a generous bound. */
  waitForHeaders(n: number): Promise<string[]>;
  exit: Promise<{ code: number | null; stderr: string }>;
}

function start(args: string[] = []): Show {
  const child = spawn(process.execPath, ["--import", "tsx", "examples/slideshow.ts", ...args], { cwd: root });
  killAfter(child);
  let out = "";
  let err = "";
  child.stdout.setEncoding("utf8").on("data", (s: string) => (out += s));
  child.stderr.setEncoding("utf8").on("data", (s: string) => (err += s));
  const exit = new Promise<{ code: number | null; stderr: string }>((resolve) => child.on("close", (code) => resolve({ code, stderr: err })));
  const headers = (): string[] => out.match(/^=== Slide .* ===$/gm) ?? [];
  return {
    child,
    headers,
    out: () => out,
    exit,
    async waitForHeaders(n) {
      const deadline = Date.now() + 30_000;
      while (headers().length < n) {
        if (Date.now() > deadline || child.exitCode !== null) throw new Error(`expected ${n} slides, saw:\n${out}\n${err}`);
        await new Promise((r) => setTimeout(r, 10));
      }
      return headers();
    },
  };
}

function bounded<T>(p: Promise<T>, ms = 30_000): Promise<T> {
  let t: NodeJS.Timeout | undefined;
  return Promise.race([p, new Promise<never>((_, rej) => (t = setTimeout(() => rej(new Error("timed out")), ms)))]).finally(() => clearTimeout(t));
}

test("slideshow: keys choose slides one at a time, NEXT stops at the end, arrows work, q quits with exit 0", async () => {
  const s = start();
  await s.waitForHeaders(1);
  const steps: [string, string][] = [
    ["n", "2/4: Components"],
    ["l", "4/4: Shutdown"],
    ["n", "4/4: Shutdown"],
    ["p", "3/4: Graphlines"],
    ["f", "1/4: Kamaelia"],
    ["\x1b[C", "2/4: Components"],
    ["\x1b[D", "1/4: Kamaelia"],
    ["\x1b[F", "4/4: Shutdown"],
  ];
  for (const [i, [key, want]] of steps.entries()) {
    s.child.stdin.write(key);
    const hs = await s.waitForHeaders(i + 2);
    assert.equal(hs[i + 1], `=== Slide ${want} ===`, `after key ${JSON.stringify(key)}`);
  }
  s.child.stdin.write("q");
  const { code, stderr } = await bounded(s.exit);
  assert.equal(code, 0, stderr);
  assert.equal(s.headers().length, steps.length + 1, "nothing shown after q");
});

test("slideshow: keys piped ahead are obeyed in order; unknown keys ignored; end of input quits with exit 0", async () => {
  const s = start();
  s.child.stdin.end("n\nl x n\np f\n");
  const { code, stderr } = await bounded(s.exit);
  assert.equal(code, 0, stderr);
  assert.deepEqual(
    s.headers().map((h) => h.match(/Slide (\d)/)![1]),
    ["1", "2", "4", "4", "3", "1"],
  );
});

test("slideshow: FILES become the slides, titled by file name", async () => {
  const dir = mkdtempSync(join(tmpdir(), "slides-"));
  const a = join(dir, "alpha.txt");
  const b = join(dir, "beta.txt");
  writeFileSync(a, "first body\n");
  writeFileSync(b, "second body\n");
  const s = start([a, b]);
  await s.waitForHeaders(1);
  s.child.stdin.write("n");
  await s.waitForHeaders(2);
  s.child.stdin.write("q");
  const { code } = await bounded(s.exit);
  assert.equal(code, 0);
  assert.deepEqual(s.headers(), ["=== Slide 1/2: alpha.txt ===", "=== Slide 2/2: beta.txt ==="]);
  assert.match(s.out(), /alpha.txt ===\nfirst body\n[^]*beta.txt ===\nsecond body\n/);
});

test("slideshow: a missing file is a clear error and exit 1", async () => {
  const s = start(["/no/such/slide.txt"]);
  s.child.stdin.end();
  const { code, stderr } = await bounded(s.exit);
  assert.equal(code, 1);
  assert.match(stderr, /slideshow: .*\/no\/such\/slide\.txt/);
});

test("slideshow: SIGTERM ends it as q does, with exit 0", async () => {
  const s = start();
  await s.waitForHeaders(1);
  s.child.kill("SIGTERM");
  const { code, stderr } = await bounded(s.exit);
  assert.equal(code, 0, stderr);
});
