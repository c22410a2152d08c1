/**
 * `kamaelia run FILE`: run a program with the visualiser and the console
 * attached to every system it creates.
 *
 * The Introspector starts before FILE is imported, watching every system
 * (the hooks report each activation), so a program that starts its system
 * as it loads is seen from its first component. FILE then sees
 * `process.argv` as if run by `node FILE ARGS…`.
 *
 * @module
 */
import { Component, type AnyComponent, type System } from "../core/index.js";
import { observe } from "../core/observe.js";
import { Introspector } from "../introspect/introspector.js";
import { startVisualiser } from "../introspect/visualiser.js";
import { startLocalConsole, startNetworkConsole } from "../introspect/console.js";
import { UsageError, type Command } from "./args.js";
import { importFile, resolveFile } from "./load.js";

type Run = Extract<Command, { command: "run" }>;

function isComponent(x: unknown): x is AnyComponent {
  return x instanceof Component;
}

/** Run a component (or, if the program already started it, wait for its system). */
function runIt(c: AnyComponent): Promise<void> {
  return c.isActive() ? c.system!.run() : c.run();
}

/**
 * Run the program; resolves when it has finished: the component its default
 * export gave has, or, for a program that started itself as it loaded, every
 * system it started has. The visualiser and the console keep the process
 * alive meanwhile, so a stalled program can still be looked at.
 */
export async function runCommand(cmd: Run, out: (line: string) => void): Promise<void> {
  const path = resolveFile(cmd.file);
  const systems = new Set<System>();
  const stopCounting = observe({ activated: (c) => void (c.system !== null && systems.add(c.system)) });
  const spy = cmd.inspect !== null || cmd.console !== null ? new Introspector("all") : null;
  if (spy !== null && cmd.inspect !== null) {
    const vis = await startVisualiser(spy, { port: cmd.inspect });
    out(`kamaelia: visualiser on ${vis.url}`);
  }
  if (spy !== null && typeof cmd.console === "number") {
    const fromEnv = process.env.KAMAELIA_CONSOLE_TOKEN !== undefined;
    const con = await startNetworkConsole(spy, { port: cmd.console });
    out(`kamaelia: console on ${con.host}:${con.port}; send the token as the first line${fromEnv ? " (the token is KAMAELIA_CONSOLE_TOKEN)" : `: ${con.token}`}`);
  }

  process.argv = [process.argv[0]!, path, ...cmd.args];
  const mod = await importFile(path, cmd.file);
  stopCounting();
  if (spy !== null && cmd.console === "local") {
    const r = startLocalConsole(spy);
    r.on("exit", () => process.exit(0));
  }

  const entry = mod.default ?? mod.main;
  if (isComponent(entry)) {
    return runIt(entry);
  }
  if (typeof entry === "function" && entry.prototype instanceof Component) {
    return runIt(new (entry as new () => AnyComponent)());
  }
  if (typeof entry === "function") {
    const made: unknown = await (entry as (args: readonly string[]) => unknown)(cmd.args);
    if (isComponent(made)) await runIt(made);
    return;
  }
  if (entry !== undefined && entry !== null && typeof (entry as PromiseLike<unknown>).then === "function") {
    await entry;
    return;
  }
  if (systems.size === 0) {
    throw new UsageError(`${cmd.file} exports nothing runnable and started no component (export default a component, or a function that starts one, or start a system when the file runs)`);
  }
  // The program started itself: it is done when the systems it started are.
  await Promise.all([...systems].map((s) => s.run()));
}
