/**
 * The tutorial cannot rot: every code block marked `<!-- file: X -->` is
 * X's text, every block marked `<!-- output: X -->` is what running X
 * prints, and every .ts file under docs/tutorial is shown somewhere.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { promisify } from "node:util";
import { blocksOf, markdownUnder, outputMatches, root, shownAs, type Block } from "./markdown.js";

const tutorial = join(root, "docs", "tutorial");
const blocks: Block[] = markdownUnder(tutorial).flatMap(blocksOf);
const where = (b: Block) => `${relative(root, b.file)}:${b.line}`;

test("every file block is the file's text", () => {
  const shown = blocks.filter((b) => b.marker?.kind === "file");
  assert.ok(shown.length >= 10, "the tutorial shows its files");
  for (const b of shown) {
    assert.equal(b.lang, "ts", `${where(b)}: a file block is \`\`\`ts`);
    assert.equal(b.code, shownAs(readFileSync(b.marker!.path, "utf8")), `${where(b)}: differs from ${relative(root, b.marker!.path)}`);
  }
});

test("every .ts file under docs/tutorial is shown, and every numbered step's output too", () => {
  const files = readdirSync(tutorial, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".ts"));
  const shown = new Set(blocks.filter((b) => b.marker?.kind === "file").map((b) => b.marker!.path));
  const run = new Set(blocks.filter((b) => b.marker?.kind === "output").map((b) => b.marker!.path));
  for (const f of files) {
    const path = join(tutorial, f);
    assert.ok(shown.has(path), `docs/tutorial/${f} is not shown in any chapter`);
    if (/^\d\d-/.test(f.split("/").pop()!)) assert.ok(run.has(path), `docs/tutorial/${f}: its output is not shown`);
  }
});

test("every output block is what its file prints", { timeout: 600_000 }, async () => {
  const runs = blocks.filter((b) => b.marker?.kind === "output");
  assert.ok(runs.length >= 10, "the tutorial shows its outputs");
  const exec = promisify(execFile);
  const failures: string[] = [];
  // Two at a time: the machine is shared.
  const queue = [...runs];
  const worker = async () => {
    for (let b = queue.shift(); b !== undefined; b = queue.shift()) {
      const file = b.marker!.path;
      try {
        const r = await exec(process.execPath, ["--import", "tsx", file], { cwd: root, timeout: 120_000, encoding: "utf8" });
        if (!outputMatches(b.code, r.stdout)) failures.push(`${where(b)}: ${relative(root, file)} printed\n${r.stdout}\ninstead of\n${b.code}`);
      } catch (e) {
        failures.push(`${where(b)}: ${relative(root, file)} failed: ${(e as Error).message}`);
      }
    }
  };
  await Promise.all([worker(), worker()]);
  assert.deepEqual(failures, []);
});

test("the output matcher: ... stands for any run of lines, and nothing else is loose", () => {
  assert.ok(outputMatches("a\n...\nz\n", "a\nb\nc\nz\n"));
  assert.ok(outputMatches("a\n...\nz\n", "a\nz\n"));
  assert.ok(!outputMatches("a\n...\nz\n", "a\nb\n"));
  assert.ok(!outputMatches("a\nb\n", "a\nb\nc\n"));
});
