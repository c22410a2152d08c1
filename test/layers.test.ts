/**
 * The layers of src/: the libraries stand side by side on the core. chassis,
 * util, file, net and interop import only the core, the low shared layer
 * (src/support) and themselves; src/support imports only the core; the core
 * imports nothing outside itself (test/core/layers.test.ts checks its own graph).
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { test } from "node:test";

const src = join(import.meta.dirname, "..", "src");

function* files(dir: string): Generator<string> {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.isDirectory()) yield* files(join(dir, e.name));
    else if (e.name.endsWith(".ts")) yield join(dir, e.name);
  }
}

/** The src/ folders each file of `folder` imports from (by value or by type), other than its own. */
function foldersImported(folder: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const f of files(join(src, folder))) {
    const text = readFileSync(f, "utf8");
    for (const m of text.matchAll(/(?:from\s+|import\s*\(\s*)"(\.[^"]+)"/g)) {
      const target = relative(src, join(f, "..", m[1]!)).split(sep)[0]!;
      if (target === folder) continue;
      const list = out.get(target) ?? [];
      list.push(relative(src, f));
      out.set(target, list);
    }
  }
  return out;
}

for (const folder of ["chassis", "util", "file", "net", "interop"]) {
  test(`src/${folder} imports only src/core and src/support`, () => {
    for (const [target, by] of foldersImported(folder)) {
      assert.ok(target === "core" || target === "support", `src/${folder} imports src/${target} (in ${[...new Set(by)].join(", ")})`);
    }
  });
}

test("src/support imports only src/core", () => {
  for (const [target, by] of foldersImported("support")) assert.equal(target, "core", `src/support imports src/${target} (in ${by.join(", ")})`);
});

test("src/core imports nothing outside src/core", () => {
  assert.deepEqual([...foldersImported("core").keys()], []);
});

test("no file in src/ is over 15 KB (15,360 bytes): one concept per file", () => {
  const big: string[] = [];
  for (const f of files(src)) {
    const size = readFileSync(f).length;
    if (size > 15 * 1024) big.push(`${relative(src, f)}: ${size} bytes`);
  }
  assert.deepEqual(big, []);
});
