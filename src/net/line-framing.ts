/**
 * Line framing: bytes to lines and lines to bytes.
 *
 * @module
 */
import type { Wait } from "../core/component.js";
import { ErrorInformation } from "../core/ipc.js";
import { FramingError } from "./errors.js";

const strictUtf8 = new TextDecoder("utf-8", { fatal: true });
import { FramingComponent, asBuffer, describe } from "./framing-component.js";
import { LineBuffer, TooLong } from "./line-buffer.js";

/**
 * Splits a byte stream into lines (Kamaelia's `chunks_to_lines`): each line
 * goes out without its `\n` (or `\r\n`), decoded as `encoding`. Lines may span
 * chunks, and a multi-byte character split between chunks is decoded whole.
 * When the input ends, a last line without a newline is sent too.
 *
 * A line that is not valid UTF-8 is skipped and reported on `errors`.
 * A line longer than `maxLineLength` bytes is a bad frame (FramingError
 * `FRAME_TOO_LARGE`), noticed as soon as the limit is passed, so memory stays
 * bounded whatever the peer sends: by default the component fails (closing
 * the connection under a ServerCore); with `onBadFrame: "skip"` the line is
 * discarded up to the next newline and reported on `errors`. A message that is
 * not bytes or a string is a bad frame (`MALFORMED_FRAME`) too.
 */
export class LineDeFramer extends FramingComponent<Buffer | string, string> {
  static override inboxes = {
    inbox: "chunks of bytes (Buffers or strings), in stream order",
    control: "producerFinished: send the last, unterminated line, then finish; shutdownMicroprocess: stop now",
  };
  static override outboxes = {
    outbox: "each line, decoded, without its line ending",
    signal: "the shutdown message received, passed on after the last line",
    errors: "ErrorInformation for each line skipped (too long, not valid UTF-8, or input that is not bytes)",
  };

  /** Most bytes in one line, not counting the line ending. */
  maxLineLength = 64 * 1024;
  /** How lines are decoded. */
  encoding: BufferEncoding = "utf8";

  private buffer: LineBuffer | null = null;

  protected *frame(chunk: Buffer | string): Wait {
    const bytes = asBuffer(chunk);
    if (bytes === null) {
      this.bad(new FramingError("MALFORMED_FRAME", `${this.name}.inbox: expected bytes (a Buffer or a string), got ${describe(chunk)}`), chunk);
      return;
    }
    const buf = (this.buffer ??= new LineBuffer(this.maxLineLength));
    for (const line of buf.push(bytes)) {
      if (line instanceof TooLong) {
        this.bad(
          new FramingError(
            "FRAME_TOO_LARGE",
            `${this.name}.inbox: line longer than the limit of ${this.maxLineLength} bytes (${line.size} bytes without a newline)`,
          ),
        );
      } else {
        const text = this.decode(line);
        if (text !== null) yield* this.waitSend(text);
      }
    }
  }

  protected override *flush(): Wait {
    const last = this.buffer?.flush();
    if (last === null || last === undefined) return;
    const text = this.decode(last);
    if (text !== null) yield* this.waitSend(text);
  }

  /**
   * A line that is not valid UTF-8 is not sent: it is reported on `errors`
   * (whatever `onBadFrame` says: one bad line need not end a conversation) and
   * the next line carries on. Other encodings decode as Node does.
   */
  private decode(line: Buffer): string | null {
    if (this.encoding !== "utf8" && this.encoding !== "utf-8") return line.toString(this.encoding);
    try {
      return strictUtf8.decode(line);
    } catch {
      this.badFrames++;
      const error = new FramingError("MALFORMED_FRAME", `${this.name}.inbox: a line that is not valid UTF-8 (${line.length} bytes) was skipped`);
      this.trySend(new ErrorInformation(this, error, line), this.errors);
      return null;
    }
  }
}

/**
 * Turns each string into a line of text ending in `\n` (Kamaelia's
 * `lines_to_tokenlists` in reverse). A message that is not a string is a bad
 * frame (FramingError `MALFORMED_FRAME`): by default the component fails;
 * with `onBadFrame: "skip"` it is reported on `errors` and dropped.
 */
export class LineFramer extends FramingComponent<string, string> {
  static override inboxes = {
    inbox: "strings, one line each",
    control: "producerFinished: finish what waits, then stop; shutdownMicroprocess: stop now",
  };
  static override outboxes = {
    outbox: "each string with \"\\n\" appended",
    signal: "the shutdown message received, passed on",
    errors: "ErrorInformation for each message skipped because it was not a string",
  };

  protected *frame(line: string): Wait {
    if (typeof line !== "string") {
      this.bad(new FramingError("MALFORMED_FRAME", `${this.name}.inbox: expected a string, got ${describe(line)}`), line);
      return;
    }
    yield* this.waitSend(line + "\n");
  }
}
