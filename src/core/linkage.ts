/**
 * Linkages: joining a source box to a sink box.
 *
 * *An Axon internal: components call `this.link(...)`; chassis such as
 * Pipeline and Graphline do it for you.*
 *
 * Three kinds, as in Axon: outbox → inbox (normal), inbox → inbox
 * (passthrough in: a parent forwards its inbox to a child's) and outbox →
 * outbox (passthrough out: a child's outbox forwards out of its parent).
 * Making a link moves the messages already waiting in the source, atomically:
 * they are never lost, even when that overfills a limited destination (the
 * limit governs sends; senders then wait until it drains). A link never
 * changes another box's configuration: while inboxes with limits forward
 * into an inbox that has none, the smallest of their limits is in force
 * there (so `link(x, pipeline.inbox, { pipewidth: 2 })` still bounds the flow
 * after the Pipeline wires itself), and unlinking restores each box's own.
 *
 * @module
 */
import { Box, Inbox, Outbox, collectFeeders, type BoxOwner } from "./box.js";
import { BadLinkError, BoxAlreadyLinkedError } from "./errors.js";

/**
 * Note that a link into `sink` was made or removed:
 * the cached feeder lists of `sink` and of every box downstream of it are
 * stale, and only theirs.
 */
function linksChanged(sink: Box): void {
  for (let b: Box | null = sink; b !== null; b = b.link) if (b instanceof Inbox) b.forgetFeeders();
}

/** 0: outbox → inbox; 1: inbox → inbox (passthrough in); 2: outbox → outbox (passthrough out). */
export type Passthrough = 0 | 1 | 2;

/** Options for making a link. */
export interface LinkOptions {
  /** Set the sink inbox's limit to this many messages (Axon's `pipewidth`). */
  pipewidth?: number;
  /** `true` means a limit of 1 on the sink inbox, unless `pipewidth` says otherwise. */
  synchronous?: boolean;
}

/** A handle on a link, returned by `link()` and accepted by `unlink()`. */
export class Linkage {
  /** Whether the link is still in place. */
  active = true;

  constructor(
    /** Where messages come from. */
    readonly source: Box,
    /** Where they go. */
    readonly sink: Box,
    /** Which kind of link this is. */
    readonly passthrough: Passthrough,
    /** The component that made the link (and removes it when it finishes). */
    readonly creator: object,
  ) {}

  /** Set (or with no argument, remove) the sink inbox's limit (Axon's `setSynchronous`). */
  setSynchronous(pipewidth?: number): void {
    if (!(this.sink instanceof Inbox)) throw new BadLinkError(`${this}: only an inbox sink can have a limit`);
    this.sink.setSize(pipewidth);
  }

  /** `Link( source:[name,box], sink:[name,box] )`, as in Axon. */
  toString(): string {
    return `Link( source:[${this.source.owner.name},${this.source.name}], sink:[${this.sink.owner.name},${this.sink.name}] )`;
  }
}

/** Make a link from `source` to `sink`. See the module notes for the rules. */
export function makeLink(source: Box, sink: Box, creator: object, options?: LinkOptions): Linkage {
  let passthrough: Passthrough;
  if (source instanceof Outbox) passthrough = sink instanceof Inbox ? 0 : 2;
  else if (sink instanceof Inbox) passthrough = 1;
  else throw new BadLinkError(`cannot link inbox ${source} to outbox ${sink}: links run outbox→inbox, inbox→inbox or outbox→outbox`);
  if (source === sink) throw new BadLinkError(`cannot link ${source} to itself`);
  if (source.link !== null) throw new BoxAlreadyLinkedError(String(source), String(sink), String(source.link));
  for (let b: Box | null = sink; b !== null; b = b.link) {
    if (b === source) throw new BadLinkError(`cannot link ${source} to ${sink}: the chain would loop back to ${source}`);
  }
  const limit = options?.pipewidth ?? (options?.synchronous ? 1 : undefined);
  if (limit !== undefined && !(sink instanceof Inbox)) {
    throw new BadLinkError(`cannot set a pipewidth on the link ${source} → ${sink}: only an inbox sink can have a limit`);
  }

  // Producers waiting for room where the source's messages went until now must look again at the new end.
  const wasFull = isFullAt(finalOf(source));
  const waiting = source instanceof Inbox ? source.takeAll() : [];
  source.link = sink;
  (sink.sources ??= []).push(source);
  refreshUpstream(source);
  linksChanged(sink);
  if (source instanceof Inbox) {
    // The source now forwards: the limit in force where its messages now go may include its own.
    source.refreshLimit();
    source.final.refreshLimit();
  }
  if (limit !== undefined) (sink as Inbox).setSize(limit);
  if (waiting.length > 0) (source as Inbox).final.accept(waiting);
  if (wasFull) wakeUpstream(source);
  return new Linkage(source, sink, passthrough, creator);
}

/** Remove a link. Messages already delivered stay where they are. Removing a removed link does nothing. */
export function breakLink(linkage: Linkage): void {
  if (!linkage.active) return;
  linkage.active = false;
  const { source, sink } = linkage;
  const oldFinal = finalOf(source);
  const wasFull = isFullAt(oldFinal);
  source.link = null;
  if (sink.sources !== null) {
    const i = sink.sources.indexOf(source);
    if (i >= 0) sink.sources.splice(i, 1);
  }
  refreshUpstream(source);
  linksChanged(sink);
  if (source instanceof Inbox) {
    // Each box's own limit is back in force (the chain's limit lasted only while the link did).
    source.refreshLimit();
    oldFinal!.refreshLimit();
  }
  if (wasFull) wakeUpstream(source);
}

/** Where messages sent to `box` end up (`null`: the chain ends at an unlinked outbox). */
function finalOf(box: Box): Inbox | null {
  return box instanceof Inbox ? box.final : (box as Outbox).final;
}

function isFullAt(box: Inbox | null): boolean {
  return box !== null && box.isFull();
}

/**
 * Wake every component with an outbox whose chain runs through `box` (and
 * `box`'s own owner if it is an outbox): after a link change gave them a new
 * destination, a producer that was waiting for room at the old one must look
 * again.
 */
function wakeUpstream(box: Box): void {
  const found = new Set<BoxOwner>();
  if (box instanceof Outbox) found.add(box.owner);
  collectFeeders(box, found);
  for (const o of found) o._wake();
}

/** Recompute `final` for `box` and every box upstream of it. */
function refreshUpstream(box: Box): void {
  box.resolve();
  if (box.sources !== null) for (const s of box.sources) refreshUpstream(s);
}
