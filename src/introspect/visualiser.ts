/**
 * The web visualiser: a small HTTP server on 127.0.0.1 that draws an
 * {@link Introspector}'s live graph.
 *
 * Routes: `/` the page; `/snapshot` the current snapshot as JSON; `/events`
 * the live stream (Server-Sent Events, one `batch` event per batch, as in
 * `protocol.ts`); `/component/ID` one component with its settings and last
 * messages (what a click on the page shows); `/elk.js` the layout library.
 *
 * The stream is a watcher like any other: a browser that reads slowly makes
 * writes wait for the socket to drain, its events queue to the watcher's
 * bound and then are dropped and counted, and it is sent a fresh snapshot
 * when it catches up. The system itself never waits for a browser.
 *
 * Layout runs in the browser with elkjs, so the watched process only serves
 * data (ELK lays out nested graphs natively: children inside their parent,
 * edges crossing levels; see docs/ARCHITECTURE.md for why not dagre).
 *
 * @module
 */
import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo, Socket } from "node:net";
import { gzipSync } from "node:zlib";
import { KamaeliaError } from "../core/index.js";
import type { Introspector } from "./introspector.js";
import { PAGE } from "./page.js";

/** The server could not start (the port is in use, or not allowed). */
export class VisualiserError extends KamaeliaError {
  constructor(message: string) {
    super("VISUALISER", message);
  }
}

/** Options for {@link startVisualiser}. */
export interface VisualiserOptions {
  /** The port; 0 (the default) picks a free one. */
  port?: number;
  /** The address to listen on (default 127.0.0.1: only this machine can see the system). */
  host?: string;
  /** Let the process exit even while the page is open (the CLI does). */
  unref?: boolean;
}

/** A running visualiser. */
export interface Visualiser {
  /** `http://127.0.0.1:PORT/`. */
  readonly url: string;
  /** The port it listens on. */
  readonly port: number;
  /** Stop serving and close every open stream. */
  close(): Promise<void>;
}

let elk: { plain: Buffer; gzip: Buffer } | null = null;

function elkSource(): { plain: Buffer; gzip: Buffer } {
  if (elk === null) {
    const plain = readFileSync(createRequire(import.meta.url).resolve("elkjs/lib/elk.bundled.js"));
    elk = { plain, gzip: gzipSync(plain) };
  }
  return elk;
}

function send(res: ServerResponse, status: number, type: string, body: string | Buffer, extra: Record<string, string> = {}): void {
  res.writeHead(status, { "content-type": type, "cache-control": "no-store", ...extra });
  res.end(body);
}

/** Serve `spy`'s graph on 127.0.0.1. @throws VisualiserError (one line) if the port cannot be had. */
export async function startVisualiser(spy: Introspector, options: VisualiserOptions = {}): Promise<Visualiser> {
  const host = options.host ?? "127.0.0.1";
  const sockets = new Set<Socket>();
  const streams = new Set<ServerResponse>();

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const path = (req.url ?? "/").split("?")[0]!;
    if (req.method !== "GET") return send(res, 405, "text/plain", "only GET\n");
    if (path === "/") return send(res, 200, "text/html; charset=utf-8", PAGE);
    if (path === "/snapshot") return send(res, 200, "application/json", JSON.stringify(spy.snapshot()));
    if (path === "/elk.js") {
      const src = elkSource();
      const gz = /\bgzip\b/.test(String(req.headers["accept-encoding"] ?? ""));
      res.writeHead(200, { "content-type": "text/javascript", "cache-control": "max-age=3600", ...(gz ? { "content-encoding": "gzip" } : {}) });
      res.end(gz ? src.gzip : src.plain);
      return;
    }
    // Components of a second system have negative ids (see names.ts).
    const m = /^\/component\/(-?\d+)$/.exec(path);
    if (m !== null) {
      const c = spy.find(Number(m[1]));
      if (c === undefined) return send(res, 404, "application/json", JSON.stringify({ error: `no live component with id ${m[1]}` }));
      return send(res, 200, "application/json", JSON.stringify({ ...spy.describe(c), path: c.path(), lastMessages: spy.lastMessages(c) }));
    }
    if (path === "/events") return stream(res);
    send(res, 404, "text/plain", `no such page: ${path} (try /, /snapshot, /events)\n`);
  };

  const stream = (res: ServerResponse): void => {
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-store", connection: "keep-alive" });
    streams.add(res);
    const watch = spy.watch((batch) => {
      if (res.writableEnded || res.destroyed) return;
      const ok = res.write(`event: batch\ndata: ${JSON.stringify(batch)}\n\n`);
      // A slow reader: wait for the socket to drain; meanwhile the watch queues, then drops and counts.
      if (!ok) return new Promise<void>((resolve) => res.once("drain", resolve).once("close", resolve));
    });
    const keepAlive = setInterval(() => res.write(": keep-alive\n\n"), 15_000);
    keepAlive.unref();
    res.on("close", () => {
      clearInterval(keepAlive);
      watch.close();
      streams.delete(res);
    });
  };

  const server: Server = createServer((req, res) => {
    try {
      handle(req, res);
    } catch (e) {
      if (!res.headersSent) send(res, 500, "text/plain", `${e instanceof Error ? e.message : String(e)}\n`);
      else res.destroy();
    }
  });
  server.on("connection", (s) => {
    sockets.add(s);
    if (options.unref) s.unref();
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", (e: NodeJS.ErrnoException) => {
      const port = options.port ?? 0;
      if (e.code === "EADDRINUSE") reject(new VisualiserError(`visualiser: port ${port} on ${host} is already in use (choose another with --inspect=PORT)`));
      else if (e.code === "EACCES") reject(new VisualiserError(`visualiser: not allowed to listen on port ${port} on ${host}`));
      else reject(new VisualiserError(`visualiser: cannot listen on ${host}:${port}: ${e.message}`));
    });
    server.listen(options.port ?? 0, host, () => resolve());
  });
  if (options.unref) server.unref();
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${host}:${port}/`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const r of streams) r.end();
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      }),
  };
}
