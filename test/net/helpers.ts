/**
 * Test helpers: real TCP clients on 127.0.0.1 that collect what they receive.
 */
import { connect, type Socket } from "node:net";
import { StringDecoder } from "node:string_decoder";
import { onCleanup } from "../support/cleanup.js";

/** Reject if `p` has not settled within `ms` (generous: the machine is shared). */
export function within<T>(p: Promise<T>, what: string, ms = 20_000): Promise<T> {
  let timer: NodeJS.Timeout;
  const t = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), ms);
  });
  return Promise.race([p, t]).finally(() => clearTimeout(timer));
}

/** Resolve once `check()` is true, polling; reject after `ms`. */
export async function until(check: () => boolean, what: string, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/**
 * A TCP client that collects bytes and lines. It stays linear on large data:
 * chunks are kept in a list (joined once, on demand) and lines are split as
 * they arrive. It is destroyed after the test whatever the outcome.
 */
export class Client {
  readonly socket: Socket;
  ended = false;
  closed = false;
  error: Error | null = null;
  readonly closedPromise: Promise<void>;
  readonly connected: Promise<void>;
  readonly #chunks: Buffer[] = [];
  #joined: Buffer | null = Buffer.alloc(0);
  readonly #lines: string[] = [];
  readonly #decoder = new StringDecoder("utf8");
  #tail = "";

  constructor(port: number, host = "127.0.0.1") {
    this.socket = connect({ port, host });
    const forget = onCleanup(() => this.socket.destroy());
    this.connected = new Promise((resolve, reject) => {
      this.socket.once("connect", resolve);
      this.socket.once("error", reject);
    });
    this.connected.catch(() => undefined);
    this.socket.on("data", (d: Buffer) => {
      this.#chunks.push(d);
      this.#joined = null;
      const parts = (this.#tail + this.#decoder.write(d)).split("\n");
      this.#tail = parts.pop()!;
      for (const p of parts) this.#lines.push(p);
    });
    this.socket.on("end", () => (this.ended = true));
    this.socket.on("error", (e) => (this.error = e));
    this.closedPromise = new Promise((resolve) =>
      this.socket.on("close", () => {
        this.closed = true;
        forget();
        resolve();
      }),
    );
  }

  /** Every byte received so far. */
  get data(): Buffer {
    if (this.#joined === null) this.#joined = Buffer.concat(this.#chunks);
    return this.#joined;
  }

  /** Every complete line received so far (the list grows as lines arrive: copy it to keep a snapshot). */
  lines(): string[] {
    return this.#lines;
  }

/** Wait until at least `n` lines have arrived. */
  waitLines(n: number, ms?: number): Promise<void> {
    return until(() => this.lines().length >= n, `${n} lines (have ${this.lines().length})`, ms);
  }

  /** Wait until the server has closed (FIN) or the socket closed. */
  waitEnd(ms?: number): Promise<void> {
    return until(() => this.ended || this.closed, "the server to close the connection", ms);
  }

  write(s: string | Buffer): void {
    this.socket.write(s);
  }

  /** Close and wait until closed. */
  async close(): Promise<void> {
    this.socket.destroy();
    await this.closedPromise;
  }
}

/** Connect a client and wait for the connection. */
export async function client(port: number): Promise<Client> {
  const c = new Client(port);
  await within(c.connected, "connect");
  return c;
}
