/**
 * JSON messages over a byte stream: one JSON text per line (NDJSON).
 *
 * @module
 */
import type { Wait } from "../core/component.js";
import { FramingError } from "./errors.js";
import { FramingComponent, asBuffer, describe } from "./framing-component.js";
import { LineBuffer, TooLong } from "./line-buffer.js";

/**
 * Encodes each message as one line of JSON (`JSON.stringify`, then `\n`). A
 * message JSON cannot encode (undefined, a function, a cycle, a BigInt) is a
 * bad frame (`MALFORMED_FRAME`): by default the component fails; with
 * `onBadFrame: "skip"` it is reported on `errors` and dropped.
 */
export class JsonFramer extends FramingComponent<unknown, string> {
  static override inboxes = {
    inbox: "values to encode as JSON",
    control: "producerFinished: finish what waits, then stop; shutdownMicroprocess: stop now",
  };
  static override outboxes = {
    outbox: "each value as one line of JSON, ending in \"\\n\"",
    signal: "the shutdown message received, passed on",
    errors: "ErrorInformation for each value skipped because JSON cannot encode it",
  };

  protected *frame(message: unknown): Wait {
    let text: string | undefined;
    try {
      text = JSON.stringify(message);
    } catch (e) {
      this.bad(new FramingError("MALFORMED_FRAME", `${this.name}.inbox: cannot encode ${describe(message)} as JSON: ${(e as Error).message}`, e), message);
      return;
    }
    if (text === undefined) {
      this.bad(new FramingError("MALFORMED_FRAME", `${this.name}.inbox: cannot encode ${describe(message)} as JSON`), message);
      return;
    }
    yield* this.waitSend(text + "\n");
  }
}

/**
 * Decodes a byte stream of JSON texts, one per line, into values. Blank lines
 * are ignored. A line that is not valid JSON (`MALFORMED_FRAME`) or is longer
 * than `maxLineLength` bytes (`FRAME_TOO_LARGE`) is a bad frame: by default
 * the component fails (closing the connection under a ServerCore); with
 * `onBadFrame: "skip"` the line is dropped and reported on `errors`, and the
 * values after it still arrive.
 */
export class JsonDeFramer extends FramingComponent<Buffer | string, unknown> {
  static override inboxes = {
    inbox: "chunks of bytes, in stream order, holding one JSON text per line",
    control: "producerFinished: decode a last line without newline, then finish; shutdownMicroprocess: stop now",
  };
  static override outboxes = {
    outbox: "each decoded value",
    signal: "the shutdown message received, passed on after the last value",
    errors: "ErrorInformation for each line skipped (not JSON, or too long)",
  };

  /** Most bytes in one JSON line. */
  maxLineLength = 1024 * 1024;

  private buffer: LineBuffer | null = null;

  protected *frame(chunk: Buffer | string): Wait {
    const bytes = asBuffer(chunk);
    if (bytes === null) {
      this.bad(new FramingError("MALFORMED_FRAME", `${this.name}.inbox: expected bytes (a Buffer or a string), got ${describe(chunk)}`), chunk);
      return;
    }
    const buf = (this.buffer ??= new LineBuffer(this.maxLineLength));
    for (const line of buf.push(bytes)) yield* this.decode(line);
  }

  protected override *flush(): Wait {
    const last = this.buffer?.flush();
    if (last !== null && last !== undefined) yield* this.decode(last);
  }

  private *decode(line: Buffer | TooLong): Wait {
    if (line instanceof TooLong) {
      this.bad(new FramingError("FRAME_TOO_LARGE", `${this.name}.inbox: JSON line longer than the limit of ${this.maxLineLength} bytes (${line.size} bytes without a newline)`));
      return;
    }
    const text = line.toString("utf8");
    if (text.trim() === "") return;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (e) {
      const shown = text.length > 60 ? `${text.slice(0, 60)}…` : text;
      this.bad(new FramingError("MALFORMED_FRAME", `${this.name}.inbox: not valid JSON (${(e as Error).message}): ${JSON.stringify(shown)}`, e), text);
      return;
    }
    yield* this.waitSend(value);
  }
}
