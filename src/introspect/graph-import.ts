/**
 * Building a Graphline from graph JSON (see {@link GraphDocument}), with a
 * registry of component factories, as NoFlo builds a graph from its JSON.
 *
 * ```ts
 * const registry = new Registry().add(Clock).add(NullSink)
 *   .register("Upper", () => PureTransformer((s: string) => s.toUpperCase()));
 * const g = graphlineFromJSON(readFileSync("graph.json", "utf8"), registry);
 * ```
 *
 * Every problem is a {@link GraphError} whose one-line message names where in
 * the JSON it is (`components.SRC.type`) and what was wrong.
 *
 * @module
 */
import { GraphlineComponent, PipelineComponent } from "../chassis/index.js";
import { Component, KamaeliaError, type AnyComponent } from "../core/index.js";
import type { SettingValue } from "./describe.js";
import { rememberOrigin, type GraphNode } from "./graph.js";

/** Malformed graph JSON, or a component type the registry does not know. */
export class GraphError extends KamaeliaError {
  constructor(message: string) {
    super("BAD_GRAPH", message);
  }
}

/** Makes a component from the settings given in the JSON. */
export type Factory = (settings: Record<string, SettingValue>) => AnyComponent;

/** A component class whose instances can be made with `create(settings)` (no constructor arguments). */
export interface Creatable {
  /** The class's name: the type name it is registered under by default. */
  readonly name: string;
  /** Make an instance with these settings (Component.create). */
  create(settings?: object): AnyComponent;
}

/** Component factories by type name. */
export class Registry {
  readonly #factories = new Map<string, Factory>();

  /** Register a factory under `type`. @throws GraphError if the name is taken. */
  register(type: string, factory: Factory): this {
    if (this.#factories.has(type)) throw new GraphError(`registry: a component type "${type}" is already registered`);
    this.#factories.set(type, factory);
    return this;
  }

  /**
   * Register a component class under its class name (or `type`). Settings
   * are checked against the fields a fresh instance has, so a misspelt
   * setting is an error rather than a silently ignored field.
   */
  add(cls: Creatable, type: string = cls.name): this {
    return this.register(type, (settings) => {
      const probe = cls.create();
      for (const k of Object.keys(settings)) {
        if (!(k in probe)) {
          const known = Object.keys(probe).filter((n) => n !== "id" && !n.startsWith("_") && n !== "parent" && n !== "system");
          throw new GraphError(`${type} has no setting "${k}" (its settings: ${known.join(", ") || "none"})`);
        }
      }
      return cls.create(settings);
    });
  }

  /** Whether `type` is registered. */
  has(type: string): boolean {
    return this.#factories.has(type);
  }

  /** The registered type names, sorted. */
  types(): string[] {
    return [...this.#factories.keys()].sort();
  }

  /** Make a component of `type`. @throws GraphError for an unknown type. */
  make(type: string, settings: Record<string, SettingValue>, where: string): AnyComponent {
    const f = this.#factories.get(type);
    if (f === undefined) throw new GraphError(`${where}: unknown component type "${type}" (registered: ${this.types().join(", ") || "none"})`);
    let c: unknown;
    try {
      c = f(settings);
    } catch (e) {
      throw new GraphError(`${where}: making a ${type} failed: ${e instanceof Error ? e.message : String(e)}`);
    }
    if (!(c instanceof Component)) throw new GraphError(`${where}: the factory for "${type}" returned something that is not a component`);
    return c;
  }
}

function kind(v: unknown): string {
  return v === null ? "null" : Array.isArray(v) ? "an array" : typeof v;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function checkNode(v: unknown, where: string): GraphNode {
  if (!isRecord(v)) throw new GraphError(`${where} must be an object, got ${kind(v)}`);
  if (typeof v.type !== "string" || v.type === "") throw new GraphError(`${where}.type must be a non-empty string, got ${kind(v.type)}`);
  for (const key of Object.keys(v)) {
    if (!["type", "settings", "components", "links", "kamaelia", "version"].includes(key)) throw new GraphError(`${where}: unknown field "${key}" (fields: type, settings, components, links)`);
  }
  if (v.settings !== undefined) {
    if (!isRecord(v.settings)) throw new GraphError(`${where}.settings must be an object, got ${kind(v.settings)}`);
    for (const [k, s] of Object.entries(v.settings)) {
      if (s !== null && !["string", "number", "boolean"].includes(typeof s)) throw new GraphError(`${where}.settings.${k} must be a string, number, boolean or null, got ${kind(s)}`);
    }
  }
  if (v.components !== undefined && !isRecord(v.components)) throw new GraphError(`${where}.components must be an object of named components, got ${kind(v.components)}`);
  if (v.links !== undefined) {
    if (!isRecord(v.links)) throw new GraphError(`${where}.links must be an object ("source.box": "sink.box"), got ${kind(v.links)}`);
    for (const [s, t] of Object.entries(v.links)) {
      if (typeof t !== "string") throw new GraphError(`${where}.links["${s}"] must be a string "sink.box", got ${kind(t)}`);
      for (const end of [s, t]) {
        if (end.includes("/") || end.startsWith("@")) throw new GraphError(`${where}.links: "${end}" reaches past this node's children: a Graphline links only its own children and self`);
      }
    }
  }
  return v as unknown as GraphNode;
}

function build(v: unknown, registry: Registry, where: string): AnyComponent {
  const node = checkNode(v, where);
  const settings = (node.settings ?? {}) as Record<string, SettingValue>;
  if (node.type === "Graphline" || node.type === "System") {
    const children: Record<string, AnyComponent> = {};
    for (const [name, child] of Object.entries(node.components ?? {})) children[name] = build(child, registry, `${where}.components.${name}`);
    let g: GraphlineComponent;
    try {
      g = new GraphlineComponent(children, node.links ?? {});
    } catch (e) {
      throw new GraphError(`${where}.links: ${e instanceof Error ? e.message : String(e)}`);
    }
    rememberOrigin(g, node.type);
    return g;
  }
  if (node.type === "Pipeline") {
    if (node.links !== undefined) throw new GraphError(`${where}: a Pipeline takes no links (its stages are linked in order)`);
    const stages = Object.entries(node.components ?? {}).map(([name, child]) => build(child, registry, `${where}.components.${name}`));
    const p = new PipelineComponent(...stages);
    rememberOrigin(p, node.type);
    return p;
  }
  if (node.components !== undefined || node.links !== undefined) {
    throw new GraphError(`${where}: a ${node.type} is built by its factory; only a Graphline, Pipeline or System lists components and links`);
  }
  const c = registry.make(node.type, settings, where);
  rememberOrigin(c, node.type, node.settings === undefined ? undefined : { ...settings });
  return c;
}

/**
 * Build a Graphline (not yet activated) from graph JSON, given as text or
 * parsed. A document of type `System` is built as a Graphline of its
 * top-level components.
 * @throws GraphError naming the place in the JSON and the problem.
 */
export function graphlineFromJSON(json: string | unknown, registry: Registry): AnyComponent {
  let doc: unknown = json;
  if (typeof json === "string") {
    try {
      doc = JSON.parse(json);
    } catch (e) {
      throw new GraphError(`graph JSON does not parse: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  if (!isRecord(doc)) throw new GraphError(`graph JSON must be an object, got ${kind(doc)}`);
  if (doc.kamaelia !== undefined && doc.kamaelia !== "graph") throw new GraphError(`graph JSON: "kamaelia" must be "graph", got ${JSON.stringify(doc.kamaelia)}`);
  if (doc.version !== undefined && doc.version !== 1) throw new GraphError(`graph JSON: version ${JSON.stringify(doc.version)} is not supported (this library reads version 1)`);
  return build(doc, registry, "graph");
}
