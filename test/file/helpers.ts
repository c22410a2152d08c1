/** Shared helpers for the file and interop tests: real temp dirs, a collecting sink, bounded waits. */
import { mkdtemp, rm } from "node:fs/promises";
import { readdirSync, readlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after } from "node:test";
import { Component, type ControlMessage, type Wait } from "../../src/index.js";

/** A fresh temp directory, removed when the test file ends. */
export async function tempDir(prefix = "kamaelia-test-"): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), prefix));
  after(() => rm(d, { recursive: true, force: true }));
  return d;
}

/** Wait until `check` is true, polling; fails with `what` after a generous bound. */
export async function until(check: () => boolean, what: string, boundMs = 20_000): Promise<void> {
  const end = Date.now() + boundMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Paths of this process's open file descriptors that point at `path`. */
export function openFdsTo(path: string): string[] {
  const out: string[] = [];
  for (const fd of readdirSync("/proc/self/fd")) {
    try {
      const target = readlinkSync(`/proc/self/fd/${fd}`);
      if (target === path) out.push(fd);
    } catch {
      // closed while we looked
    }
  }
  return out;
}

/**
 * Collects what arrives on its inbox and the control message that ends it
 * (processMessages: finish drains, stop stops). `onControl` runs when the
 * shutdown message is seen, before it finishes.
 */
export class Collector<T = unknown> extends Component<T, never> {
  static override inboxes = { inbox: "anything, kept in `got`", control: "shutdown: kept in `ended`" };
  static override outboxes = { outbox: "unused", signal: "the shutdown message, passed on" };
  readonly got: T[] = [];
  ended: ControlMessage | null = null;
  /** Take at most one message per step (a slow consumer). */
  slow = false;
  onControl: ((c: Collector<T>) => void) | null = null;

  *main(): Wait {
    if (!this.slow) {
      this.ended = yield* this.processMessages((m) => void this.got.push(m));
    } else {
      for (;;) {
        if (this.dataReady() > 0) this.got.push(this.recv());
        const k = this.checkShutdown();
        if (k === "stop" || (k === "finish" && this.dataReady() === 0)) break;
        if (this.dataReady() === 0) this.pause();
        yield;
      }
      this.ended = this.passOnShutdown();
    }
    this.onControl?.(this);
  }
}
