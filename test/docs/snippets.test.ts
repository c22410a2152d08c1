/**
 * Every code example compiles: each ```ts block in README.md and docs/
 * (imports and all, with "kamaelia" resolved to this source tree), and
 * each ```ts block in a doc comment under src/ (given the library's exports
 * and the placeholder names in placeholders.ts). Tutorial blocks marked
 * `<!-- file: … -->` are real files, checked by typecheck and tutorial.test.ts.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import ts from "typescript";
import { blocksOf, markdownUnder, root } from "./markdown.js";

interface Snippet {
  where: string;
  code: string;
  /** For a doc comment: the folder under src/ it is in. */
  folder?: string;
}

/** Node names a doc-comment example may use without importing them. */
const nodeNames: Record<string, string> = { readFileSync: "node:fs", writeFileSync: "node:fs", once: "node:events" };

function markdownSnippets(): Snippet[] {
  const files = [join(root, "README.md"), ...markdownUnder(join(root, "docs"))];
  return files
    .flatMap(blocksOf)
    .filter((b) => b.lang === "ts" && b.marker === null)
    .map((b) => ({ where: `${relative(root, b.file)}:${b.line}`, code: b.code }));
}

function docCommentSnippets(): Snippet[] {
  const out: Snippet[] = [];
  for (const f of readdirSync(join(root, "src"), { recursive: true, encoding: "utf8" })) {
    if (!f.endsWith(".ts")) continue;
    const lines = readFileSync(join(root, "src", f), "utf8").split("\n");
    for (let i = 0; i < lines.length; i++) {
      if (!/^\s*\* ```ts\s*$/.test(lines[i]!)) continue;
      const start = i;
      const body: string[] = [];
      for (i++; i < lines.length && !/^\s*\* ```\s*$/.test(lines[i]!); i++) body.push(lines[i]!.replace(/^\s*\* ?/, ""));
      out.push({ where: `src/${f}:${start + 1}`, code: body.join("\n") + "\n", folder: f.includes("/") ? f.split("/")[0] : undefined });
    }
  }
  return out;
}

/** The names a module exports (values and types). */
function exportsOf(program: ts.Program, file: string): string[] {
  const checker = program.getTypeChecker();
  const sym = checker.getSymbolAtLocation(program.getSourceFile(file)!)!;
  return checker.getExportsOfModule(sym).map((s) => s.name);
}

const options: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  lib: ["lib.es2023.d.ts"],
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  strict: true,
  noEmit: true,
  skipLibCheck: true,
  types: ["node"],
  typeRoots: [join(root, "node_modules", "@types")],
  verbatimModuleSyntax: false,
  paths: { kamaelia: [join(root, "src", "index.ts")], "kamaelia/*": [join(root, "src", "*", "index.ts")] },
};

test("every ts example in README.md, docs/ and the doc comments in src/ compiles", { timeout: 300_000 }, () => {
  const md = markdownSnippets();
  const doc = docCommentSnippets();
  assert.ok(md.length >= 3 && doc.length >= 10, "the examples were found");

  const libFile = join(root, "src", "index.ts");
  const placeholderFile = join(root, "test", "docs", "placeholders.ts");
  // A folder with its own index.ts: its examples may use what it exports (as "kamaelia/<folder>").
  const folders = readdirSync(join(root, "src"), { withFileTypes: true })
    .filter((e) => e.isDirectory() && readdirSync(join(root, "src", e.name)).includes("index.ts"))
    .map((e) => e.name);
  const folderFile = (f: string) => join(root, "src", f, "index.ts");
  const names = ts.createProgram([libFile, placeholderFile, ...folders.map(folderFile)], options);
  const lib = exportsOf(names, libFile);
  const ofFolder = new Map(folders.map((f) => [f, exportsOf(names, folderFile(f))]));
  const placeholders = exportsOf(names, placeholderFile);

  const dir = mkdtempSync(join(root, ".snippets-"));
  try {
    const where = new Map<string, string>();
    md.forEach((s, i) => {
      const f = join(dir, `md${i}.ts`);
      writeFileSync(f, `${s.code}\nexport {};\n`);
      where.set(f, s.where);
    });
    doc.forEach((s, i) => {
      const declared = new Set([...s.code.matchAll(/\b(?:class|const|let|function\*?|type|interface)\s+(\w+)/g)].map((m) => m[1]!));
      const used = new Set(s.code.match(/\b[A-Za-z_]\w*\b/g) ?? []);
      const pick = (from: string[]) => from.filter((n) => used.has(n) && !declared.has(n));
      const taken = new Set<string>();
      const sources: [string, string[]][] = [
        ["kamaelia", pick(lib)],
        ...(s.folder !== undefined && ofFolder.has(s.folder) ? [[`kamaelia/${s.folder}`, pick(ofFolder.get(s.folder)!)] as [string, string[]]] : []),
        ["kamaelia/testing", pick(ofFolder.get("testing") ?? [])],
        ...Object.entries(nodeNames).map(([n, from]) => [from, pick([n])] as [string, string[]]),
        [placeholderFile.replace(/\.ts$/, ".js"), pick(placeholders)],
      ];
      const imports = sources.map(([from, ns]) => {
        const fresh = ns.filter((n) => !taken.has(n));
        fresh.forEach((n) => taken.add(n));
        return fresh.length === 0 ? "" : `import { ${fresh.join(", ")} } from ${JSON.stringify(from)};\n`;
      });
      const assertImport = used.has("assert") ? 'import assert from "node:assert/strict";\n' : "";
      const f = join(dir, `doc${i}.ts`);
      writeFileSync(f, `${assertImport}${imports.join("")}${s.code}\nexport {};\n`);
      where.set(f, s.where);
    });
    writeFileSync(join(dir, "package.json"), JSON.stringify({ type: "module" }));

    const program = ts.createProgram([...where.keys()], options);
    const problems = ts
      .getPreEmitDiagnostics(program)
      .filter((d) => d.file !== undefined && where.has(d.file.fileName))
      .map((d) => {
        const { line } = d.file!.getLineAndCharacterOfPosition(d.start ?? 0);
        const text = d.file!.text.split("\n")[line];
        return `${where.get(d.file!.fileName)}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}\n    in: ${text}`;
      });
    assert.equal(problems.length, 0, `examples that do not compile:\n${problems.join("\n")}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
