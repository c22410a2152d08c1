/**
 * examples/dining-philosophers.ts as a real process: it finishes (no
 * deadlock), every philosopher eats M meals, the total is N × M, and the
 * trace of takes and drops shows no fork ever held by two philosophers at once.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../..", import.meta.url));

function run(...args: string[]) {
  return spawnSync(process.execPath, ["--import", "tsx", "examples/dining-philosophers.ts", ...args], { cwd: root, encoding: "utf8", timeout: 120_000 });
}

test("7 philosophers × 25 meals: all eat, total printed, no fork ever held by two at once", () => {
  const r = run("--philosophers", "7", "--meals", "25", "--trace");
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.trim().split("\n");
  const holder = new Map<string, string>();
  const meals = new Map<string, number>();
  let overlap = false;
  for (const line of lines.filter((l) => /^(take|drop) /.test(l))) {
    const [kind, who, ...forks] = line.split(" ");
    assert.equal(forks.length, 2, line);
    for (const f of forks) {
      if (kind === "take") {
        assert.equal(holder.get(f), undefined, `${who} took ${f} while ${holder.get(f)} held it`);
        holder.set(f, who!);
      } else {
        assert.equal(holder.get(f), who, `${who} dropped ${f}, which it did not hold`);
        holder.delete(f);
      }
    }
    if (kind === "take") meals.set(who!, (meals.get(who!) ?? 0) + 1);
    if (holder.size > 2) overlap = true;
  }
  assert.equal(holder.size, 0, "every fork is back on the table");
  assert.equal(meals.size, 7);
  for (const [who, n] of meals) assert.equal(n, 25, `${who} ate 25 meals`);
  assert.match(lines.at(-1)!, /^total meals: 175 \(7 philosophers × 25 meals\)$/);
  const summary = lines.filter((l) => / ate 25 meals/.test(l));
  assert.equal(summary.length, 7);
  const conflicts = summary.reduce((s, l) => s + Number(/lost the race (\d+) times/.exec(l)![1]), 0);
  assert.ok(conflicts > 0, "some grabs lost the race (ConcurrentUpdate), so the transactions really interleaved");
  assert.ok(overlap, "non-neighbours ate at the same time");
});

test("default run: 5 × 3; bad options exit 2 with a clear message", () => {
  const ok = run();
  assert.equal(ok.status, 0, ok.stderr);
  assert.match(ok.stdout, /total meals: 15 \(5 philosophers × 3 meals\)\n$/);
  const one = run("--philosophers", "1");
  assert.equal(one.status, 2);
  assert.match(one.stderr, /--philosophers must be a whole number ≥ 2 \(each needs two forks\), got 1/);
  const bad = run("--meals", "lots");
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /--meals needs a whole number, got "lots"/);
  const unknown = run("--forks", "3");
  assert.equal(unknown.status, 2);
  assert.match(unknown.stderr, /unknown option --forks/);
  const zero = run("--meals", "0");
  assert.equal(zero.status, 0, zero.stderr);
  assert.match(zero.stdout, /total meals: 0 \(5 philosophers × 0 meals\)/);
});
