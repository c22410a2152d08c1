/**
 * The script a worker component's thread runs: serve one remote component
 * over the thread's parentPort.
 *
 * @module
 */
import { parentPort } from "node:worker_threads";
import { serveRemote } from "./remote-host.js";
import type { ToRemote } from "./wire.js";

const port = parentPort!;
serveRemote({
  post: (m, transfer) => port.postMessage(m, transfer),
  onMessage: (h) => port.on("message", (m: ToRemote) => h(m)),
  // The proxy ends the thread once it has read "done" (closing here could drop posts still queued).
  close: () => {},
  json: false,
});
