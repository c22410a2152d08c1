/**
 * A light line-counting TCP client for load tests: it splits lines as they
 * arrive instead of keeping all the text.
 */
import { connect, type Socket } from "node:net";
import { onCleanup } from "../support/cleanup.js";

export class LineClient {
  readonly socket: Socket;
  readonly lines: string[] = [];
  private tail = "";
  closed = false;
  onLine: ((line: string) => void) | null = null;
  readonly connected: Promise<void>;

  constructor(port: number, keep = true) {
    this.socket = connect({ port, host: "127.0.0.1" });
    const forget = onCleanup(() => this.socket.destroy());
    this.socket.setEncoding("utf8");
    this.connected = new Promise((resolve, reject) => {
      this.socket.once("connect", resolve);
      this.socket.once("error", reject);
    });
    this.connected.catch(() => undefined);
    this.socket.on("error", () => undefined);
    this.socket.on("close", () => {
      this.closed = true;
      forget();
    });
    this.socket.on("data", (d: string) => {
      const parts = (this.tail + d).split("\n");
      this.tail = parts.pop()!;
      for (const p of parts) {
        if (keep) this.lines.push(p);
        this.onLine?.(p);
      }
    });
  }
}
