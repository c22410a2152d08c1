/**
 * LineDecoder: turns a stream of byte chunks into lines of UTF-8 text.
 *
 * @module
 */

/** One item out of a {@link LineDecoder}: a decoded line, or the bytes of a line that is not valid UTF-8. */
export type DecodedLine =
  | {
      /** A line of text, without its newline. */
      readonly line: string;
    }
  | {
      /** The bytes of a line that is not valid UTF-8… */
      readonly invalid: Buffer;
      /** …and why. */
      readonly error: Error;
    };

const NEWLINE = 0x0a;
const CR = 0x0d;

/**
 * Splits bytes into lines (without their `\n` or `\r\n`) and decodes each one
 * as UTF-8 on its own, so one bad line is reported alone and the lines around
 * it survive. Splitting on the byte 0x0A is safe in UTF-8: it never occurs
 * inside a multi-byte character, so a character split across chunks is
 * reassembled before it is decoded.
 */
export class LineDecoder {
  private readonly decoder = new TextDecoder("utf-8", { fatal: true });
  private pending: Buffer[] = [];

  /** Add a chunk; returns the lines it completed, oldest first. */
  push(chunk: Buffer): DecodedLine[] {
    const out: DecodedLine[] = [];
    let start = 0;
    for (let i = chunk.indexOf(NEWLINE); i >= 0; i = chunk.indexOf(NEWLINE, start)) {
      let piece = chunk.subarray(start, i);
      if (this.pending.length > 0) {
        piece = Buffer.concat([...this.pending, piece]);
        this.pending = [];
      }
      out.push(this.decode(piece));
      start = i + 1;
    }
    // Copied: the caller may reuse its read buffer.
    if (start < chunk.length) this.pending.push(Buffer.from(chunk.subarray(start)));
    return out;
  }

  /** True when part of a line is waiting for its newline. */
  get hasPartial(): boolean {
    return this.pending.length > 0;
  }

  /** The unterminated last line, if any (at end of input); the decoder is then empty. */
  flush(): DecodedLine | null {
    if (this.pending.length === 0) return null;
    const piece = Buffer.concat(this.pending);
    this.pending = [];
    return this.decode(piece);
  }

  private decode(bytes: Buffer): DecodedLine {
    const body = bytes.length > 0 && bytes[bytes.length - 1] === CR ? bytes.subarray(0, bytes.length - 1) : bytes;
    try {
      return { line: this.decoder.decode(body) };
    } catch (e) {
      const error = new Error(`line of ${bytes.length} bytes is not valid UTF-8 (${e instanceof Error ? e.message : String(e)})`);
      return { invalid: Buffer.from(bytes), error };
    }
  }
}
