/**
 * Reading the tested parts of the docs: code blocks in Markdown, and the
 * markers that tie a tutorial's blocks to the runnable files beside it.
 *
 * `<!-- file: PATH -->` before a ```ts block: the block is PATH's text (with
 * the relative import of `src/index.js` written as `"kamaelia"`).
 * `<!-- output: PATH -->` before a ```text block: running PATH prints the
 * block; a line `...` stands for any number of lines.
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";

/** The repository root. */
export const root = join(dirname(new URL(import.meta.url).pathname), "..", "..");

/** One fenced code block and what precedes it. */
export interface Block {
  file: string;
  line: number;
  lang: string;
  code: string;
  marker: { kind: "file" | "output"; path: string } | null;
}

/** Every fenced block in a Markdown file, with the marker on the line before it (if any). */
export function blocksOf(file: string): Block[] {
  const lines = readFileSync(file, "utf8").split("\n");
  const out: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\w*)\s*$/.exec(lines[i]!);
    if (open === null) continue;
    const end = lines.indexOf("```", i + 1);
    if (end < 0) throw new Error(`${relative(root, file)}:${i + 1}: code block never closed`);
    const m = /^<!-- (file|output): (\S+) -->$/.exec(lines[i - 1] ?? "");
    out.push({
      file,
      line: i + 1,
      lang: open[1]!,
      code: lines.slice(i + 1, end).join("\n") + "\n",
      marker: m === null ? null : { kind: m[1] as "file" | "output", path: join(dirname(file), m[2]!) },
    });
    i = end;
  }
  return out;
}

/** Markdown files under a directory, recursively, sorted. */
export function markdownUnder(dir: string): string[] {
  const found: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile() && e.name.endsWith(".md")) found.push(join(e.parentPath, e.name));
  }
  return found.sort();
}

/** A runnable file's text as the docs show it: the library imported as "kamaelia". */
export function shownAs(source: string): string {
  return source.replace(/from "(\.\.\/)+src\/index\.js"/g, 'from "kamaelia"').replace(/from "(\.\.\/)+src\/(\w+)\/index\.js"/g, 'from "kamaelia/$2"');
}

/** Whether `actual` output matches `expected`, where an `...` line matches any run of lines. */
export function outputMatches(expected: string, actual: string): boolean {
  const exp = expected.replace(/\n$/, "").split("\n");
  const act = actual.replace(/\n$/, "").split("\n");
  const memo = new Map<string, boolean>();
  const go = (i: number, j: number): boolean => {
    const key = `${i},${j}`;
    const hit = memo.get(key);
    if (hit !== undefined) return hit;
    let r: boolean;
    if (i === exp.length) r = j === act.length;
    else if (exp[i] === "...") r = go(i + 1, j) || (j < act.length && go(i, j + 1));
    else r = j < act.length && exp[i] === act[j] && go(i + 1, j + 1);
    memo.set(key, r);
    return r;
  };
  return go(0, 0);
}
