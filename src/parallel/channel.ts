/**
 * The host's end of the link to a remote component: a worker thread or a
 * forked child process behind one small interface, so the proxy does not
 * care which.
 *
 * @module
 */
import { fork, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { ToHost, ToRemote } from "./wire.js";

/** How a remote side is run. */
export type RemoteKind = "worker" | "process";

/** How messages to and from a child process are serialised: `json` (the default: ≈2× faster, measured) or `advanced` (structured clone: Map, Set, BigInt, typed arrays, cycles). */
export type Serialization = "json" | "advanced";

/** What the proxy hears from its channel. */
export interface ChannelEvents {
  message(m: ToHost): void;
  /** The thread or process ended; `why` describes how (exit code, signal or uncaught error). */
  exit(clean: boolean, why: string): void;
}

/** The host's end. */
export interface HostChannel {
  /** Post a message; throws if it cannot be serialised (nothing is sent then). */
  post(m: ToRemote, transfer?: ArrayBuffer[]): void;
  /** End the thread or process now. */
  kill(): void;
  /** Resolves once the thread or process has gone. */
  readonly gone: Promise<void>;
  /** "worker thread 3" / "child process 1234". */
  readonly label: string;
  /** The child's process id (processes only). */
  readonly pid: number | undefined;
}

/** The entry script next to this file (`.ts` when running from source under tsx, `.js` when built). */
function entry(kind: RemoteKind): URL {
  const ext = import.meta.url.endsWith(".ts") ? ".ts" : ".js";
  return new URL(`./${kind}-entry${ext}`, import.meta.url);
}

/**
 * The loader flags of this process (e.g. tsx's `--import`), handed to the
 * thread or process so it can load the same kind of modules; flags of the
 * test runner and the like are left out.
 */
function loaderArgs(): string[] {
  const out: string[] = [];
  const a = process.execArgv;
  for (let i = 0; i < a.length; i++) {
    const f = a[i]!;
    if (f === "--import" || f === "--require" || f === "-r" || f === "--loader" || f === "--experimental-loader" || f === "--conditions" || f === "-C") {
      if (i + 1 < a.length) out.push(f, a[++i]!);
    } else if (/^--(import|require|loader|experimental-loader|conditions)=/.test(f) || f.startsWith("--experimental-") || f.startsWith("--no-warnings")) {
      out.push(f);
    }
  }
  return out;
}

/** tsx's register API when this process runs TypeScript through tsx, else null. */
function tsxApi(): string | null {
  if (!import.meta.url.endsWith(".ts") && !process.execArgv.some((a) => a.includes("tsx"))) return null;
  try {
    return import.meta.resolve("tsx/esm/api");
  } catch {
    return null;
  }
}

/** Start a worker thread running the remote side. */
export function openWorker(events: ChannelEvents): HostChannel {
  // `--import` hooks in a worker's execArgv do not reach its modules on Node 20, so when running from
  // TypeScript source (tsx) the thread registers tsx itself before importing the entry.
  const target = JSON.stringify(entry("worker").href);
  const tsx = tsxApi();
  const code = tsx === null ? `import(${target})` : `import(${JSON.stringify(tsx)}).then((t) => { t.register(); return import(${target}); })`;
  const w = new Worker(code, { eval: true, stdout: false, stderr: false });
  let error: unknown = null;
  let resolveGone!: () => void;
  const gone = new Promise<void>((r) => (resolveGone = r));
  w.on("message", (m: ToHost) => events.message(m));
  w.on("error", (e) => (error = e));
  w.on("exit", (code) => {
    resolveGone();
    if (error !== null) {
      const e = error as Error;
      events.exit(false, `uncaught ${e?.stack ?? String(e)}`);
    } else events.exit(code === 0, `exit code ${code}`);
  });
  return {
    post: (m, transfer) => w.postMessage(m, transfer),
    kill: () => void w.terminate(),
    gone,
    label: `worker thread ${w.threadId}`,
    pid: undefined,
  };
}

/** Fork a child process running the remote side. */
export function openProcess(events: ChannelEvents, serialization: Serialization): HostChannel {
  const child: ChildProcess = fork(fileURLToPath(entry("process")), serialization === "json" ? ["--json"] : [], {
    execArgv: loaderArgs(),
    serialization,
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  let resolveGone!: () => void;
  const gone = new Promise<void>((r) => (resolveGone = r));
  let spawnError: Error | null = null;
  child.on("message", (m) => events.message(m as ToHost));
  child.on("error", (e) => (spawnError = e));
  child.on("exit", (code, signal) => {
    resolveGone();
    const why = spawnError !== null ? `could not start: ${spawnError.message}` : signal !== null ? `killed by ${signal}` : `exit code ${code}`;
    events.exit(code === 0 && spawnError === null, why);
  });
  return {
    post: (m) => {
      if (!child.connected) return;
      child.send(m);
    },
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    },
    gone,
    label: `child process ${child.pid}`,
    pid: child.pid,
  };
}
