/**
 * LineBuffer: splits a byte stream into lines, holding at most one line's
 * worth of bytes. Used by {@link LineDeFramer} and {@link JsonDeFramer}.
 *
 * @module
 */

/** A line that went over the limit: how many bytes it had reached when that was noticed. */
export class TooLong {
  constructor(
    /** Bytes seen without a newline when the limit was passed. */
    readonly size: number,
  ) {}
}

/**
 * Accumulates chunks and returns complete lines (without the `\n`, and
 * without a `\r` before it). A line longer than `maxLength` bytes is
 * reported once, as a {@link TooLong}, as soon as it passes the limit (so a
 * 1 MB line without a newline is never buffered), and its remaining bytes,
 * up to the next newline, are discarded.
 */
export class LineBuffer {
  private parts: Buffer[] = [];
  private size = 0;
  private discarding = false;

  constructor(
    /** Most bytes in one line, not counting the newline. */
    readonly maxLength: number,
  ) {}

  /** Feed a chunk; returns the lines it completed, and a TooLong for each line over the limit, in order. */
  push(chunk: Buffer): (Buffer | TooLong)[] {
    const out: (Buffer | TooLong)[] = [];
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf(10, start);
      if (nl < 0) break;
      const piece = chunk.subarray(start, nl);
      if (this.discarding) {
        this.discarding = false;
      } else if (this.size + piece.length > this.maxLength + 1) {
        out.push(new TooLong(this.size + piece.length));
      } else {
        let line = this.parts.length === 0 ? piece : Buffer.concat([...this.parts, piece]);
        if (line.length > 0 && line[line.length - 1] === 13) line = line.subarray(0, line.length - 1);
        out.push(line.length > this.maxLength ? new TooLong(line.length) : line);
      }
      this.parts = [];
      this.size = 0;
      start = nl + 1;
    }
    if (start < chunk.length && !this.discarding) {
      const rest = chunk.subarray(start);
      if (this.size + rest.length > this.maxLength + 1) {
        out.push(new TooLong(this.size + rest.length));
        this.parts = [];
        this.size = 0;
        this.discarding = true;
      } else {
        // Copied, so a small tail does not keep a large chunk alive.
        this.parts.push(Buffer.from(rest));
        this.size += rest.length;
      }
    }
    return out;
  }

  /** The last line if the stream ended without a newline (then the buffer is empty); null if there is none. */
  flush(): Buffer | null {
    const discarding = this.discarding;
    this.discarding = false;
    if (this.size === 0 || discarding) {
      this.parts = [];
      this.size = 0;
      return null;
    }
    const line = Buffer.concat(this.parts);
    this.parts = [];
    this.size = 0;
    return line;
  }
}
