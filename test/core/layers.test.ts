/**
 * The core's module graph: no import cycles (type-only imports count: a
 * cycle of types is still a tangle to change), and nothing outside src/core
 * but Node's own modules.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";

const dir = join(import.meta.dirname, "..", "..", "src", "core");

/** Every module each file of src/core imports, by value or by type (`import type`, `export … from`, `import("…")`). */
function imports(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const f of readdirSync(dir).filter((n) => n.endsWith(".ts"))) {
    const text = readFileSync(join(dir, f), "utf8");
    const found = new Set<string>();
    for (const m of text.matchAll(/(?:from\s+|import\s*\(\s*|declare module\s+)"([^"]+)"/g)) found.add(m[1]!);
    graph.set(f, [...found]);
  }
  return graph;
}

test("src/core imports nothing outside itself but Node's own modules", () => {
  for (const [file, deps] of imports()) {
    for (const d of deps) assert.ok(d.startsWith("./") || d.startsWith("node:"), `${file} imports ${d}`);
  }
});

test("src/core has no import cycles, type-only imports included", () => {
  const graph = imports();
  const edges = (f: string): string[] =>
    (graph.get(f) ?? []).filter((d) => d.startsWith("./")).map((d) => d.slice(2).replace(/\.js$/, ".ts"));
  // Depth-first search; a grey node met again closes a cycle. (A `declare module` augmentation is not an import of
  // the augmented module's dependents, but it does point at it, so it is counted like an import.)
  const state = new Map<string, "grey" | "black">();
  const path: string[] = [];
  const visit = (f: string): void => {
    state.set(f, "grey");
    path.push(f);
    for (const d of edges(f)) {
      const s = state.get(d);
      if (s === "grey") assert.fail(`import cycle: ${[...path.slice(path.indexOf(d)), d].join(" → ")}`);
      if (s === undefined) visit(d);
    }
    path.pop();
    state.set(f, "black");
  };
  for (const f of graph.keys()) if (!state.has(f)) visit(f);
});
