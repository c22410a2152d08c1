/**
 * `kamaelia graph FILE --format json|dot|mermaid`: build the system FILE
 * describes, without running it, and print its graph.
 *
 * FILE exposes its system as the export `graph` (or, failing that, its
 * default export): a component, an array of components, or a function
 * (called with no arguments, possibly async) returning one of those, built
 * but not activated. A Graphline or Pipeline shows the links it will make.
 *
 * @module
 */
import { Component, type AnyComponent } from "../core/index.js";
import { exportGraph, toDot, toMermaid } from "../introspect/graph.js";
import { UsageError, type Command } from "./args.js";
import { importFile, resolveFile } from "./load.js";

type Graph = Extract<Command, { command: "graph" }>;

function components(x: unknown): AnyComponent[] | null {
  if (x instanceof Component) return [x as AnyComponent];
  if (Array.isArray(x) && x.length > 0 && x.every((c) => c instanceof Component)) return x as AnyComponent[];
  return null;
}

/** Build FILE's graph and return it as text in the chosen format. */
export async function graphCommand(cmd: Graph): Promise<string> {
  const path = resolveFile(cmd.file);
  const mod = await importFile(path, cmd.file);
  const source = mod.graph ?? mod.default;
  if (source === undefined) throw new UsageError(`${cmd.file} exports no graph (export \`graph\`: a function returning its unstarted component(s), or a default export)`);
  let built: unknown = source;
  if (typeof source === "function" && !(source.prototype instanceof Component)) built = await (source as () => unknown)();
  const cs = components(built);
  if (cs === null) throw new UsageError(`${cmd.file}: its graph export gave ${built === null ? "null" : typeof built}, not a component or an array of components`);
  const doc = exportGraph(cs.length === 1 ? cs[0]! : cs);
  if (cmd.format === "dot") return toDot(doc);
  if (cmd.format === "mermaid") return toMermaid(doc);
  return `${JSON.stringify(doc, null, 2)}\n`;
}
