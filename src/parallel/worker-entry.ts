/**
 * The script a worker component's thread runs: serve one remote component
 * over the thread's parentPort.
 *
 * @module
 */
import { parentPort, receiveMessageOnPort } from "node:worker_threads";
import { serveRemote } from "./remote-host.js";
import type { ToRemote } from "./wire.js";

const port = parentPort!;
const handlers: ((m: ToRemote) => void)[] = [];
serveRemote({
  post: (m, transfer) => port.postMessage(m, transfer),
  onMessage: (h) => {
    handlers.push(h);
    port.on("message", (m: ToRemote) => h(m));
  },
  // A message taken here emits no "message" event: each goes to the handlers once, either way.
  drain: () => {
    for (let r = receiveMessageOnPort(port); r !== undefined; r = receiveMessageOnPort(port)) for (const h of handlers) h(r.message as ToRemote);
  },
  // The proxy ends the thread once it has read "done" (closing here could drop posts still queued).
  close: () => {},
  json: false,
});
