/**
 * The package as a user gets it: pack the tarball, install it into a fresh
 * project outside this tree, and compile a consumer against it under both
 * `NodeNext` and `bundler` module resolution; then run the compiled
 * consumer, and `require()` it.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { root } from "../docs/markdown.js";

const consumer = `import { Component, Pipeline, System, type Settings } from "kamaelia";
import { Harness } from "kamaelia/testing";

class Upper extends Component<string, string> {
  *main() {
    yield* this.processMessages((s) => this.send(s.toUpperCase()));
  }
}

const settings: Settings<Upper> = {};
const h = new Harness();
const up = h.activate(Upper.create(settings));
const out = h.collect(up.outbox);
h.send(up, "inbox", "packed", "and installed");
h.runUntilIdle();
out.take();
console.log(out.messages.join(" "));
const p = Pipeline(new Upper(), new Upper());
console.log(p instanceof Component, new System().size);
`;

function run(cmd: string, args: string[], cwd: string): string {
  const r = spawnSync(cmd, args, { cwd, encoding: "utf8", timeout: 300_000 });
  assert.equal(r.status, 0, `${cmd} ${args.join(" ")} failed in ${cwd}:\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

test("the packed tarball installs and compiles under NodeNext and bundler resolution", { timeout: 600_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), "kamaelia-pack-"));
  try {
    const npm = process.platform === "win32" ? "npm.cmd" : "npm";
    const t0 = Date.now();
    const phase = (what: string) => console.log(`# ${what}: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    run(npm, ["pack", "--silent", "--pack-destination", dir], root);
    phase("packed (built first)");
    const tarball = readdirSync(dir).find((f) => f.endsWith(".tgz"));
    assert.ok(tarball, "npm pack made a tarball");

    const app = join(dir, "app");
    mkdirSync(app);
    writeFileSync(join(app, "package.json"), JSON.stringify({ name: "app", private: true, type: "module" }));
    // Offline: its few dependencies come from the npm cache that `npm ci` filled.
    run(npm, ["install", "--offline", "--no-audit", "--no-fund", "--silent", join(dir, tarball)], app);
    for (const f of ["LICENSE", "dist/index.js", "dist/index.d.ts", "dist/index.d.ts.map", "src/index.ts"]) {
      assert.ok(existsSync(join(app, "node_modules", "kamaelia", f)), `the package contains ${f}`);
    }
    phase("installed");
    writeFileSync(join(app, "main.ts"), consumer);

    const tsc = join(root, "node_modules", "typescript", "bin", "tsc");
    const common = {
      target: "ES2022",
      strict: true,
      // The declarations were checked when they were built; checking all of @types/node again would double the test's time.
      skipLibCheck: true,
      types: ["node"],
      typeRoots: [join(root, "node_modules", "@types")],
    };
    for (const [name, options] of [
      ["nodenext", { module: "NodeNext", moduleResolution: "NodeNext", outDir: "out" }],
      ["bundler", { module: "ESNext", moduleResolution: "bundler", noEmit: true }],
    ] as const) {
      writeFileSync(join(app, `tsconfig.${name}.json`), JSON.stringify({ compilerOptions: { ...common, ...options }, files: ["main.ts"] }));
      run(process.execPath, [tsc, "-p", `tsconfig.${name}.json`], app);
      phase(`compiled (${name})`);
    }

    assert.equal(run(process.execPath, ["out/main.js"], app), "PACKED AND INSTALLED\ntrue 0\n");
    // ESM-only, but Node >= 20.19 (package.json "engines") can require() it.
    const cjs = run(process.execPath, ["-e", 'const k = require("kamaelia"); console.log(typeof k.Pipeline, typeof require("kamaelia/testing").Harness)'], app);
    assert.equal(cjs, "function function\n");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
