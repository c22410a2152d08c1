/**
 * `npx kamaelia …` in a project that installed the packed tarball: the bin
 * is linked, runs a program, prints a graph and its help.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";

const root = join(import.meta.dirname, "..", "..");
const npm = process.platform === "win32" ? "npm.cmd" : "npm";
const npx = process.platform === "win32" ? "npx.cmd" : "npx";

function run(cmd: string, args: string[], cwd: string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(cmd, args, { cwd, encoding: "utf8", timeout: 300_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const app = `import { Component, Pipeline } from "kamaelia";

class Hello extends Component {
  *main() {
    console.log("hello from " + process.argv.slice(2).join(" "));
  }
}

export default () => new Hello();
export function graph() {
  return Pipeline(new Hello(), new Hello());
}
`;

test("npx kamaelia works in a project that installed the packed tarball", { timeout: 600_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), "kamaelia-npx-"));
  try {
    const packed = run(npm, ["pack", "--silent", "--pack-destination", dir], root);
    assert.equal(packed.status, 0, packed.stderr);
    const tarball = readdirSync(dir).find((f) => f.endsWith(".tgz"))!;
    const project = join(dir, "project");
    mkdirSync(project);
    writeFileSync(join(project, "package.json"), JSON.stringify({ name: "project", private: true, type: "module" }));
    const installed = run(npm, ["install", "--prefer-offline", "--no-audit", "--no-fund", "--silent", join(dir, tarball)], project);
    assert.equal(installed.status, 0, installed.stderr);
    writeFileSync(join(project, "app.mjs"), app);

    const help = run(npx, ["--no-install", "kamaelia", "--help"], project);
    assert.equal(help.status, 0, help.stderr);
    assert.match(help.stdout, /^Usage:\n {2}kamaelia run FILE/);

    const ran = run(npx, ["--no-install", "kamaelia", "run", "app.mjs", "--inspect", "--", "the", "tarball"], project);
    assert.equal(ran.status, 0, ran.stderr);
    assert.match(ran.stdout, /^kamaelia: visualiser on http:\/\/127\.0\.0\.1:\d+\/\nhello from the tarball\n$/);

    const graph = run(npx, ["--no-install", "kamaelia", "graph", "app.mjs", "--format", "mermaid"], project);
    assert.equal(graph.status, 0, graph.stderr);
    assert.match(graph.stdout, /^flowchart LR\n {2}subgraph n0 \["Pipeline"\]\n {4}n1\["Hello1 : Hello"\]\n {4}n2\["Hello2 : Hello"\]/);

    const missing = run(npx, ["--no-install", "kamaelia", "run", "nope.mjs"], project);
    assert.equal(missing.status, 2);
    assert.equal(missing.stderr, "kamaelia: no such file: nope.mjs\n");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
