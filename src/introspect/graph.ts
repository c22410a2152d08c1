/**
 * Graph as data: a running (or built, not yet running) system exported as
 * JSON, and that JSON drawn as Graphviz DOT or Mermaid.
 *
 * The JSON is the same shape {@link graphlineFromJSON} builds from, so a
 * Graphline round-trips: each node has a `type`, optional `settings`, its
 * children under `components` (by name) and its linkages under `links`, in
 * Graphline's notation (`"SRC.outbox": "SINK.inbox"`, `self` for the node
 * itself). A link that reaches past a node's children names the box's owner
 * by path (`"A/B.outbox"`) or, outside the node, by name (`"@Name_7.inbox"`).
 *
 * ```json
 * { "kamaelia": "graph", "version": 1, "type": "Graphline",
 *   "components": { "SRC": { "type": "DataSource", "settings": { "delay": 0 } }, "OUT": { "type": "NullSink" } },
 *   "links": { "SRC.outbox": "OUT.inbox", "SRC.signal": "OUT.control" } }
 * ```
 *
 * @module
 */
import { GraphlineComponent, PipelineComponent } from "../chassis/index.js";
import { System, type AnyComponent, type Box } from "../core/index.js";
import { settingsOf, type SettingValue } from "./describe.js";

/** One component in graph JSON. */
export interface GraphNode {
  /** The component's type: a registry name (`DataSource`), `Graphline`, `Pipeline`, or its class name. */
  type: string;
  /** Settings applied with `Type.create(settings)` (only strings, numbers, booleans and null). */
  settings?: Record<string, SettingValue>;
  /** Children, by name. */
  components?: Record<string, GraphNode>;
  /** Linkages, `"source.box": "sink.box"`, named relative to this node. */
  links?: Record<string, string>;
}

/** A whole graph: a node with a format marker and version. */
export interface GraphDocument extends GraphNode {
  /** Marks the document as a Kamaelia graph. */
  kamaelia: "graph";
  /** The format's version. */
  version: 1;
}

/** What a component was built from, when built from JSON: exported back exactly. */
const origins = new WeakMap<AnyComponent, { type: string; settings?: Record<string, SettingValue> }>();

/** Record that `c` was built from graph JSON as `type` with `settings` (used by the importer). */
export function rememberOrigin(c: AnyComponent, type: string, settings?: Record<string, SettingValue>): void {
  origins.set(c, settings === undefined ? { type } : { type, settings });
}

/**
 * Names for components without a Graphline name: their own name, except
 * that components not yet activated (all `Class_0` until the system gives
 * them an id) are numbered per class, `Class1`, `Class2`…, so keys stay unique.
 */
export function keysFor(cs: readonly AnyComponent[]): [string, AnyComponent][] {
  const perClass = new Map<string, number>();
  const used = new Set<string>();
  return cs.map((k) => {
    let key = k.name;
    if (key === `${k.constructor.name}_0` || used.has(key)) {
      const n = (perClass.get(k.constructor.name) ?? 0) + 1;
      perClass.set(k.constructor.name, n);
      key = `${k.constructor.name}${n}`;
    }
    used.add(key);
    return [key, k];
  });
}

/** The named children of `c`: a Graphline's by its names, a Pipeline's stages, or its live children. */
export function namedChildren(c: AnyComponent): [string, AnyComponent][] {
  if (c instanceof GraphlineComponent) return Object.entries(c.children as Record<string, AnyComponent>);
  const kids = c instanceof PipelineComponent && !c.isActive() && !c.isFinished() ? [...c.components] : c.childComponents();
  return keysFor(kids);
}

/** The links `c` will make once running, for a chassis that has not wired itself yet (Graphline, Pipeline). */
function plannedLinks(c: AnyComponent, names: Map<AnyComponent, string>): Record<string, string> | null {
  // Activated but not yet stepped, a chassis has made no links yet: show the ones it is about to make.
  if (c.isFinished() || (c.isActive() && c.linkages().length > 0)) return null;
  if (c instanceof GraphlineComponent) return { ...c.wiring };
  if (c instanceof PipelineComponent && c.components.length > 0) {
    const key = (k: AnyComponent) => names.get(k)!;
    const cs = c.components;
    const out: Record<string, string> = {};
    for (let i = 0; i + 1 < cs.length; i++) {
      out[`${key(cs[i]!)}.outbox`] = `${key(cs[i + 1]!)}.inbox`;
      out[`${key(cs[i]!)}.signal`] = `${key(cs[i + 1]!)}.control`;
    }
    const first = key(cs[0]!);
    const last = key(cs[cs.length - 1]!);
    out["self.inbox"] = `${first}.inbox`;
    out["self.control"] = `${first}.control`;
    out[`${last}.outbox`] = c.circular ? `${first}.inbox` : "self.outbox";
    out[`${last}.signal`] = c.circular ? `${first}.control` : "self.signal";
    return out;
  }
  return null;
}

function typeOf(c: AnyComponent): string {
  const o = origins.get(c);
  if (o !== undefined) return o.type;
  if (c instanceof GraphlineComponent) return "Graphline";
  if (c instanceof PipelineComponent) return "Pipeline";
  return c.constructor.name;
}

/** A box's name as seen from `node`: `self.box`, `CHILD.box`, `CHILD/GRANDCHILD.box`, or `@Name.box`. */
function boxRef(box: Box, node: AnyComponent, names: Map<AnyComponent, string>): string {
  const owner = box.owner as AnyComponent;
  if (owner === node) return `self.${box.name}`;
  const path: string[] = [];
  for (let c: AnyComponent | null = owner; c !== null; c = c.parent) {
    if (c === node) return `${path.join("/")}.${box.name}`;
    path.unshift(names.get(c) ?? c.name);
  }
  return `@${owner.name}.${box.name}`;
}

function exportNode(c: AnyComponent): GraphNode {
  const node: GraphNode = { type: typeOf(c) };
  const origin = origins.get(c);
  const settings = origin !== undefined ? origin.settings : settingsOf(c);
  if (settings !== undefined && Object.keys(settings).length > 0) node.settings = { ...settings };
  const kids = namedChildren(c);
  const names = new Map<AnyComponent, string>(kids.map(([n, k]) => [k, n]));
  if (kids.length > 0) node.components = Object.fromEntries(kids.map(([n, k]) => [n, exportNode(k)]));
  const links = plannedLinks(c, names) ?? Object.fromEntries(c.linkages().filter((l) => l.active).map((l) => [boxRef(l.source, c, names), boxRef(l.sink, c, names)]));
  if (Object.keys(links).length > 0) node.links = links;
  return node;
}

/**
 * Export a system (its top-level components, each with its children), one
 * component, or several, as graph JSON. Works on components built but not yet
 * activated: a Graphline or Pipeline shows the links it will make.
 */
export function exportGraph(what: System | AnyComponent | readonly AnyComponent[]): GraphDocument {
  if (what instanceof System || Array.isArray(what)) {
    const tops = what instanceof System ? what.components().filter((c) => c.parent === null) : (what as readonly AnyComponent[]);
    const components = Object.fromEntries(keysFor(tops).map(([k, c]) => [k, exportNode(c)]));
    return { kamaelia: "graph", version: 1, type: "System", components };
  }
  return { kamaelia: "graph", version: 1, ...exportNode(what as AnyComponent) };
}

interface Flat {
  id: string;
  path: string;
  node: GraphNode;
  name: string;
  parent: Flat | null;
  kids: Flat[];
}

function flatten(doc: GraphNode): { root: Flat; all: Flat[] } {
  const all: Flat[] = [];
  const walk = (node: GraphNode, name: string, path: string, parent: Flat | null): Flat => {
    const f: Flat = { id: `n${all.length}`, path, node, name, parent, kids: [] };
    all.push(f);
    for (const [k, v] of Object.entries(node.components ?? {})) f.kids.push(walk(v, k, path === "" ? k : `${path}/${k}`, f));
    return f;
  };
  return { root: walk(doc, doc.type, "", null), all };
}

/** The node a link end names, relative to `from`, and the box; null when it names nothing in the graph. */
function resolveEnd(end: string, from: Flat, all: Flat[]): [Flat, string] | null {
  const dot = end.lastIndexOf(".");
  if (dot < 0) return null;
  const who = end.slice(0, dot);
  const box = end.slice(dot + 1);
  if (who === "self" || who === "") return [from, box];
  if (who.startsWith("@")) {
    const hit = all.find((f) => f.name === who.slice(1));
    return hit === undefined ? null : [hit, box];
  }
  let at: Flat | undefined = from;
  for (const part of who.split("/")) {
    at = at?.kids.find((k) => k.name === part);
    if (at === undefined) return null;
  }
  return [at, box];
}

interface Edge {
  from: Flat;
  to: Flat;
  label: string;
}

function edges(all: Flat[]): Edge[] {
  const out: Edge[] = [];
  for (const f of all) {
    for (const [s, t] of Object.entries(f.node.links ?? {})) {
      const a = resolveEnd(s, f, all);
      const b = resolveEnd(t, f, all);
      if (a !== null && b !== null) out.push({ from: a[0], to: b[0], label: `${a[1]}→${b[1]}` });
    }
  }
  return out;
}

function quote(text: string): string {
  return `"${text.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

/**
 * Graph JSON as Graphviz DOT: a node per component, a cluster (with a small
 * node for the parent itself) per component with children, an edge per link
 * labelled `outbox→inbox`.
 */
export function toDot(doc: GraphNode): string {
  const { root, all } = flatten(doc);
  const lines = ["digraph kamaelia {", "  rankdir=LR; compound=true;", '  node [shape=box, fontname="sans-serif"]; edge [fontname="sans-serif", fontsize=10];'];
  const emit = (f: Flat, indent: string): void => {
    if (f.kids.length === 0) {
      // Name over type: DOT's \n inside a quoted label.
      lines.push(`${indent}${f.id} [label=${quote(f.name).slice(0, -1)}\\n${quote(f.node.type).slice(1)}];`);
      return;
    }
    lines.push(`${indent}subgraph cluster_${f.id} {`, `${indent}  label=${quote(f === root ? f.node.type : `${f.name} : ${f.node.type}`)};`);
    lines.push(`${indent}  ${f.id} [label="self", shape=plaintext];`);
    for (const k of f.kids) emit(k, `${indent}  `);
    lines.push(`${indent}}`);
  };
  emit(root, "  ");
  for (const e of edges(all)) lines.push(`  ${e.from.id} -> ${e.to.id} [label=${quote(e.label)}];`);
  lines.push("}");
  return `${lines.join("\n")}\n`;
}

function mermaidText(text: string): string {
  return `"${text.replace(/"/g, "#quot;")}"`;
}

/** Graph JSON as a Mermaid flowchart: subgraphs for components with children, a labelled arrow per link. */
export function toMermaid(doc: GraphNode): string {
  const { root, all } = flatten(doc);
  const lines = ["flowchart LR"];
  const emit = (f: Flat, indent: string): void => {
    const label = f === root ? f.node.type : `${f.name} : ${f.node.type}`;
    if (f.kids.length === 0) {
      lines.push(`${indent}${f.id}[${mermaidText(label)}]`);
      return;
    }
    lines.push(`${indent}subgraph ${f.id} [${mermaidText(label)}]`);
    for (const k of f.kids) emit(k, `${indent}  `);
    lines.push(`${indent}end`);
  };
  emit(root, "  ");
  for (const e of edges(all)) lines.push(`  ${e.from.id} -->|${mermaidText(e.label)}| ${e.to.id}`);
  return `${lines.join("\n")}\n`;
}
