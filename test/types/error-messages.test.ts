/**
 * Compile errors people can read: a wrong Pipeline stage or Graphline
 * linkage must be reported with the stage or linkage and both types, not as
 * `not assignable to never`. Each case is compiled with the TypeScript API
 * and its diagnostic text checked.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";
import { root } from "../docs/markdown.js";

const header = `import { Component, Graphline, Pipeline } from "../src/index.js";
class N2S extends Component<number, string> { *main() {} }
class S2N extends Component<string, number> { *main() {} }
`;

/** The diagnostics for each case, compiled together in one program. */
function diagnose(cases: Record<string, string>): Record<string, string> {
  const dir = mkdtempSync(join(root, ".type-errors-"));
  try {
    const files = Object.entries(cases).map(([name, code]) => {
      const f = join(dir, `${name}.ts`);
      writeFileSync(f, `${header}${code}\nexport {};\n`);
      return [name, f] as const;
    });
    const program = ts.createProgram(
      files.map(([, f]) => f),
      { strict: true, noEmit: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, skipLibCheck: true, types: ["node"] },
    );
    const out: Record<string, string> = {};
    for (const [name, f] of files) {
      out[name] = ts
        .getPreEmitDiagnostics(program, program.getSourceFile(f))
        .map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"))
        .join("\n");
    }
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test("wrong Graphline linkages and Pipeline stages are reported with the linkage (or stage) and both types", { timeout: 120_000 }, () => {
  const d = diagnose({
    mismatch: `Graphline({ A: new N2S(), B: new S2N() }, { "A.outbox": "B.inbox", "B.outbox": "B.inbox" });`,
    selfLoop: `Graphline({ A: new N2S() }, { "A.outbox": "A.inbox" });`,
    noChild: `Graphline({ A: new N2S() }, { "A.outbox": "Q.inbox" });`,
    noInbox: `Graphline({ A: new N2S() }, { "A.outbox": "A.nope" });`,
    noSource: `Graphline({ A: new N2S() }, { "Z.outbox": "A.inbox" });`,
    stage: `Pipeline(new N2S(), new N2S());`,
    fine: `Graphline({ A: new N2S(), B: new S2N() }, { "A.outbox": "B.inbox", "B.outbox": "A.inbox" });`,
  });
  assert.match(d.mismatch!, /LinkageMismatch<"B\.outbox → B\.inbox", number, string>/);
  assert.match(d.selfLoop!, /LinkageMismatch<"A\.outbox → A\.inbox", string, number>/);
  assert.match(d.noChild!, /LinkageProblem<"A\.outbox → Q\.inbox", "there is no child named Q">/);
  assert.match(d.noInbox!, /LinkageProblem<"A\.outbox → A\.nope", "child A has no inbox named nope">/);
  assert.match(d.noSource!, /LinkageProblem<"Z\.outbox → A\.inbox", "there is no child named Z">/);
  assert.match(d.stage!, /StageMismatch<"1", string, number>/);
  for (const k of ["mismatch", "selfLoop", "noChild", "noInbox", "noSource"]) assert.doesNotMatch(d[k]!, /assignable to type 'never'/, k);
  assert.equal(d.fine, "");
});
