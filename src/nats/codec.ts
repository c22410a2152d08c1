/**
 * How messages become bytes on the wire: JSON by default.
 *
 * @module
 */

/** Turns messages of type `T` into bytes and back. */
export interface Codec<T> {
  /** A message as bytes. @throws if it cannot be encoded. */
  encode(message: T): Uint8Array;
  /** Bytes as a message. @throws if they cannot be decoded. */
  decode(data: Uint8Array): T;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** JSON in UTF-8 (what every other NATS client can read). `undefined` and functions do not survive it. */
export function jsonCodec<T = unknown>(): Codec<T> {
  return {
    encode: (m) => {
      const s = JSON.stringify(m);
      if (s === undefined) throw new TypeError(`${typeof m} cannot be sent as JSON`);
      return encoder.encode(s);
    },
    decode: (d) => JSON.parse(decoder.decode(d)) as T,
  };
}

/** Bytes as they are (Uint8Array in, Uint8Array out). */
export function bytesCodec(): Codec<Uint8Array> {
  return { encode: (m) => m, decode: (d) => d };
}

/** UTF-8 strings. */
export function stringCodec(): Codec<string> {
  return { encode: (m) => encoder.encode(m), decode: (d) => decoder.decode(d) };
}
