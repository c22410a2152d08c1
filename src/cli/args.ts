/**
 * The `kamaelia` command line, parsed: `run FILE [--inspect[=PORT]]
 * [--console[=PORT]] [-- ARGS…]`, `graph FILE [--format json|dot|mermaid]`,
 * `--help`. Every mistake is a `UsageError` (the library's, from runMain) with one line saying what
 * was wrong.
 *
 * @module
 */
import { UsageError } from "../interop/index.js";

export { UsageError };

/** What to do. */
export type Command =
  | { readonly command: "help" }
  | { readonly command: "run"; readonly file: string; readonly inspect: number | null; readonly console: number | "local" | null; readonly args: readonly string[] }
  | { readonly command: "graph"; readonly file: string; readonly format: "json" | "dot" | "mermaid" };

/** The text of `kamaelia --help`. */
export const USAGE = `Usage:
  kamaelia run FILE [--inspect[=PORT]] [--console[=PORT]] [-- ARGS...]
      Run the program FILE (ARGS are passed to it, as process.argv.slice(2)).
      --inspect[=PORT]   serve the live graph on http://127.0.0.1:PORT/ (a free port if none given)
      --console          an interactive console on this terminal
      --console=PORT     the console over TCP on 127.0.0.1:PORT; the first line must be the token
                         (printed at start, or set with KAMAELIA_CONSOLE_TOKEN)
  kamaelia graph FILE [--format json|dot|mermaid]
      Build the system FILE describes, without running it, and print its graph.
      FILE exports \`graph\` (or a default export): a component, an array of them,
      or a function returning them (unstarted).
  kamaelia --help
      This text.

A program's FILE runs as if by \`node FILE ARGS...\`: it may start its system when it
runs, or export a component (or a function returning one, or a promise) as its
default export, which is then run. TypeScript files need tsx installed.
`;

function port(flag: string, value: string): number {
  if (!/^\d+$/.test(value) || Number(value) > 65535) throw new UsageError(`${flag}=${value}: PORT must be a number from 0 to 65535`);
  return Number(value);
}

/** Parse the arguments after `kamaelia`. @throws UsageError naming what is wrong. */
export function parseArgs(argv: readonly string[]): Command {
  const [command, ...rest] = argv;
  if (command === undefined) throw new UsageError("no command given (kamaelia --help lists them)");
  if (command === "--help" || command === "-h" || command === "help") return { command: "help" };
  if (command !== "run" && command !== "graph") throw new UsageError(`unknown command "${command}" (commands: run, graph; kamaelia --help)`);
  let file: string | undefined;
  let inspect: number | null = null;
  let consolePort: number | "local" | null = null;
  let format: "json" | "dot" | "mermaid" = "json";
  let args: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i]!;
    if (a === "--") {
      if (command !== "run") throw new UsageError(`"--" and program arguments belong to "run", not "${command}"`);
      args = rest.slice(i + 1);
      break;
    }
    if (command === "run" && (a === "--inspect" || a.startsWith("--inspect="))) inspect = a === "--inspect" ? 0 : port("--inspect", a.slice(10));
    else if (command === "run" && (a === "--console" || a.startsWith("--console="))) consolePort = a === "--console" ? "local" : port("--console", a.slice(10));
    else if (command === "graph" && (a === "--format" || a.startsWith("--format="))) {
      const v = a === "--format" ? rest[++i] : a.slice(9);
      if (v !== "json" && v !== "dot" && v !== "mermaid") throw new UsageError(`--format must be json, dot or mermaid (got ${v === undefined ? "nothing" : JSON.stringify(v)})`);
      format = v;
    } else if (a.startsWith("-")) throw new UsageError(`unknown option ${a} for "${command}" (kamaelia --help; program arguments go after "--")`);
    else if (file === undefined) file = a;
    else throw new UsageError(`unexpected argument ${JSON.stringify(a)}: program arguments go after "--"`);
  }
  if (file === undefined) throw new UsageError(`"${command}" needs a FILE (kamaelia ${command} FILE …)`);
  return command === "run" ? { command, file, inspect, console: consolePort, args } : { command, file, format };
}
