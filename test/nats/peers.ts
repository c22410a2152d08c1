/** Real peer processes for the NATS tests (fixtures/peer.ts), killed after each test. */
import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { onCleanup } from "../support/cleanup.js";

const PEER = fileURLToPath(new URL("./fixtures/peer.ts", import.meta.url));
const root = fileURLToPath(new URL("../..", import.meta.url));

/** A running peer and the JSON lines it has printed. */
export interface Peer {
  readonly child: ChildProcess;
  readonly lines: Record<string, unknown>[];
  stderr: string;
  readonly exited: Promise<number | null>;
  /** Resolve once a printed line satisfies `pred` (fails after `ms`, with what it printed). */
  until(pred: (lines: Record<string, unknown>[]) => boolean, ms?: number): Promise<void>;
  kill(): Promise<void>;
}

/** Start `peer.ts ...args`. */
export function peer(...args: string[]): Peer {
  const child = spawn(process.execPath, ["--import", "tsx", PEER, ...args], { cwd: root, stdio: ["pipe", "pipe", "pipe"] });
  const lines: Record<string, unknown>[] = [];
  let tail = "";
  const p: Peer = {
    child,
    lines,
    stderr: "",
    exited: new Promise((r) => child.once("exit", (code) => r(code))),
    async until(pred, ms = 60_000) {
      const end = Date.now() + ms;
      while (!pred(lines)) {
        if (Date.now() > end) throw new Error(`peer ${args[0]} did not get there in ${ms} ms; printed ${lines.length} lines; stderr: ${p.stderr.slice(-800)}`);
        if (child.exitCode !== null && !pred(lines)) throw new Error(`peer ${args[0]} exited (${child.exitCode}); stderr: ${p.stderr.slice(-800)}`);
        await new Promise((r) => setTimeout(r, 10));
      }
    },
    async kill() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGKILL");
        await p.exited;
      }
    },
  };
  child.stdout!.setEncoding("utf8").on("data", (d: string) => {
    const parts = (tail + d).split("\n");
    tail = parts.pop()!;
    for (const l of parts) if (l) lines.push(JSON.parse(l) as Record<string, unknown>);
  });
  child.stderr!.setEncoding("utf8").on("data", (d: string) => (p.stderr += d));
  onCleanup(() => p.kill());
  return p;
}

/** What a backplane peer received, as the indices from each publisher, in arrival order. */
export function byPublisher(p: Peer): Map<string, number[]> {
  const m = new Map<string, number[]>();
  for (const l of p.lines) {
    if (!("got" in l)) continue;
    const g = (l as { got: { from: string; i: number } }).got;
    if (!m.has(g.from)) m.set(g.from, []);
    m.get(g.from)!.push(g.i);
  }
  return m;
}

/** 0, 1, …, n - 1. */
export const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);
