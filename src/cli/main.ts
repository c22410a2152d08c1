#!/usr/bin/env node
/**
 * The `kamaelia` command (the package's `bin`): `kamaelia run FILE`,
 * `kamaelia graph FILE`, `kamaelia --help`. See `args.ts` for the syntax.
 * A mistake prints one line, `kamaelia: …`, and exits with status 2; a
 * program that fails prints one line too and exits with status 1.
 *
 * @module
 */
import { USAGE, UsageError, parseArgs } from "./args.js";
import { graphCommand } from "./graph-command.js";
import { runCommand } from "./run.js";

async function main(argv: readonly string[]): Promise<number> {
  const cmd = parseArgs(argv);
  if (cmd.command === "help") {
    process.stdout.write(USAGE);
    return 0;
  }
  if (cmd.command === "graph") {
    process.stdout.write(await graphCommand(cmd));
    return 0;
  }
  await runCommand(cmd, (line) => process.stdout.write(`${line}\n`));
  return 0;
}

main(process.argv.slice(2)).then(
  // Exit when the program is done, even if it left a handle open (the visualiser, a console session).
  (code) => process.exit(code),
  (e: unknown) => {
    // One line saying what went wrong (a component failure names the component and the cause); the stack only with DEBUG set.
    const message = e instanceof Error ? e.message : String(e);
    process.stderr.write(`kamaelia: ${message.split("\n")[0]}\n`);
    if ((process.env.DEBUG ?? "") !== "" && e instanceof Error && e.stack) process.stderr.write(`${e.stack}\n`);
    process.exit(e instanceof UsageError ? 2 : 1);
  },
);
