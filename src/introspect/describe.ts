/**
 * Components, boxes and linkages described as plain protocol data
 * ({@link ComponentInfo}, {@link BoxInfo}, {@link LinkInfo}), read through
 * the components' public API.
 *
 * @module
 */
import { Component, Inbox, type AnyComponent, type Box, type Linkage } from "../core/index.js";
import { QUEUED } from "../core/scheduler.js";
import type { Meter } from "./meter.js";
import type { BoxInfo, ComponentInfo, ComponentState, LinkInfo } from "./protocol.js";

/**
 * How protocol data names components: the id and name reported for each. By
 * default ({@link ownNames}) a component's own `id` and `name`, which are
 * unique within its system only; an Introspector watching several systems
 * names them apart (see `names.ts`).
 */
export interface ComponentNames {
  /** The id reported for `c`. */
  idOf(c: AnyComponent): number;
  /** The name reported for `c`. */
  nameOf(c: AnyComponent): string;
}

/** Components named by their own id and name. */
export const ownNames: ComponentNames = { idOf: (c) => c.id, nameOf: (c) => c.name };

/** A setting's value as the protocol shows it. */
export type SettingValue = string | number | boolean | null;

/** What a component is doing; `failed` says whether it ended by throwing (the core reports that through the observer hook). */
export function componentState(c: AnyComponent, failed: boolean): ComponentState {
  if (c.isFinished()) return failed ? "failed" : "finished";
  if ((c._flags & QUEUED) !== 0) return "running";
  for (const o of c.outboxes()) if (o.isFull()) return "waiting for room";
  return "paused";
}

/**
 * A component's settings: its own fields that hold a string, a number, a
 * boolean or null (`port`, `stallMs`, `pipewidth`…), except its id and the
 * core's underscore fields.
 */
export function settingsOf(c: AnyComponent): Record<string, SettingValue> {
  const out: Record<string, SettingValue> = {};
  for (const [k, v] of Object.entries(c)) {
    if (k === "id" || k.startsWith("_") || k === "parent" || k === "system") continue;
    if (v === null || typeof v === "string" || typeof v === "boolean" || (typeof v === "number" && Number.isFinite(v))) out[k] = v as SettingValue;
  }
  return out;
}

/** One box as protocol data; counts come from `meter` when it meters the box. */
export function describeBox(box: Box, meter: Meter | null): BoxInfo {
  const inbox = box instanceof Inbox;
  const flow = meter === null ? null : meter.flow(box);
  return {
    name: box.name,
    kind: inbox ? "inbox" : "outbox",
    description: box.description,
    depth: inbox ? box.length : 0,
    limit: inbox && box.limit !== Infinity ? box.limit : null,
    deadLetters: box.deadLetters,
    messagesIn: inbox ? flow : null,
    messagesOut: inbox ? null : flow,
  };
}

/** One component as protocol data, identified through `names`. */
export function describeComponent(c: AnyComponent, meter: Meter | null, failed = false, names: ComponentNames = ownNames): ComponentInfo {
  const boxes: BoxInfo[] = [];
  for (const b of c.inboxes()) boxes.push(describeBox(b, meter));
  for (const b of c.outboxes()) boxes.push(describeBox(b, meter));
  return {
    id: names.idOf(c),
    name: names.nameOf(c),
    class: c.constructor.name,
    parent: c.parent === null ? null : names.idOf(c.parent),
    state: componentState(c, failed),
    boxes,
    settings: settingsOf(c),
  };
}

/** A link's id: `fromId.box->toId.box` (ids through `names`), stable while it lives. */
export function linkId(l: Linkage, names: ComponentNames = ownNames): string {
  const from = names.idOf(l.source.owner as AnyComponent);
  const to = names.idOf(l.sink.owner as AnyComponent);
  return `${from}.${l.source.name}->${to}.${l.sink.name}`;
}

/** One linkage as protocol data, its components identified through `names`. */
export function describeLink(l: Linkage, names: ComponentNames = ownNames): LinkInfo {
  const creator = l.creator as AnyComponent | null;
  return {
    id: linkId(l, names),
    from: { component: names.idOf(l.source.owner as AnyComponent), box: l.source.name },
    to: { component: names.idOf(l.sink.owner as AnyComponent), box: l.sink.name },
    passthrough: l.passthrough,
    creator: creator instanceof Component ? names.idOf(creator) : null,
  };
}

/** The live components of `components` in tree order: each parent before its children. */
export function treeOrder(components: readonly AnyComponent[]): AnyComponent[] {
  const live = new Set(components);
  const out: AnyComponent[] = [];
  const seen = new Set<AnyComponent>();
  const visit = (c: AnyComponent): void => {
    if (seen.has(c)) return;
    seen.add(c);
    out.push(c);
    for (const k of c.childComponents()) if (live.has(k)) visit(k);
  };
  for (const c of components) if (c.parent === null || !live.has(c.parent)) visit(c);
  for (const c of components) visit(c);
  return out;
}

/**
 * A short, readable text for a message (for "last messages" and traces):
 * strings quoted, objects as JSON where possible, byte arrays by length, cut
 * to `max` characters.
 */
export function preview(message: unknown, max = 200): string {
  let text: string;
  if (typeof message === "string") text = JSON.stringify(message);
  else if (message instanceof Uint8Array) text = `<${message.constructor.name} ${message.length} bytes>`;
  else if (typeof message === "object" && message !== null) {
    try {
      text = JSON.stringify(message) ?? String(message);
      const name = message.constructor?.name;
      if (name && name !== "Object" && name !== "Array") text = `${name} ${text}`;
    } catch {
      text = `<${message.constructor?.name ?? "object"}>`;
    }
  } else text = String(message);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
