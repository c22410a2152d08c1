/**
 * Tracing and replay: record the messages passing chosen linkages into a
 * bounded ring, dump them as JSON lines, and replay a recording into a
 * component under the test `Harness`, so production traffic becomes a
 * regression test.
 *
 * ```ts
 * const tracer = new Tracer({ capacity: 10_000 });
 * tracer.trace(someLinkage);                 // or a box: tracer.trace(parser.outbox)
 * writeFileSync("traffic.jsonl", tracer.dump());
 * // in a test:
 * const out = await replay(readFileSync("traffic.jsonl", "utf8"), new Parser());
 * ```
 *
 * Messages are encoded when recorded (so later changes to a message object
 * do not change the recording): JSON values as they are, byte arrays as
 * base64, control messages by kind. A message that is not JSON data (a
 * function, a cycle, a class instance with methods) is recorded as a
 * preview, and replaying it is an error naming the record.
 *
 * @module
 */
import { Component, KamaeliaError, ProducerFinished, ShutdownMicroprocess, type AnyComponent, type Box, type Linkage } from "../core/index.js";
import { Harness } from "../testing/index.js";
import { ownNames, preview, type ComponentNames } from "./describe.js";
import { tap } from "./tap.js";

/** A trace that cannot be read or replayed. */
export class TraceError extends KamaeliaError {
  constructor(message: string) {
    super("BAD_TRACE", message);
  }
}

/** A message as recorded: JSON data, or a tagged encoding of what JSON cannot hold. */
export type Encoded = unknown;

/** One recorded message. */
export interface TraceRecord {
  /** Counts records from 1, across every traced link (gaps are dropped records). */
  readonly seq: number;
  /** Milliseconds since the epoch. */
  readonly time: number;
  /** Which trace: `Source.box->Sink.box`. */
  readonly link: string;
  /** The message, encoded. */
  readonly message: Encoded;
}

/** A parsed recording. */
export interface Recording {
  /** The traced links, and the sink box each delivers to (where replay sends). */
  readonly traces: readonly {
    /** The link's id. */
    readonly link: string;
    /** The sink box it delivers to. */
    readonly box: string;
  }[];
  /** Records dropped because the ring was full. */
  readonly dropped: number;
  /** The records, oldest first. */
  readonly records: readonly TraceRecord[];
}

/** Encode a message for a recording. */
export function encode(message: unknown): Encoded {
  if (message instanceof Uint8Array) return { $bytes: Buffer.from(message.buffer, message.byteOffset, message.byteLength).toString("base64") };
  if (message instanceof ShutdownMicroprocess) return { $ipc: "shutdownMicroprocess" };
  if (message instanceof ProducerFinished) return { $ipc: "producerFinished" };
  if (message === undefined) return { $undefined: true };
  try {
    const text = JSON.stringify(message);
    if (text === undefined) return { $unrecordable: preview(message) };
    const back: unknown = JSON.parse(text);
    // A class instance would come back as a plain object: not the same message.
    if (typeof message === "object" && message !== null && !Array.isArray(message) && Object.getPrototypeOf(message) !== Object.prototype) {
      return { $unrecordable: preview(message) };
    }
    return back;
  } catch {
    return { $unrecordable: preview(message) };
  }
}

/** Decode a recorded message; `where` names the record in errors. */
export function decode(e: Encoded, where: string): unknown {
  if (typeof e === "object" && e !== null && !Array.isArray(e)) {
    const o = e as Record<string, unknown>;
    if (typeof o.$bytes === "string") return Buffer.from(o.$bytes, "base64");
    if (o.$ipc === "shutdownMicroprocess") return new ShutdownMicroprocess();
    if (o.$ipc === "producerFinished") return new ProducerFinished();
    if (o.$undefined === true) return undefined;
    if (o.$unrecordable !== undefined) throw new TraceError(`${where} holds a message that could not be recorded (${String(o.$unrecordable)}): it cannot be replayed`);
  }
  return e;
}

function boxName(b: Box, names: ComponentNames): string {
  return `${names.nameOf(b.owner as AnyComponent)}.${b.name}`;
}

/**
 * Call `fn` with every message whose chain of links passes `box`: tap the
 * box and every box upstream of it (a send goes straight to its final inbox,
 * so the boxes in between never see it). Links made upstream later are not
 * followed. Returns a function that removes the taps.
 */
export function tapPassing(box: Box, fn: (message: unknown) => void): () => void {
  const untaps: (() => void)[] = [];
  const visit = (b: Box, depth: number): void => {
    untaps.push(tap(b, fn));
    // A final inbox already sees everything delivered to it.
    if (depth < 64 && b.sources !== null && !("final" in b && b.final === b)) for (const s of b.sources) visit(s, depth + 1);
  };
  visit(box, 0);
  return () => {
    for (const u of untaps) u();
  };
}

/** Records the messages passing chosen linkages or boxes into a bounded ring. */
export class Tracer {
  /** Most records kept; older ones are dropped (and counted) to make room. */
  readonly capacity: number;
  /** Records dropped to make room. */
  dropped = 0;
  #ring: (TraceRecord | undefined)[];
  #head = 0;
  #count = 0;
  #seq = 0;
  #traces: { link: string; box: string; untaps: (() => void)[] }[] = [];
  readonly #names: ComponentNames;

  /**
   * `capacity`: most records kept (default 10 000). `names`: how components
   * are named in the labels (default their own names); tracing components
   * of several systems, pass an Introspector's `names`, so that two
   * systems' `Keeper_3.inbox` get different labels (`Keeper_3@2.inbox`).
   */
  constructor(options: { capacity?: number; names?: ComponentNames } = {}) {
    this.#names = options.names ?? ownNames;
    this.capacity = options.capacity ?? 10_000;
    if (!Number.isInteger(this.capacity) || this.capacity < 1) throw new TraceError(`a Tracer's capacity must be a whole number of records, at least 1 (got ${options.capacity})`);
    this.#ring = new Array<TraceRecord | undefined>(this.capacity);
  }

  /**
   * Record every message passing `what` from now on: a linkage (what flows
   * from its source to its sink), or a box (what it sends, or what reaches
   * it). Links made upstream later are not followed. Returns a function that
   * stops this trace.
   */
  trace(what: Linkage | Box): () => void {
    let source: Box;
    let label: string;
    let box: string;
    if (what instanceof Component) throw new TraceError(`trace a linkage or a box, not a component (${what.name}): e.g. ${what.name}.outbox`);
    if ("sink" in what && "source" in what) {
      source = what.source;
      label = `${boxName(what.source, this.#names)}->${boxName(what.sink, this.#names)}`;
      box = what.sink.name;
    } else {
      source = what;
      label = boxName(what, this.#names);
      box = what.name.startsWith("out") || what.name === "signal" ? "inbox" : what.name;
    }
    const untaps = [tapPassing(source, (message) => this.#record(label, message))];
    const t = { link: label, box, untaps };
    this.#traces.push(t);
    return () => {
      for (const u of t.untaps) u();
      t.untaps = [];
    };
  }

  #record(link: string, message: unknown): void {
    const r: TraceRecord = { seq: ++this.#seq, time: Date.now(), link, message: encode(message) };
    this.#ring[(this.#head + this.#count) % this.capacity] = r;
    if (this.#count < this.capacity) this.#count++;
    else {
      this.#head = (this.#head + 1) % this.capacity;
      this.dropped++;
    }
  }

  /** The records kept, oldest first. */
  records(): TraceRecord[] {
    const out: TraceRecord[] = [];
    for (let i = 0; i < this.#count; i++) out.push(this.#ring[(this.#head + i) % this.capacity]!);
    return out;
  }

  /** The recording as JSON lines: a header line, then one line per record. */
  dump(): string {
    const header = { kamaelia: "trace", version: 1, traces: this.#traces.map((t) => ({ link: t.link, box: t.box })), dropped: this.dropped };
    return [header, ...this.records()].map((x) => JSON.stringify(x)).join("\n") + "\n";
  }

  /** Stop every trace (the records stay). */
  close(): void {
    for (const t of this.#traces) for (const u of t.untaps) u();
    for (const t of this.#traces) t.untaps = [];
  }
}

/** Parse a recording made by {@link Tracer.dump}. @throws TraceError naming the line that is wrong. */
export function parseTrace(text: string): Recording {
  const lines = text.split("\n").filter((l) => l.trim() !== "");
  if (lines.length === 0) throw new TraceError("trace: empty (expected a header line)");
  const parse = (line: string, n: number): Record<string, unknown> => {
    let v: unknown;
    try {
      v = JSON.parse(line);
    } catch (e) {
      throw new TraceError(`trace line ${n}: not JSON (${(e as Error).message})`);
    }
    if (typeof v !== "object" || v === null || Array.isArray(v)) throw new TraceError(`trace line ${n}: expected an object`);
    return v as Record<string, unknown>;
  };
  const header = parse(lines[0]!, 1);
  if (header.kamaelia !== "trace" || header.version !== 1 || !Array.isArray(header.traces)) throw new TraceError('trace line 1: not a trace header ({"kamaelia":"trace","version":1,"traces":[…]})');
  const records = lines.slice(1).map((l, i) => {
    const r = parse(l, i + 2);
    if (typeof r.seq !== "number" || typeof r.link !== "string" || !("message" in r)) throw new TraceError(`trace line ${i + 2}: a record needs seq, link and message`);
    return r as unknown as TraceRecord;
  });
  return { traces: header.traces as Recording["traces"], dropped: Number(header.dropped ?? 0), records };
}

/** Options for {@link replay}. */
export interface ReplayOptions {
  /** Replay only this trace (its `link` label); by default every record. */
  link?: string;
  /** The inbox to send into; by default the traced sink's box (usually `inbox`). */
  box?: string;
  /** The harness to use (a new one by default). */
  harness?: Harness;
}

/**
 * Replay a recording into `component` under the test Harness: each
 * recorded message, in order, is sent into its inbox and the harness runs
 * until idle before the next. Resolves with what the component sent from
 * its outbox.
 * @throws TraceError for a malformed recording or a message that could not be recorded.
 */
export async function replay(recording: Recording | string, component: AnyComponent, options: ReplayOptions = {}): Promise<unknown[]> {
  const rec = typeof recording === "string" ? parseTrace(recording) : recording;
  const h = options.harness ?? new Harness();
  const out = h.collect(component.outbox);
  if (!component.isActive()) h.activate(component);
  const boxFor = new Map(rec.traces.map((t) => [t.link, t.box]));
  for (const r of rec.records) {
    if (options.link !== undefined && r.link !== options.link) continue;
    const box = options.box ?? boxFor.get(r.link) ?? "inbox";
    h.send(component, box, decode(r.message, `trace record ${r.seq} (${r.link})`));
    await h.settle();
  }
  out.take();
  return [...out.messages];
}
