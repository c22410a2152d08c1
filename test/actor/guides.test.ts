/**
 * The guide pages' TypeScript examples (docs/guide/actors.md and stm.md)
 * must compile against the library as it is, and the first actors example
 * must run and print what the page says.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../..", import.meta.url));

function blocks(page: string): string[] {
  const md = readFileSync(join(root, "docs", "guide", page), "utf8");
  return [...md.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);
}

/** The example with `kamaelia…` imports pointed at this source tree. */
function local(code: string): string {
  return `${code
    .replaceAll('from "kamaelia/actor"', 'from "../src/actor/index.js"')
    .replaceAll('from "kamaelia/stm"', 'from "../src/stm/index.js"')
    .replaceAll('from "kamaelia/parallel"', 'from "../src/parallel/index.js"')
    .replaceAll('from "kamaelia"', 'from "../src/index.js"')}\nexport {};\n`;
}

test("every ts example in the actor and STM guides type-checks, and the first one runs", () => {
  const examples = [...blocks("actors.md"), ...blocks("stm.md")];
  assert.ok(examples.length >= 5, "the guides have their examples");
  const dir = mkdtempSync(join(root, ".readme-check-guides-"));
  try {
    const files = examples.map((code, i) => {
      const f = join(dir, `example${i}.ts`);
      writeFileSync(f, local(code));
      return f;
    });
    writeFileSync(join(dir, "tsconfig.json"), JSON.stringify({ extends: "../tsconfig.json", compilerOptions: { noEmit: true, noUnusedLocals: false }, include: files }));
    const tsc = join(root, "node_modules", "typescript", "bin", "tsc");
    const r = spawnSync(process.execPath, [tsc, "-p", dir], { encoding: "utf8", timeout: 120_000 });
    assert.equal(r.status, 0, `${r.stdout}${r.stderr}`);
    const run = spawnSync(process.execPath, ["--import", "tsx", files[0]!], { cwd: root, encoding: "utf8", timeout: 60_000 });
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stdout, "Hello, Ann (#1)\n");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
