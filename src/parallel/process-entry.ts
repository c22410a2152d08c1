/**
 * The script a process component's child runs: serve one remote component
 * over the IPC channel to its parent, and exit when the parent goes away.
 *
 * @module
 */
import { serveRemote } from "./remote-host.js";
import type { ToRemote } from "./wire.js";

// The parent gone (killed, or it disconnected): nothing is left to talk to.
process.on("disconnect", () => process.exit(0));
serveRemote({
  post: (m) => {
    if (process.connected) process.send!(m);
  },
  onMessage: (h) => process.on("message", (m) => h(m as ToRemote)),
  // The proxy kills the process once it has read "done" (disconnecting here could drop sends still queued).
  close: () => {},
  json: process.argv.includes("--json"),
});
