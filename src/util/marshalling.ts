/**
 * Marshaller and DeMarshaller: encode messages to text and back (JSON by default).
 *
 * @module
 */
import { Component, type Wait } from "../core/component.js";
import { ErrorInformation } from "../core/ipc.js";
import { ArgumentError, MessageError, reason } from "./errors.js";

/** How values become text and back (Kamaelia's `klass.marshall`/`demarshall`). */
export interface Codec<T = unknown> {
  /** Encode a value; throw if it cannot be encoded. */
  marshall(value: T): string;
  /** Decode text; throw if it is malformed. */
  demarshall(text: string): T;
}

/** JSON: `JSON.stringify` / `JSON.parse`. Values JSON cannot represent (`undefined`, functions, BigInt, cycles) are errors. */
export const JsonCodec: Codec<unknown> = {
  marshall(value: unknown): string {
    const text = JSON.stringify(value) as string | undefined;
    if (text === undefined) throw new TypeError(`JSON cannot represent ${typeof value}`);
    return text;
  },
  demarshall(text: string): unknown {
    return JSON.parse(text);
  },
};

function checkCodec(component: string, codec: unknown): void {
  const c = codec as Partial<Codec> | null;
  if (typeof c !== "object" || c === null || typeof c.marshall !== "function" || typeof c.demarshall !== "function") {
    throw new ArgumentError(component, "the codec", "an object with marshall(value) and demarshall(text) functions", codec);
  }
}

/**
 * Encodes each message as text (JSON unless given another codec). A message
 * that cannot be encoded is reported as an ErrorInformation on `error`, and
 * the component carries on.
 *
 * Boxes: `inbox` T → `outbox` string (waits for room downstream); `error`:
 * ErrorInformation for messages that could not be encoded; `control`/`signal`:
 * the shared shutdown convention.
 */
export class Marshaller<T = unknown> extends Component<T, string> {
  static override inboxes = {
    inbox: "values to encode",
    control: "producerFinished (encode what is waiting, then stop) or shutdownMicroprocess (stop now)",
  };
  static override outboxes = {
    outbox: "each value, encoded as text",
    signal: "the shutdown message received, passed on",
    error: "ErrorInformation for each value that could not be encoded (the value is in it)",
  };

  /** Where values that could not be encoded are reported. */
  readonly error = this.addOutbox<ErrorInformation>("error");
  /** The encoding used. */
  readonly codec: Codec<T>;

  /** @throws ArgumentError if `codec` lacks marshall/demarshall. */
  constructor(codec: Codec<T> = JsonCodec as Codec<T>) {
    super();
    checkCodec(this.name, codec);
    this.codec = codec;
  }

  *main(): Generator<unknown, void, unknown> {
    yield* this.processMessages((m) => this.encode(m));
  }

  private *encode(value: T): Wait {
    let text: string;
    try {
      text = this.codec.marshall(value);
    } catch (e) {
      const err = new MessageError(this.name, "inbox", `could not be encoded (${reason(e)})`, e);
      yield* this.waitSend(new ErrorInformation(this, err, value), this.error);
      return;
    }
    yield* this.waitSend(text);
  }
}

/**
 * Decodes each message from text (JSON unless given another codec); bytes
 * are read as UTF-8. Malformed input (bad JSON, or neither text nor bytes)
 * is reported as an ErrorInformation on `error`, and the component carries on.
 *
 * Boxes: `inbox` string or bytes → `outbox` T, the decoded value (waits for
 * room downstream); `error`: ErrorInformation for malformed input;
 * `control`/`signal`: the shared shutdown convention.
 */
export class DeMarshaller<T = unknown> extends Component<string | Uint8Array, T> {
  static override inboxes = {
    inbox: "encoded text (a string, or UTF-8 bytes)",
    control: "producerFinished (decode what is waiting, then stop) or shutdownMicroprocess (stop now)",
  };
  static override outboxes = {
    outbox: "each decoded value",
    signal: "the shutdown message received, passed on",
    error: "ErrorInformation for each malformed message (the message is in it)",
  };

  /** Where malformed messages are reported. */
  readonly error = this.addOutbox<ErrorInformation>("error");
  /** The encoding used. */
  readonly codec: Codec<T>;
  private readonly utf8 = new TextDecoder("utf-8", { fatal: true });

  /** @throws ArgumentError if `codec` lacks marshall/demarshall. */
  constructor(codec: Codec<T> = JsonCodec as Codec<T>) {
    super();
    checkCodec(this.name, codec);
    this.codec = codec;
  }

  *main(): Generator<unknown, void, unknown> {
    yield* this.processMessages((m) => this.decode(m));
  }

  private *decode(message: string | Uint8Array): Wait {
    let value: T;
    try {
      let text: string;
      if (typeof message === "string") text = message;
      else if (message instanceof Uint8Array) text = this.utf8.decode(message);
      else throw new TypeError(`expected text or bytes, got ${message === null ? "null" : typeof message}`);
      value = this.codec.demarshall(text);
    } catch (e) {
      const err = new MessageError(this.name, "inbox", `could not be decoded (${reason(e)})`, e);
      yield* this.waitSend(new ErrorInformation(this, err, message), this.error);
      return;
    }
    yield* this.waitSend(value);
  }
}
