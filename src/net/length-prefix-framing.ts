/**
 * Length-prefixed framing: each frame is a 4-byte big-endian length, then
 * that many bytes.
 *
 * @module
 */
import type { Wait } from "../core/component.js";
import { FramingError } from "./errors.js";
import { FramingComponent, asBuffer, describe } from "./framing-component.js";

/** Bytes in the length prefix. */
const HEADER = 4;

/**
 * Frames each message as a 4-byte big-endian length followed by the bytes
 * (Kamaelia's `Framer`, with a binary header). Strings are sent as UTF-8. A
 * message over `maxFrameLength` bytes, or that is not bytes or a string, is
 * a bad frame: by default the component fails; with `onBadFrame: "skip"` it
 * is reported on `errors` and dropped.
 */
export class LengthPrefixFramer extends FramingComponent<Buffer | string, Buffer> {
  static override inboxes = {
    inbox: "messages to frame: Buffers, or strings (sent as UTF-8)",
    control: "producerFinished: finish what waits, then stop; shutdownMicroprocess: stop now",
  };
  static override outboxes = {
    outbox: "each message as one Buffer: 4-byte big-endian length, then the bytes",
    signal: "the shutdown message received, passed on",
    errors: "ErrorInformation for each message skipped (too large, or not bytes)",
  };

  /** Largest frame, in bytes, not counting the prefix. */
  maxFrameLength = 16 * 1024 * 1024;

  protected *frame(message: Buffer | string): Wait {
    const body = asBuffer(message);
    if (body === null) {
      this.bad(new FramingError("MALFORMED_FRAME", `${this.name}.inbox: expected bytes (a Buffer or a string), got ${describe(message)}`), message);
      return;
    }
    if (body.length > this.maxFrameLength) {
      this.bad(new FramingError("FRAME_TOO_LARGE", `${this.name}.inbox: a ${body.length}-byte message is over the limit of ${this.maxFrameLength} bytes`));
      return;
    }
    const out = Buffer.allocUnsafe(HEADER + body.length);
    out.writeUInt32BE(body.length, 0);
    body.copy(out, HEADER);
    yield* this.waitSend(out);
  }
}

/**
 * Reassembles frames made by {@link LengthPrefixFramer} from a byte stream
 * cut anywhere (Kamaelia's `DeFramer`). A frame whose declared length is over
 * `maxFrameLength` is a bad frame (`FRAME_TOO_LARGE`), noticed from its
 * header before any of it is buffered: by default the component fails
 * (closing the connection under a ServerCore); with `onBadFrame: "skip"` its
 * bytes are skipped as they arrive and it is reported on `errors`. A stream
 * that ends inside a frame reports the partial frame (`MALFORMED_FRAME`).
 */
export class LengthPrefixDeFramer extends FramingComponent<Buffer | string, Buffer> {
  static override inboxes = {
    inbox: "chunks of bytes, in stream order",
    control: "producerFinished: finish (a partial frame left over is a bad frame), then stop; shutdownMicroprocess: stop now",
  };
  static override outboxes = {
    outbox: "each frame's bytes, without the prefix",
    signal: "the shutdown message received, passed on after the last frame",
    errors: "ErrorInformation for each frame skipped (too large, truncated)",
  };

  /** Largest frame accepted, in bytes, not counting the prefix. */
  maxFrameLength = 16 * 1024 * 1024;

  // Chunks of a frame still arriving, joined only once the frame is complete:
  // joining on every chunk would copy a large frame over and over (quadratic).
  private parts: Buffer[] = [];
  private pendingLength = 0;
  private skip = 0;

  protected *frame(chunk: Buffer | string): Wait {
    let bytes = asBuffer(chunk);
    if (bytes === null) {
      this.bad(new FramingError("MALFORMED_FRAME", `${this.name}.inbox: expected bytes (a Buffer or a string), got ${describe(chunk)}`), chunk);
      return;
    }
    if (this.skip > 0) {
      const n = Math.min(this.skip, bytes.length);
      this.skip -= n;
      bytes = bytes.subarray(n);
    }
    if (bytes.length > 0) {
      this.parts.push(bytes);
      this.pendingLength += bytes.length;
    }
    for (;;) {
      if (this.pendingLength < HEADER) break;
      if (this.parts[0]!.length < HEADER) this.join();
      const len = this.parts[0]!.readUInt32BE(0);
      if (len > this.maxFrameLength) {
        const available = this.pendingLength - HEADER;
        this.skip = Math.max(0, len - available);
        this.drop(HEADER + Math.min(len, available));
        this.bad(new FramingError("FRAME_TOO_LARGE", `${this.name}.inbox: frame of ${len} bytes is over the limit of ${this.maxFrameLength} bytes`));
        if (this.skip > 0) break;
        continue;
      }
      if (this.pendingLength < HEADER + len) break;
      const all = this.join();
      // Copied: the frame must not share memory with the next one's bytes.
      const frame = Buffer.from(all.subarray(HEADER, HEADER + len));
      this.drop(HEADER + len);
      yield* this.waitSend(frame);
    }
  }

  /** Join the pending chunks into one (the only copy a frame's bytes get before the frame is sent). */
  private join(): Buffer {
    if (this.parts.length > 1) this.parts = [Buffer.concat(this.parts, this.pendingLength)];
    return this.parts[0]!;
  }

  /** Forget the first `n` pending bytes. */
  private drop(n: number): void {
    const rest = this.join().subarray(n);
    this.parts = rest.length > 0 ? [rest] : [];
    this.pendingLength = rest.length;
  }

  protected override *flush(): Wait {
    if (this.pendingLength > 0) {
      const n = this.pendingLength;
      this.parts = [];
      this.pendingLength = 0;
      this.bad(new FramingError("MALFORMED_FRAME", `${this.name}.inbox: the stream ended inside a frame (${n} bytes of it received)`));
    }
  }
}
