/**
 * Test helpers: real TCP clients on 127.0.0.1 that collect what they receive.
 */
import { connect, type Socket } from "node:net";

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

/** A TCP client that collects bytes and lines. */
export class Client {
  readonly socket: Socket;
  data = Buffer.alloc(0);
  ended = false;
  closed = false;
  error: Error | null = null;
  readonly closedPromise: Promise<void>;
  readonly connected: Promise<void>;

  constructor(port: number, host = "127.0.0.1") {
    this.socket = connect({ port, host });
    this.connected = new Promise((resolve, reject) => {
      this.socket.once("connect", resolve);
      this.socket.once("error", reject);
    });
    this.connected.catch(() => undefined);
    this.socket.on("data", (d: Buffer) => {
      this.data = Buffer.concat([this.data, d]);
    });
    this.socket.on("end", () => (this.ended = true));
    this.socket.on("error", (e) => (this.error = e));
    this.closedPromise = new Promise((resolve) =>
      this.socket.on("close", () => {
        this.closed = true;
        resolve();
      }),
    );
  }

  /** Every complete line received so far. */
  lines(): string[] {
    const text = this.data.toString("utf8");
    const parts = text.split("\n");
    parts.pop();
    return parts;
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
