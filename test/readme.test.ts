/**
 * The README's TypeScript examples must compile against the library as it
 * is (with `kamaelia` resolved to this source tree), and the Handle example
 * must run and print what the README says.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));

function blocks(): string[] {
  const md = readFileSync(join(root, "README.md"), "utf8");
  return [...md.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);
}

test("every ts example in the README type-checks", () => {
  const examples = blocks();
  assert.ok(examples.length >= 3, "the README has its examples");
  const dir = mkdtempSync(join(root, ".readme-check-"));
  try {
    const files = examples.map((code, i) => {
      const f = join(dir, `example${i}.ts`);
      writeFileSync(f, `${code.replaceAll('from "kamaelia"', 'from "../src/index.js"')}\nexport {};\n`);
      return f;
    });
    writeFileSync(
      join(dir, "tsconfig.json"),
      JSON.stringify({ extends: "../tsconfig.json", compilerOptions: { noEmit: true, noUnusedLocals: false }, include: files }),
    );
    const tsc = join(root, "node_modules", "typescript", "bin", "tsc");
    const r = spawnSync(process.execPath, [tsc, "-p", dir], { encoding: "utf8", timeout: 120_000 });
    assert.equal(r.status, 0, `${r.stdout}${r.stderr}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("the README's Handle example prints HELLO", () => {
  const code = blocks().find((b) => b.includes("new Handle("));
  assert.ok(code);
  const dir = mkdtempSync(join(root, ".readme-run-"));
  try {
    const f = join(dir, "handle.ts");
    writeFileSync(f, code.replaceAll('from "kamaelia"', 'from "../src/index.js"'));
    const r = spawnSync(process.execPath, ["--import", "tsx", f], { cwd: root, encoding: "utf8", timeout: 60_000 });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim(), "HELLO");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("the README's first example runs as pasted and prints the two errors", () => {
  const code = blocks()[0];
  assert.ok(code?.includes("DataSource("), "the first example is the DataSource one");
  const dir = mkdtempSync(join(root, ".readme-run-"));
  try {
    const f = join(dir, "first.ts");
    writeFileSync(f, code.replaceAll('from "kamaelia"', 'from "../src/index.js"'));
    const r = spawnSync(process.execPath, ["--import", "tsx", f], { cwd: root, encoding: "utf8", timeout: 60_000 });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, "DISK ERROR\nMEMORY ERROR\n");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
